// logreg cv: K-fold cross-validation over a grid of C (fit/cross_validation.hpp), a table or JSON of
// the scores, and with -m the model refitted on every row at the chosen values.
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/fit_options.hpp"
#include "cli/output_file.hpp"
#include "cli/threshold_choice.hpp"
#include "fit/cross_validation.hpp"
#include "io/csv_reader.hpp"
#include "io/spooled_input.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"
#include "report/plots.hpp"

namespace logreg::cli {

namespace {

command_spec cv_spec() {
  command_spec spec{
      "cv",
      "logreg cv [DATA] [options]",
      "K-fold cross-validation over a grid of C (and L1 ratios): each fold's fits are train's on the other\n"
      "folds' rows, scored on the fold's rows; the table (or --json) gives each value's mean and standard error.",
      {
          {"folds", "folds, stratified by class", "K", "5"},
          {"fold-column", "a column whose values define the folds (it is not a feature)", "COL", ""},
          {"seed", "the folds' shuffle (the same folds on every machine)", "S", "0"},
          {"C-grid", "the values of C, comma-separated", "A,B,..", ""},
          {"C-count", "values of C log-spaced from where the data start to move the coefficients, up by 1e4", "N", "20"},
          {"l1-ratio-grid", "elasticnet: the l1 ratios, comma-separated", "A,B,..", "--l1-ratio"},
          {"metric", "log-loss, roc-auc, accuracy, brier, f1 or average-precision", "M", "log-loss"},
          {"rule", "best, or 1se: the smallest C within one standard error of the best", "R", "best"},
          {"json", "print the result as JSON", "", ""},
          {"m,model", "refit on every row at the chosen values and write the model there", "MODEL", ""},
          {"oof", "write the out-of-fold predictions at the chosen values (CSV, one row per row)", "FILE", ""},
          {"keep", "--oof: input columns to copy to it, first", "A,B,..", ""},
          {"choose-threshold", "two classes: choose the decision threshold on the out-of-fold predictions by f1, youden, "
                               "cost, precision (with --min-recall) or recall (with --min-precision); -m stores it",
           "M", ""},
          {"plot", "draw the mean score +- se against C, the chosen C marked, as SVG", "FILE.svg", ""},
      }};
  for (flag& f : threshold_constraint_flags("--choose-threshold")) spec.flags.push_back(f);
  for (flag& f : fit_flags()) spec.flags.push_back(f);
  return spec;
}

std::vector<double> parse_doubles(const std::string& flag, const std::string& text, double low, bool low_open,
                                  double high) {
  std::vector<double> out;
  for (const std::string& item : parse_list(flag, text)) {
    const double v = parse_double(flag, item);
    if (!(low_open ? v > low : v >= low) || !(v <= high) || !std::isfinite(v))
      throw usage_error(flag + ": '" + item + "' is out of range (" + (low_open ? "> " : ">= ") + std::to_string(low).substr(0, 3) +
                        (high < 1e300 ? ", <= " + std::to_string(high).substr(0, 3) : "") + ")");
    out.push_back(v);
  }
  return out;
}

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

std::string shortest(double x) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
}

}  // namespace

int run_cv(const args_t& args) {
  parsed_args a;
  const command_spec spec = cv_spec();
  if (!parse(spec, args, a)) return 0;
  if (a.has("verbose") && a.has("quiet")) throw usage_error("--verbose and --quiet cannot be used together");
  if (a.has("C")) throw usage_error("--C: cv chooses C; give the values to try with --C-grid (or --C-count)");
  if (a.has("C-grid") && a.has("C-count")) throw usage_error("--C-grid and --C-count cannot be used together");
  if (a.has("folds") && a.has("fold-column"))
    throw usage_error("--folds and --fold-column cannot be used together: the fold column's values are the folds");
  int threads = 0;
  train_request req = fit_request(a, threads);
  if (req.settings.penalty == penalty_kind::none)
    throw usage_error("--penalty none: cv chooses C, which needs a penalty (l2, l1 or elasticnet)");
  if (req.encoding.missing == missing_mode::impute)
    throw usage_error("--missing impute: the imputed means would be learnt on every row, held-out folds included; "
                      "cv does not support it yet (use --missing drop)");
  cv_request cv;
  if (a.has("folds")) cv.folds = static_cast<std::uint32_t>(parse_int("--folds", a.get("folds"), 2, 1000000));
  if (a.has("fold-column")) {
    if (req.format == data_format::libsvm) throw usage_error("--fold-column: does not apply to libsvm input (it has no columns)");
    req.columns.fold = a.get("fold-column");
  }
  if (a.has("seed")) cv.seed = static_cast<std::uint64_t>(parse_int("--seed", a.get("seed"), 0, 2147483647));
  if (a.has("C-grid")) cv.C_grid = parse_doubles("--C-grid", a.get("C-grid"), 0, true, 1e300);
  if (a.has("C-count")) cv.C_count = static_cast<std::size_t>(parse_int("--C-count", a.get("C-count"), 1, 1000));
  if (a.has("l1-ratio-grid")) {
    if (req.settings.penalty != penalty_kind::elasticnet) throw usage_error("--l1-ratio-grid: applies only to --penalty elasticnet");
    if (a.has("l1-ratio")) throw usage_error("--l1-ratio and --l1-ratio-grid cannot be used together");
    cv.l1_ratio_grid = parse_doubles("--l1-ratio-grid", a.get("l1-ratio-grid"), 0, false, 1);
  }
  if (a.has("metric")) cv.metric = parse_cv_metric(a.get("metric"));
  if (a.has("rule")) cv.rule = parse_cv_rule(a.get("rule"));
  cv.out_of_fold = a.has("oof");
  if (a.has("plot") && (a.get("plot").empty() || a.get("plot") == "-")) throw usage_error("--plot: give a file name");
  if (cv.out_of_fold && req.encoding.missing == missing_mode::drop)
    throw usage_error("--oof with --missing drop: the dropped rows would have no prediction; not supported yet");
  std::vector<std::string> keep;
  if (a.has("keep")) {
    if (!a.has("oof")) throw usage_error("--keep: applies to the --oof output; give --oof FILE");
    if (req.format == data_format::libsvm) throw usage_error("--keep: does not apply to libsvm input (it has no columns)");
    keep = parse_list("--keep", a.get("keep"));
  }
  std::optional<threshold_options> threshold;
  if (a.has("choose-threshold")) {
    threshold = parse_threshold_options(a, parse_threshold_metric("--choose-threshold", a.get("choose-threshold")),
                                        "--choose-threshold");
    cv.out_of_fold = true;  // the threshold is chosen on them
  } else {
    for (const char* f : {"cost-fp", "cost-fn", "min-precision", "min-recall"})
      if (a.has(f)) throw usage_error(std::string("--") + f + ": applies only with --choose-threshold");
  }

  set_thread_count(threads);
  reporter out(a.has("quiet"), a.has("verbose"));
  start_out_of_core(a, req, out);
  const std::string source = req.data_path == "-" ? "<stdin>" : req.data_path;
  // --keep reads the input a second time, after the fits: input that cannot be read twice is copied
  // once here, and the loader reads the copy. The kept columns are checked before anything is fitted.
  std::optional<detail::spooled_input> input;
  std::unique_ptr<csv_reader> kept;
  std::vector<std::size_t> kept_columns;
  if (!keep.empty()) {
    input.emplace(req.data_path);
    if (input->spooled()) {
      req.data_path = input->path();
      req.data_display = input->display();
    }
    kept = std::make_unique<csv_reader>(input->path(), req.dialect, 1 << 20, input->display());
    kept->read_header();
    for (const std::string& name : keep) kept_columns.push_back(kept->column(name, "--keep"));
  }
  loaded_training_data loaded;
  cv_result result;
  try {
    loaded = load_for_training(req, out.callbacks("reading " + source));
    out.end_progress();
    for (const std::string& w : loaded.warnings) out.warn(w);
    if (threshold && loaded.data.labels.size() > 2)  // before the fits, not after them
      throw usage_error("--choose-threshold: applies to two classes; the target '" + loaded.data.target_name + "' has " +
                        std::to_string(loaded.data.labels.size()));
    result = cross_validate(loaded.data, req, cv, out.callbacks("cross-validating"));
  } catch (...) {
    out.end_progress();
    throw;
  }
  out.end_progress();
  for (const std::string& w : result.warnings) out.warn(w);
  const cv_point& chosen = result.grid[result.chosen];
  const labelled_data& d = loaded.data;
  threshold_choice tc;
  if (threshold) {
    if (result.classes.size() != 2)
      throw usage_error("--choose-threshold: applies to two classes; the target '" + d.target_name + "' has " +
                        std::to_string(result.classes.size()));
    std::vector<std::uint8_t> is_positive(result.fold.size());
    for (std::size_t i = 0; i < is_positive.size(); ++i) is_positive[i] = d.labels[d.label_index[i]] == result.classes[1];
    const std::span<const double> w(d.weights.memptr(), d.weights.n_elem);
    require_both_classes(is_positive, w, source, result.classes[1], result.classes[0]);
    try {
      tc = choose_threshold(is_positive, result.oof, *threshold, w);
    } catch (const std::invalid_argument& e) {
      throw data_error(source + ": " + e.what());
    }
  }
  const bool elastic = req.settings.penalty == penalty_kind::elasticnet;
  const std::string fold_source =
      req.columns.fold.empty() ? "stratified, seed " + std::to_string(cv.seed) : "column '" + req.columns.fold + "'";

  if (a.has("json")) {
    nlohmann::json j;
    j["metric"] = to_string(result.metric);
    j["rule"] = to_string(result.rule);
    j["folds"] = result.folds;
    j["fold_source"] = fold_source;
    j["grid"] = nlohmann::json::array();
    for (const cv_point& p : result.grid)
      j["grid"].push_back({{"C", p.C}, {"l1_ratio", p.l1_ratio}, {"mean", p.mean}, {"se", p.se},
                           {"fold_scores", p.fold_scores}, {"nonzero", p.nonzero}, {"converged", p.converged}});
    j["chosen"] = {{"C", chosen.C}, {"l1_ratio", chosen.l1_ratio}, {"mean", chosen.mean}, {"se", chosen.se}};
    if (threshold)
      j["threshold"] = threshold_json({tc, *threshold, result.classes[1], result.classes[0], !d.weights.is_empty()});
    std::cout << j.dump(1) << "\n";
  } else {
    std::cout << "cross-validation: " << result.folds << " folds (" << fold_source << "), metric "
              << to_string(result.metric) << ", rule " << to_string(result.rule) << "\n\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %12s %s%12s %12s %9s\n", "C", elastic ? " l1_ratio" : "", "mean", "se", "nonzero");
    std::cout << line;
    for (std::size_t g = 0; g < result.grid.size(); ++g) {
      const cv_point& p = result.grid[g];
      char ratio[32] = "";
      if (elastic) std::snprintf(ratio, sizeof ratio, " %8s", number(p.l1_ratio).c_str());
      std::snprintf(line, sizeof line, "%s %12s%s %12.6g %12.4g %9s\n", g == result.chosen ? "*" : " ", number(p.C).c_str(),
                    ratio, p.mean, p.se, number(p.nonzero).c_str());
      std::cout << line;
    }
    std::cout << "\nchosen: C = " << shortest(chosen.C);
    if (elastic) std::cout << ", l1_ratio = " << shortest(chosen.l1_ratio);
    std::cout << " (" << to_string(result.metric) << " " << number(chosen.mean) << " +- " << number(chosen.se) << ")\n";
    if (threshold) {
      const threshold_report report{tc, *threshold, result.classes[1], result.classes[0], !d.weights.is_empty()};
      std::cout << "\nthreshold on the out-of-fold predictions at the chosen C (positive class '" << result.classes[1]
                << "')\n\n"
                << threshold_how_lines(report) << "\n"
                << threshold_metric_lines(report);
    }
  }

  if (a.has("plot")) {
    std::string what = base_name(source) + ": " + std::to_string(result.folds) + " folds (" + fold_source + "), " +
                       to_string(req.settings.penalty) + " penalty, rule " + to_string(result.rule);
    write_whole_file(a.get("plot"), report::render_svg(report::cv_plot(result, elastic, what)), "plot");
  }

  if (a.has("oof")) {
    std::string text;
    for (const std::string& name : keep) {
      append_csv_field(text, name);
      text.push_back(',');
    }
    text += "fold,label";
    const std::size_t K = result.classes.size(), per_row = K == 2 ? 1 : K;
    if (K == 2) {
      text += ",probability\n";
    } else {
      for (const std::string& c : result.classes) {
        text.push_back(',');
        append_csv_field(text, "probability_" + c);
      }
      text.push_back('\n');
    }
    char buf[32];
    std::vector<std::string_view> fields;
    for (std::size_t i = 0; i < result.fold.size(); ++i) {
      if (kept) {
        if (!kept->next(fields))
          throw data_error(kept->source() + ": has fewer rows than were read for the fits (was it changed meanwhile?)");
        for (std::size_t c : kept_columns) {
          append_csv_field(text, fields[c]);
          text.push_back(',');
        }
      }
      if (d.fold_labels.empty()) text += std::to_string(result.fold[i] + 1);
      else append_csv_field(text, d.fold_labels[result.fold[i]]);
      text.push_back(',');
      append_csv_field(text, d.labels[d.label_index[i]]);
      for (std::size_t k = 0; k < per_row; ++k) {
        text.push_back(',');
        text.append(buf, std::to_chars(buf, buf + sizeof buf, result.oof[i * per_row + k]).ptr);
      }
      text.push_back('\n');
    }
    if (kept && kept->next(fields))
      throw data_error(kept->source() + ": has more rows than were read for the fits (was it changed meanwhile?)");
    output_file file(a.get("oof"));
    if (std::fwrite(text.data(), 1, text.size(), file.stream()) != text.size())
      throw data_error(file.name() + ": cannot write the out-of-fold predictions");
    file.commit();
  }

  if (a.has("model")) {
    train_request refit = req;
    refit.settings.C = chosen.C;
    if (elastic) refit.settings.l1_ratio = chosen.l1_ratio;
    train_outcome t = train_labelled(loaded.data, refit, out.callbacks("refitting"));
    if (threshold) t.fitted.threshold = tc.threshold;
    out.end_progress();
    for (const std::string& w : t.warnings) out.warn(w);
    cv_summary summary;
    summary.metric = to_string(result.metric);
    summary.rule = to_string(result.rule);
    summary.folds = result.folds;
    summary.fold_source = fold_source;
    summary.C = chosen.C;
    summary.l1_ratio = chosen.l1_ratio;
    for (const cv_point& p : result.grid) summary.grid.push_back({p.C, p.l1_ratio, p.mean, p.se, p.nonzero});
    t.fitted.cross_validation = std::move(summary);
    save_model(t.fitted, a.get("model"));
    out.info("refitted on all " + std::to_string(t.fitted.n_rows) + " rows at C = " + shortest(chosen.C) +
             (threshold ? ", threshold " + format_double(tc.threshold) : "") + "; model written to " + a.get("model"));
  }
  report_out_of_core(out);
  return 0;
}

}  // namespace logreg::cli
