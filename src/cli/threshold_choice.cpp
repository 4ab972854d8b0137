#include "cli/threshold_choice.hpp"

#include <cmath>
#include <cstdio>

#include "logreg/error.hpp"

namespace logreg::cli {

namespace {

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

threshold_metric parse_threshold_metric(const std::string& flag, const std::string& text) {
  for (threshold_metric m : {threshold_metric::f1, threshold_metric::youden, threshold_metric::cost,
                             threshold_metric::precision, threshold_metric::recall})
    if (text == to_string(m)) return m;
  throw usage_error(flag + ": expected one of f1, youden, cost, precision, recall; got '" + text + "'");
}

std::vector<flag> threshold_constraint_flags(const std::string& metric_flag) {
  return {
      {"cost-fp", metric_flag + " cost: the cost of a false positive, >= 0", "A", "1"},
      {"cost-fn", metric_flag + " cost: the cost of a false negative, >= 0", "B", "1"},
      {"min-precision", "consider only thresholds with precision >= P", "P", "none"},
      {"min-recall", "consider only thresholds with recall >= R", "R", "none"},
  };
}

threshold_options parse_threshold_options(const parsed_args& a, std::optional<threshold_metric> metric,
                                          const std::string& metric_flag) {
  threshold_options o;
  const bool costs = a.has("cost-fp") || a.has("cost-fn");
  if (metric) {
    o.metric = *metric;
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
    throw usage_error(std::string(a.has("cost-fp") ? "--cost-fp" : "--cost-fn") + ": applies only to " + metric_flag + " cost");
  if (o.metric == threshold_metric::recall && !o.min_precision)
    throw usage_error(metric_flag + " recall: needs --min-precision P (the best recall with precision >= P; recall alone is 1 at the lowest threshold)");
  if (o.metric == threshold_metric::precision && !o.min_recall)
    throw usage_error(metric_flag + " precision: needs --min-recall R (the best precision with recall >= R)");
  return o;
}

void require_both_classes(std::span<const std::uint8_t> is_positive, std::span<const double> weights,
                          const std::string& source, const std::string& positive, const std::string& negative) {
  double positives = 0, negatives = 0;
  for (std::size_t i = 0; i < is_positive.size(); ++i) (is_positive[i] ? positives : negatives) += weights.empty() ? 1.0 : weights[i];
  if ((positives > 0) != (negatives > 0))  // (both 0: every weight is 0, which choose_threshold reports)
    throw data_error(source + ": every row" + (weights.empty() ? "" : " of non-zero weight") + " is '" +
                     (positives > 0 ? positive : negative) + "': choosing a threshold needs both classes");
}

std::string threshold_count(double x) { return count(x).dump(); }

std::string threshold_line(const std::string& name, const std::string& value) {
  std::string l = name;
  l.resize(22, ' ');
  return l + value + "\n";
}

std::string threshold_how_lines(const threshold_report& r) {
  const threshold_options& o = r.options;
  std::string how = "best " + metric_title(o.metric);
  if (o.metric == threshold_metric::cost) how = "lowest cost " + format_double(o.cost_fp) + " FP + " + format_double(o.cost_fn) + " FN";
  if (o.min_precision) how += ", precision >= " + format_double(*o.min_precision);
  if (o.min_recall) how += ", recall >= " + format_double(*o.min_recall);
  return threshold_line("chosen by", how) +
         threshold_line("candidates", std::to_string(r.choice.candidates) + " distinct probabilities" +
                                          (o.min_precision || o.min_recall
                                               ? " (" + std::to_string(r.choice.eligible) + " meet the constraints)"
                                               : "")) +
         threshold_line("threshold", format_double(r.choice.threshold));
}

std::string threshold_metric_lines(const threshold_report& r) {
  const binary_metrics& m = r.choice.metrics;
  std::string t;
  if (r.options.metric == threshold_metric::cost) t += threshold_line("cost", count(r.choice.value).dump());
  t += threshold_line("accuracy", cell(m.accuracy));
  t += threshold_line("precision", cell(m.precision));
  t += threshold_line("recall (sensitivity)", cell(m.recall));
  t += threshold_line("specificity", cell(m.specificity));
  t += threshold_line("F1", cell(m.f1));
  t += threshold_line("Youden's J", cell(m.recall + m.specificity - 1));
  t += "\n";
  t += threshold_line("tp", count(m.confusion.tp).dump());
  t += threshold_line("fp", count(m.confusion.fp).dump());
  t += threshold_line("tn", count(m.confusion.tn).dump());
  t += threshold_line("fn", count(m.confusion.fn).dump());
  return t;
}

nlohmann::json threshold_json(const threshold_report& r) {
  const threshold_options& o = r.options;
  const binary_metrics& m = r.choice.metrics;
  nlohmann::json j;
  j["threshold"] = r.choice.threshold;
  j["metric"] = to_string(o.metric);
  j["value"] = r.choice.value;
  if (o.metric == threshold_metric::cost) j["costs"] = {{"fp", o.cost_fp}, {"fn", o.cost_fn}};
  j["min_precision"] = o.min_precision ? nlohmann::json(*o.min_precision) : nlohmann::json(nullptr);
  j["min_recall"] = o.min_recall ? nlohmann::json(*o.min_recall) : nlohmann::json(nullptr);
  j["candidates"] = r.choice.candidates;
  j["eligible"] = r.choice.eligible;
  j["rows"] = m.n;
  j["positive_class"] = r.positive;
  j["negative_class"] = r.negative;
  j["positives"] = count(m.positives);
  j["negatives"] = count(m.negatives);
  j["accuracy"] = m.accuracy;
  j["precision"] = m.precision;
  j["recall"] = m.recall;
  j["specificity"] = m.specificity;
  j["f1"] = m.f1;
  j["youden"] = m.recall + m.specificity - 1;
  j["tp"] = count(m.confusion.tp);
  j["fp"] = count(m.confusion.fp);
  j["tn"] = count(m.confusion.tn);
  j["fn"] = count(m.confusion.fn);
  return j;
}

}  // namespace logreg::cli
