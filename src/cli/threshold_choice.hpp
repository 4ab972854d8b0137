// The threshold choice shared by `logreg threshold` (on a model's predictions) and
// `cv --choose-threshold` (on the out-of-fold predictions): the flags that constrain it, and the
// report of the choice as text lines and as JSON fields.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "logreg/threshold.hpp"

namespace logreg::cli {

threshold_metric parse_threshold_metric(const std::string& flag, const std::string& text);

// --cost-fp, --cost-fn, --min-precision, --min-recall; metric_flag names the flag of the metric.
std::vector<flag> threshold_constraint_flags(const std::string& metric_flag);

// The options from those flags; metric is the --metric (threshold) or --choose-threshold (cv) value
// when given, else inferred as `threshold` documents (cost with a cost flag, the other measure with
// one --min- flag, f1). Throws usage_error for inconsistent flags.
threshold_options parse_threshold_options(const parsed_args& a, std::optional<threshold_metric> metric,
                                          const std::string& metric_flag);

// Both classes must be present (by weight). `source` names the data in the message.
void require_both_classes(std::span<const std::uint8_t> is_positive, std::span<const double> weights,
                          const std::string& source, const std::string& positive, const std::string& negative);

// The report: `how` lines and the metrics at the chosen threshold.
struct threshold_report {
  const threshold_choice& choice;
  const threshold_options& options;
  std::string positive, negative;
  bool weighted = false;
};
// "chosen by", "candidates" and "threshold" lines, each "name" padded to 22 columns.
std::string threshold_how_lines(const threshold_report& r);
// The metrics at the threshold: cost (for --metric cost), accuracy ... Youden's J, then tp fp tn fn.
std::string threshold_metric_lines(const threshold_report& r);
std::string threshold_line(const std::string& name, const std::string& value);
// A (weighted) count as printed: an integer when it is one.
std::string threshold_count(double x);
// The JSON fields "threshold", "metric", "value", "costs", "min_precision", "min_recall",
// "candidates", "eligible", "rows", "positive_class", "negative_class", "positives", "negatives",
// "accuracy", "precision", "recall", "specificity", "f1", "youden", "tp", "fp", "tn", "fn".
nlohmann::json threshold_json(const threshold_report& r);

}  // namespace logreg::cli
