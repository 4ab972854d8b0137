#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "io/number_parser.hpp"
#include "logreg/calibration.hpp"
#include "logreg/error.hpp"
#include "predict/libsvm_predictor.hpp"
#include "logreg/metrics.hpp"
#include "logreg/multiclass_metrics.hpp"
#include "predict/predictor.hpp"
#include "logreg/threads.hpp"
#include "report/plots.hpp"

namespace logreg::cli {

namespace {
const command_spec spec{
    "eval",
    "logreg eval [DATA] -m MODEL [options]",
    "Measure a model on labelled CSV data (the model's target column must be present).",
    {
        {"m,model", "the model to evaluate", "MODEL", ""},
        {"threshold", "predict the positive class when probability >= T", "T", "the model's, 0.5"},
        {"json", "print one JSON object instead of a table", "", ""},
        {"calibration", "two-class models: add a reliability table, the ECE and the Hosmer-Lemeshow test", "", ""},
        {"bins", "--calibration, --plot: equal-width bins over [0, 1], the last one closed", "B", "10"},
        {"plot", "write roc.svg, pr.svg and calibration.svg there (K classes: one curve per class, against the rest)", "DIR", ""},
        {"weight", "column of non-negative row weights: weighted metrics", "COL", "none"},
        {"unknown", "a categorical level not seen in training: zero (all indicators 0) or error", "U", "zero"},
        {"na-values", "cell texts that mean missing, besides empty cells", "A,B,..", "the model's"},
        {"delimiter", "field delimiter of the input: one byte or 'tab'", "C", ","},
        {"format", "input format: csv or libsvm", "F", "libsvm for .svm/.libsvm files, else the model's"},
        {"threads", "threads for parsing (0: one per core)", "N", "0"},
        {"quiet", "show only warnings and errors", "", ""},
    }};

nlohmann::json number_or_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

// Counts are whole numbers unless sample weights made them fractional.
nlohmann::json count(double x) {
  if (x == std::floor(x) && std::fabs(x) < 9e15) return nlohmann::json(static_cast<long long>(x));
  return nlohmann::json(x);
}

std::string cell(double x) {
  if (std::isnan(x)) return "undefined";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", x);
  return buf;
}
std::string fixed6(double x) { return cell(x); }

// --calibration, under "calibration" in --json.
nlohmann::json calibration_json(const calibration_report& c) {
  nlohmann::json bins = nlohmann::json::array();
  for (const calibration_bin& b : c.bins)
    bins.push_back({{"lower", b.lower},
                    {"upper", b.upper},
                    {"count", count(b.count)},
                    {"mean_predicted", number_or_null(b.mean_predicted)},
                    {"observed", number_or_null(b.observed)}});
  nlohmann::json hl = nullptr;
  if (c.hl.computed) {
    nlohmann::json groups = nlohmann::json::array();
    for (const hosmer_lemeshow_group& g : c.hl.groups)
      groups.push_back({{"lower", g.lower},
                        {"upper", g.upper},
                        {"count", count(g.count)},
                        {"observed", count(g.observed)},
                        {"expected", g.expected}});
    hl = {{"statistic", number_or_null(c.hl.statistic)},
          {"df", c.hl.df},
          {"p_value", c.hl.p_value},
          {"groups", groups}};
  }
  return {{"bins", bins}, {"ece", c.ece}, {"hosmer_lemeshow", hl}};
}

std::string calibration_text(const calibration_report& c) {
  auto g6 = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return std::string(buf);
  };
  auto right = [](const std::string& s, std::size_t w) { return s.size() >= w ? s : std::string(w - s.size(), ' ') + s; };
  std::string t = "\ncalibration (" + std::to_string(c.bins.size()) + " equal-width bins)\n";
  t += "  bin                    count  mean predicted    observed\n";
  for (std::size_t b = 0; b < c.bins.size(); ++b) {
    const calibration_bin& bin = c.bins[b];
    std::string label = "[";  // (built by appending: g++ 12 warns falsely (-Wrestrict) about "[" + string)
    label += g6(bin.lower) + ", " + g6(bin.upper) + (b + 1 == c.bins.size() ? "]" : ")");
    label.resize(std::max<std::size_t>(label.size(), 16), ' ');
    const bool empty = !(bin.count > 0);
    t += "  " + label + right(count(bin.count).dump(), 12) + right(empty ? "-" : cell(bin.mean_predicted), 16) +
         right(empty ? "-" : cell(bin.observed), 12) + "\n";
  }
  std::string l = "ECE";
  l.resize(22, ' ');
  t += "\n" + l + cell(c.ece) + "\n";
  l = "Hosmer-Lemeshow";
  l.resize(22, ' ');
  if (c.hl.computed) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "chi-square %s, df %d, p-value %s (%zu groups)",
                  std::isinf(c.hl.statistic) ? "inf" : cell(c.hl.statistic).c_str(), c.hl.df,
                  g6(c.hl.p_value).c_str(), c.hl.groups.size());
    t += l + buf + "\n";
  } else {
    t += l + "not computed: the weights are not whole numbers\n";
  }
  return t;
}

// --plot DIR: the ROC, precision-recall and calibration plots (binary: the positive class; K classes:
// each class against the rest).
void write_plots(const std::string& dir, const model& m, const scored_rows& rows, std::size_t bins,
                 const std::string& model_path, const reporter& out) {
  std::vector<report::scored_class> classes;
  const std::size_t n = m.binary() ? rows.is_positive.size() : rows.truth.size();
  std::string what = "model " + base_name(model_path) + ", ";
  if (m.binary()) {
    classes.push_back({m.positive_class(), rows.is_positive, rows.probability});
    what += "positive class '" + m.positive_class() + "', ";
  } else {
    const std::size_t K = m.classes.size();
    for (std::size_t k = 0; k < K; ++k) {
      report::scored_class c{m.classes[k], std::vector<std::uint8_t>(n), std::vector<double>(n)};
      for (std::size_t i = 0; i < n; ++i) {
        c.is_positive[i] = rows.truth[i] == k;
        c.score[i] = rows.probability[i * K + k];
      }
      classes.push_back(std::move(c));
    }
    what += std::to_string(K) + " classes (each against the rest), ";
  }
  what += std::to_string(n) + (rows.weights.empty() ? " rows" : " rows, weighted");
  const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  write_whole_file(base + "roc.svg", report::render_svg(report::roc_plot(classes, rows.weights, what)), "ROC plot");
  write_whole_file(base + "pr.svg", report::render_svg(report::pr_plot(classes, rows.weights, what)), "precision-recall plot");
  write_whole_file(base + "calibration.svg",
                   report::render_svg(report::calibration_plot(classes, rows.weights, bins, what)), "calibration plot");
  out.info("plots written to " + base + "{roc,pr,calibration}.svg");
}

int report_classes(const model& m, const scored_rows& rows, bool json_output, const reporter& out) {
  const std::size_t K = m.classes.size();
  const multiclass_metrics r = compute_multiclass_metrics(rows.truth, rows.probability, K, rows.weights);
  if (std::isnan(r.roc_auc_ovr_macro)) out.warn("some class is absent from the data: the one-vs-rest ROC AUC is undefined");
  if (json_output) {
    nlohmann::json j;
    j["rows"] = r.n;
    j["classes"] = m.classes;
    j["accuracy"] = number_or_null(r.accuracy);
    nlohmann::json per = nlohmann::json::array();
    for (std::size_t k = 0; k < K; ++k)
      per.push_back({{"class", m.classes[k]},
                     {"precision", r.per_class[k].precision},
                     {"recall", r.per_class[k].recall},
                     {"f1", r.per_class[k].f1},
                     {"support", count(r.per_class[k].support)}});
    j["per_class"] = per;
    j["macro"] = {{"precision", r.macro_precision}, {"recall", r.macro_recall}, {"f1", r.macro_f1}};
    j["weighted"] = {{"precision", r.weighted_precision}, {"recall", r.weighted_recall}, {"f1", r.weighted_f1}};
    j["log_loss"] = number_or_null(r.log_loss);
    j["roc_auc_ovr_macro"] = number_or_null(r.roc_auc_ovr_macro);
    nlohmann::json cm = nlohmann::json::array();
    for (const auto& row : r.confusion) {
      nlohmann::json jr = nlohmann::json::array();
      for (double v : row) jr.push_back(count(v));
      cm.push_back(jr);
    }
    j["confusion_matrix"] = {{"labels", m.classes}, {"rows", "actual"}, {"columns", "predicted"}, {"matrix", cm}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::size_t w = 14;  // "weighted avg" and a space
  for (const std::string& c : m.classes) w = std::max(w, c.size() + 2);
  auto pad = [](std::string s, std::size_t width, bool right) {
    if (s.size() >= width) return s;
    return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
  };
  std::string t;
  t += pad("rows", 22, false) + std::to_string(r.n) + "\n";
  t += pad("classes", 22, false) + std::to_string(K) + "\n\n";
  t += pad("accuracy", 22, false) + fixed6(r.accuracy) + "\n";
  t += pad("log loss", 22, false) + fixed6(r.log_loss) + "\n";
  t += pad("ROC AUC (ovr, macro)", 22, false) + fixed6(r.roc_auc_ovr_macro) + "\n\n";
  t += pad("class", w, false) + pad("precision", 12, true) + pad("recall", 12, true) + pad("F1", 12, true) +
       pad("support", 12, true) + "\n";
  for (std::size_t k = 0; k < K; ++k)
    t += pad(m.classes[k], w, false) + pad(fixed6(r.per_class[k].precision), 12, true) +
         pad(fixed6(r.per_class[k].recall), 12, true) + pad(fixed6(r.per_class[k].f1), 12, true) +
         pad(count(r.per_class[k].support).dump(), 12, true) + "\n";
  t += pad("macro avg", w, false) + pad(fixed6(r.macro_precision), 12, true) + pad(fixed6(r.macro_recall), 12, true) +
       pad(fixed6(r.macro_f1), 12, true) + "\n";
  t += pad("weighted avg", w, false) + pad(fixed6(r.weighted_precision), 12, true) +
       pad(fixed6(r.weighted_recall), 12, true) + pad(fixed6(r.weighted_f1), 12, true) + "\n";
  t += "\nconfusion matrix (rows: actual, columns: predicted)\n" + pad("", w + 2, false);
  for (const std::string& c : m.classes) t += pad(c, w, true);
  t += "\n";
  for (std::size_t k = 0; k < K; ++k) {
    t += "  " + pad(m.classes[k], w, false);
    for (double v : r.confusion[k]) t += pad(count(v).dump(), w, true);
    t += "\n";
  }
  std::cout << t;
  return 0;
}
}  // namespace

int run_eval(const args_t& args) {
  parsed_args a;
  if (!parse(spec, args, a)) return 0;
  if (!a.has("model")) throw usage_error("eval: -m/--model MODEL is required");
  csv_dialect dialect;
  if (a.has("delimiter")) dialect = parse_dialect(a.get("delimiter"));
  if (a.has("threads")) set_thread_count(parse_int("--threads", a.get("threads"), 0, 1024));
  if (a.has("bins") && !a.has("calibration") && !a.has("plot"))
    throw usage_error("--bins: applies only with --calibration or --plot");
  if (a.has("plot") && a.get("plot").empty()) throw usage_error("--plot: give a directory");
  const std::size_t bins = a.has("bins") ? static_cast<std::size_t>(parse_int("--bins", a.get("bins"), 1, 1000)) : 10;
  const std::optional<data_format> asked = a.has("format") ? std::optional(parse_data_format(a.get("format"))) : std::nullopt;
  const std::string model_path = a.get("model");
  const model m = load_model(model_path);
  const data_format format = labelled_format(a, asked, m, model_path);
  if (a.has("calibration") && !m.binary())
    throw usage_error("--calibration: applies to two-class models; this one has " + std::to_string(m.classes.size()) + " classes");
  if (a.has("threshold") && !m.binary()) throw usage_error("--threshold: applies to two-class models; this one has " + std::to_string(m.classes.size()) + " classes (the label is the most probable class)");
  const double threshold = parse_threshold(a, m.threshold);
  reporter out(a.has("quiet"), false);
  warn_if_not_converged(m, model_path, out);
  if (a.has("plot")) make_output_directory(a.get("plot"));  // before the data are read: fail early
  const scored_rows rows = read_labelled(a, m, format, dialect, out, "evaluating");
  if (a.has("plot")) write_plots(a.get("plot"), m, rows, bins, model_path, out);
  if (!m.binary()) return report_classes(m, rows, a.has("json"), out);
  const binary_metrics r = compute_binary_metrics(rows.is_positive, rows.probability, threshold, rows.weights);
  if (std::isnan(r.roc_auc)) out.warn("only one class is present in the data: ROC AUC is undefined");
  std::optional<calibration_report> calibration;
  if (a.has("calibration")) {
    calibration = compute_calibration(rows.is_positive, rows.probability, bins, rows.weights);
    if (!calibration->hl.computed) out.warn(calibration->hl.reason + ": the test is left out");
  }

  if (a.has("json")) {
    nlohmann::json j;
    j["rows"] = r.n;
    j["positive_class"] = m.positive_class();
    j["negative_class"] = m.negative_class();
    j["positives"] = count(r.positives);
    j["negatives"] = count(r.negatives);
    j["threshold"] = threshold;
    j["accuracy"] = number_or_null(r.accuracy);
    j["precision"] = number_or_null(r.precision);
    j["recall"] = number_or_null(r.recall);
    j["f1"] = number_or_null(r.f1);
    j["specificity"] = number_or_null(r.specificity);
    j["balanced_accuracy"] = number_or_null(r.balanced_accuracy);
    j["roc_auc"] = number_or_null(r.roc_auc);
    j["average_precision"] = number_or_null(r.average_precision);
    j["log_loss"] = number_or_null(r.log_loss);
    j["brier"] = number_or_null(r.brier);
    j["confusion_matrix"] = {{"labels", {m.negative_class(), m.positive_class()}},
                             {"rows", "actual"},
                             {"columns", "predicted"},
                             {"matrix", {{count(r.confusion.tn), count(r.confusion.fp)}, {count(r.confusion.fn), count(r.confusion.tp)}}}};
    if (calibration) j["calibration"] = calibration_json(*calibration);
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::string t;
  auto line = [&t](const std::string& name, const std::string& value) {
    std::string l = name;
    l.resize(22, ' ');
    t += l + value + "\n";
  };
  line("rows", std::to_string(r.n));
  line("positive class", "'" + m.positive_class() + "' (" + count(r.positives).dump() +
                             (rows.weights.empty() ? " rows)" : " by weight)"));
  line("threshold", format_double(threshold));
  t += "\n";
  line("accuracy", cell(r.accuracy));
  line("precision", cell(r.precision));
  line("recall (sensitivity)", cell(r.recall));
  line("specificity", cell(r.specificity));
  line("F1", cell(r.f1));
  line("balanced accuracy", cell(r.balanced_accuracy));
  line("ROC AUC", cell(r.roc_auc));
  line("average precision", cell(r.average_precision));
  line("log loss", cell(r.log_loss));
  line("Brier score", cell(r.brier));
  t += "\nconfusion matrix (rows: actual, columns: predicted)\n";
  std::size_t w = std::max<std::size_t>({m.negative_class().size(), m.positive_class().size(), 8}) + 2;
  auto pad = [w](std::string s, bool right) {
    if (s.size() >= w) return s;
    return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
  };
  auto text = [](double x) { return count(x).dump(); };
  t += "  " + pad("", false) + pad(m.negative_class(), true) + pad(m.positive_class(), true) + "\n";
  t += "  " + pad(m.negative_class(), false) + pad(text(r.confusion.tn), true) + pad(text(r.confusion.fp), true) + "\n";
  t += "  " + pad(m.positive_class(), false) + pad(text(r.confusion.fn), true) + pad(text(r.confusion.tp), true) + "\n";
  if (calibration) t += calibration_text(*calibration);
  std::cout << t;
  return 0;
}

}  // namespace logreg::cli
