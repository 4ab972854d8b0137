#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
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

threshold_metric parse_metric(const std::string& text) {
  for (threshold_metric m : {threshold_metric::f1, threshold_metric::youden, threshold_metric::cost,
                             threshold_metric::precision, threshold_metric::recall})
    if (text == to_string(m)) return m;
  throw usage_error("--metric: expected one of f1, youden, cost, precision, recall; got '" + text + "'");
}

double parse_share(const std::string& flag, const std::string& text) {
  const double v = parse_double(flag, text);
  if (!(v >= 0 && v <= 1)) throw usage_error(flag + ": expected a number from 0 to 1, got '" + text + "'");
  return v;
}

double parse_cost(const std::string& flag, const std::string& text) {
  const double v = parse_double(flag, text);
  if (!(v >= 0)) throw usage_error(flag + ": expected a non-negative number, got '" + text + "'");
  return v;
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

nlohmann::json count(double x) {
  if (x == std::floor(x) && std::fabs(x) < 9e15) return nlohmann::json(static_cast<long long>(x));
  return nlohmann::json(x);
}

std::string cell(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", x);
  return buf;
}

std::string metric_title(threshold_metric m) {
  switch (m) {
    case threshold_metric::f1: return "F1";
    case threshold_metric::youden: return "Youden's J (recall + specificity - 1)";
    case threshold_metric::cost: return "cost";
    case threshold_metric::precision: return "precision";
    case threshold_metric::recall: return "recall";
  }
  return "";
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

  threshold_options o;
  const bool costs = a.has("cost-fp") || a.has("cost-fn");
  if (a.has("metric")) {
    o.metric = parse_metric(a.get("metric"));
  } else if (costs) {
    o.metric = threshold_metric::cost;
  } else if (a.has("min-precision") != a.has("min-recall")) {
    o.metric = a.has("min-precision") ? threshold_metric::recall : threshold_metric::precision;
  }
  if (a.has("cost-fp")) o.cost_fp = parse_cost("--cost-fp", a.get("cost-fp"));
  if (a.has("cost-fn")) o.cost_fn = parse_cost("--cost-fn", a.get("cost-fn"));
  if (a.has("min-precision")) o.min_precision = parse_share("--min-precision", a.get("min-precision"));
  if (a.has("min-recall")) o.min_recall = parse_share("--min-recall", a.get("min-recall"));
  if (costs && o.metric != threshold_metric::cost)
    throw usage_error(std::string(a.has("cost-fp") ? "--cost-fp" : "--cost-fn") + ": applies only to --metric cost");
  if (o.metric == threshold_metric::recall && !o.min_precision)
    throw usage_error("--metric recall: needs --min-precision P (the best recall with precision >= P; recall alone is 1 at the lowest threshold)");
  if (o.metric == threshold_metric::precision && !o.min_recall)
    throw usage_error("--metric precision: needs --min-recall R (the best precision with recall >= R)");

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
  double positives = 0, negatives = 0;
  for (std::size_t i = 0; i < rows.is_positive.size(); ++i)
    (rows.is_positive[i] ? positives : negatives) += rows.weights.empty() ? 1.0 : rows.weights[i];
  if ((positives > 0) != (negatives > 0))  // (both 0: every weight is 0, which choose_threshold reports)
    throw data_error(source + ": every row" + (rows.weights.empty() ? "" : " of non-zero weight") + " is '" +
                     (positives > 0 ? m.positive_class() : m.negative_class()) +
                     "': choosing a threshold needs both classes");
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

  if (a.has("json")) {
    nlohmann::json j;
    j["threshold"] = c.threshold;
    j["metric"] = to_string(o.metric);
    j["value"] = c.value;
    if (o.metric == threshold_metric::cost) j["costs"] = {{"fp", o.cost_fp}, {"fn", o.cost_fn}};
    j["min_precision"] = o.min_precision ? nlohmann::json(*o.min_precision) : nlohmann::json(nullptr);
    j["min_recall"] = o.min_recall ? nlohmann::json(*o.min_recall) : nlohmann::json(nullptr);
    j["candidates"] = c.candidates;
    j["eligible"] = c.eligible;
    j["rows"] = r.n;
    j["positive_class"] = m.positive_class();
    j["negative_class"] = m.negative_class();
    j["positives"] = count(r.positives);
    j["negatives"] = count(r.negatives);
    j["accuracy"] = r.accuracy;
    j["precision"] = r.precision;
    j["recall"] = r.recall;
    j["specificity"] = r.specificity;
    j["f1"] = r.f1;
    j["youden"] = r.recall + r.specificity - 1;
    j["tp"] = count(r.confusion.tp);
    j["fp"] = count(r.confusion.fp);
    j["tn"] = count(r.confusion.tn);
    j["fn"] = count(r.confusion.fn);
    j["model_threshold"] = old_threshold;
    j["written"] = a.has("write");
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
  std::string how = "best " + metric_title(o.metric);
  if (o.metric == threshold_metric::cost) how = "lowest cost " + format_double(o.cost_fp) + " FP + " + format_double(o.cost_fn) + " FN";
  if (o.min_precision) how += ", precision >= " + format_double(*o.min_precision);
  if (o.min_recall) how += ", recall >= " + format_double(*o.min_recall);
  line("chosen by", how);
  line("candidates", std::to_string(c.candidates) + " distinct probabilities" +
                         (o.min_precision || o.min_recall ? " (" + std::to_string(c.eligible) + " meet the constraints)" : ""));
  line("threshold", format_double(c.threshold));
  if (a.has("write"))
    line("written to", model_path + " (its threshold was " + format_double(old_threshold) + ")");
  else
    line("model's threshold", format_double(old_threshold));
  t += "\n";
  if (o.metric == threshold_metric::cost) line("cost", count(c.value).dump());
  line("accuracy", cell(r.accuracy));
  line("precision", cell(r.precision));
  line("recall (sensitivity)", cell(r.recall));
  line("specificity", cell(r.specificity));
  line("F1", cell(r.f1));
  line("Youden's J", cell(r.recall + r.specificity - 1));
  t += "\n";
  line("tp", count(r.confusion.tp).dump());
  line("fp", count(r.confusion.fp).dump());
  line("tn", count(r.confusion.tn).dump());
  line("fn", count(r.confusion.fn).dump());
  std::cout << t;
  return 0;
}

}  // namespace logreg::cli
