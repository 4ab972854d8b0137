#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/threshold_choice.hpp"
#include "io/number_parser.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"
#include "logreg/threshold.hpp"

namespace logreg::cli {

namespace {
const command_spec spec{
    "threshold",
    "logreg threshold [DATA] -m MODEL [--metric M] [options]",
    "Choose a two-class model's decision threshold on labelled data (the model's target column must be\n"
    "present): every distinct predicted probability is tried as the threshold (positive when probability\n"
    ">= it, as predict and eval do) and the best one by --metric is shown; ties go to the largest.\n"
    "--write stores it in the model, and predict and eval then use it.",
    {
        {"m,model", "the model (two classes)", "MODEL", ""},
        {"metric", "f1, youden (TPR - FPR), cost, precision (with --min-recall) or recall (with --min-precision)", "M",
         "f1; cost with --cost-fp/--cost-fn; with one --min- flag the other measure"},
        {"cost-fp", "--metric cost: the cost of a false positive, >= 0", "A", "1"},
        {"cost-fn", "--metric cost: the cost of a false negative, >= 0", "B", "1"},
        {"min-precision", "consider only thresholds with precision >= P", "P", "none"},
        {"min-recall", "consider only thresholds with recall >= R", "R", "none"},
        {"write", "store the chosen threshold in MODEL (replaced atomically)", "", ""},
        {"json", "print one JSON object instead of a table", "", ""},
        {"weight", "column of non-negative row weights: weighted counts", "COL", "none"},
        {"unknown", "a categorical level not seen in training: zero (all indicators 0) or error", "U", "zero"},
        {"na-values", "cell texts that mean missing, besides empty cells", "A,B,..", "the model's"},
        {"delimiter", "field delimiter of the input: one byte or 'tab'", "C", ","},
        {"format", "input format: csv or libsvm", "F", "libsvm for .svm/.libsvm files, else the model's"},
        {"threads", "threads for parsing (0: one per core)", "N", "0"},
        {"quiet", "show only warnings and errors", "", ""},
    }};

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

int run_threshold(const args_t& args) {
  parsed_args a;
  if (!parse(spec, args, a)) return 0;
  if (!a.has("model")) throw usage_error("threshold: -m/--model MODEL is required");
  csv_dialect dialect;
  if (a.has("delimiter")) dialect = parse_dialect(a.get("delimiter"));
  if (a.has("threads")) set_thread_count(parse_int("--threads", a.get("threads"), 0, 1024));
  const std::optional<data_format> asked = a.has("format") ? std::optional(parse_data_format(a.get("format"))) : std::nullopt;

  const threshold_options o = parse_threshold_options(
      a, a.has("metric") ? std::optional(parse_threshold_metric("--metric", a.get("metric"))) : std::nullopt, "--metric");

  const std::string model_path = a.get("model");
  if (a.has("write")) {  // fail before reading the data when the model cannot be replaced
    const std::string dir = directory_of(model_path);
    if (::access(dir.c_str(), W_OK) != 0)
      throw data_error(model_path + ": cannot write the model: directory '" + dir + "' is not writable or does not exist");
  }
  model m = load_model(model_path);
  if (!m.binary())
    throw usage_error("threshold: applies to two-class models; " + model_path + " has " + std::to_string(m.classes.size()) +
                      " classes");
  const data_format format = labelled_format(a, asked, m, model_path);
  reporter out(a.has("quiet"), false);
  warn_if_not_converged(m, model_path, out);
  const scored_rows rows = read_labelled(a, m, format, dialect, out, "scoring");
  const std::string source = a.data == "-" ? "<stdin>" : a.data;

  // Both classes are needed; say which one is missing by name.
  require_both_classes(rows.is_positive, rows.weights, source, m.positive_class(), m.negative_class());
  threshold_choice c;
  try {
    c = choose_threshold(rows.is_positive, rows.probability, o, rows.weights);
  } catch (const std::invalid_argument& e) {
    throw data_error(source + ": " + e.what());
  }
  const binary_metrics& r = c.metrics;
  const double old_threshold = m.threshold;
  if (a.has("write")) {
    m.threshold = c.threshold;
    save_model(m, model_path);
  }

  const threshold_report report{c, o, m.positive_class(), m.negative_class(), !rows.weights.empty()};
  if (a.has("json")) {
    nlohmann::json j = threshold_json(report);
    j["model_threshold"] = old_threshold;
    j["written"] = a.has("write");
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::string t;
  t += threshold_line("rows", std::to_string(r.n));
  t += threshold_line("positive class", "'" + m.positive_class() + "' (" + threshold_count(r.positives) +
                                            (rows.weights.empty() ? " rows)" : " by weight)"));
  t += threshold_how_lines(report);
  if (a.has("write"))
    t += threshold_line("written to", model_path + " (its threshold was " + format_double(old_threshold) + ")");
  else
    t += threshold_line("model's threshold", format_double(old_threshold));
  t += "\n";
  t += threshold_metric_lines(report);
  std::cout << t;
  return 0;
}

}  // namespace logreg::cli
