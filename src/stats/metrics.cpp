// Binary classification metrics; conventions documented in include/logreg/metrics.hpp.
#include "logreg/metrics.hpp"

#include "stats/ranking.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace logreg {
namespace {

using detail::compensated_sum;
using detail::ratio_or_zero;

void validate(std::span<const std::uint8_t> is_positive, std::span<const double> probability,
              double threshold, std::span<const double> weights) {
  if (is_positive.empty()) throw std::invalid_argument("metrics: no rows");
  if (probability.size() != is_positive.size())
    throw std::invalid_argument("metrics: " + std::to_string(is_positive.size()) + " labels but " +
                                std::to_string(probability.size()) + " probabilities");
  if (!weights.empty() && weights.size() != is_positive.size())
    throw std::invalid_argument("metrics: " + std::to_string(is_positive.size()) + " labels but " +
                                std::to_string(weights.size()) + " weights");
  if (std::isnan(threshold)) throw std::invalid_argument("metrics: threshold is NaN");
  for (std::size_t i = 0; i < probability.size(); ++i)
    if (!(probability[i] >= 0.0 && probability[i] <= 1.0))
      throw std::invalid_argument("metrics: probability of row " + std::to_string(i) +
                                  " is not in [0, 1]");
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (!(weights[i] >= 0.0) || !std::isfinite(weights[i]))
      throw std::invalid_argument("metrics: weight of row " + std::to_string(i) +
                                  " is negative or not finite");
}

// ROC AUC and average precision (detail::rank_rows), rows of weight 0 left out as sklearn does.
void ranking_metrics(std::span<const std::uint8_t> is_positive, std::span<const double> probability,
                     std::span<const double> weights, binary_metrics& m) {
  auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  std::vector<std::size_t> order;
  order.reserve(is_positive.size());
  for (std::size_t i = 0; i < is_positive.size(); ++i)
    if (weight(i) != 0.0) order.push_back(i);
  const detail::ranking_result r = detail::rank_rows(
      order, [&](std::size_t i) { return probability[i]; }, [&](std::size_t i) { return is_positive[i] != 0; }, weight);
  m.roc_auc = r.roc_auc;
  m.average_precision = r.average_precision;
}

}  // namespace

binary_metrics compute_binary_metrics(std::span<const std::uint8_t> is_positive,
                                      std::span<const double> probability, double threshold,
                                      std::span<const double> weights, bool ranking) {
  validate(is_positive, probability, threshold, weights);
  const std::size_t n = is_positive.size();
  auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };

  binary_metrics m;
  m.n = n;
  m.threshold = threshold;

  constexpr double eps = DBL_EPSILON;  // sklearn 1.2 log_loss eps="auto" for float64
  compensated_sum wsum, pos, neg, tn, fp, fn, tp, loss, brier;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weight(i), p = probability[i];
    const bool actual = is_positive[i] != 0, predicted = p >= threshold;
    wsum.add(w);
    (actual ? pos : neg).add(w);
    (actual ? (predicted ? tp : fn) : (predicted ? fp : tn)).add(w);
    // sklearn: clip, form (1 - p, p), renormalise the pair, -log of the true class's entry.
    const double pc = std::clamp(p, eps, 1.0 - eps), qc = 1.0 - pc, s = qc + pc;
    loss.add(-w * std::log((actual ? pc : qc) / s));
    const double r = (actual ? 1.0 : 0.0) - p;
    brier.add(w * r * r);
  }
  m.weight_sum = wsum.value();
  if (!(m.weight_sum > 0)) throw std::invalid_argument("metrics: weights sum to zero");
  m.positives = pos.value();
  m.negatives = neg.value();
  m.confusion = {tn.value(), fp.value(), fn.value(), tp.value()};
  const confusion_counts& c = m.confusion;

  m.accuracy = (c.tp + c.tn) / m.weight_sum;
  m.precision = ratio_or_zero(c.tp, c.tp + c.fp);
  m.recall = ratio_or_zero(c.tp, m.positives);
  m.specificity = ratio_or_zero(c.tn, m.negatives);
  m.f1 = ratio_or_zero(2 * c.tp, 2 * c.tp + c.fp + c.fn);
  if (m.positives > 0 && m.negatives > 0)
    m.balanced_accuracy = (m.recall + m.specificity) / 2;
  else
    m.balanced_accuracy = m.positives > 0 ? m.recall : m.specificity;
  m.log_loss = loss.value() / m.weight_sum;
  m.brier = brier.value() / m.weight_sum;
  if (ranking) ranking_metrics(is_positive, probability, weights, m);
  return m;
}

}  // namespace logreg
