// K-class classification metrics; conventions documented in include/logreg/multiclass_metrics.hpp.
#include "logreg/multiclass_metrics.hpp"

#include "stats/ranking.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace logreg {
namespace {

using detail::compensated_sum;
using detail::ratio_or_zero;

void validate(std::span<const std::uint32_t> truth, std::span<const double> probability,
              std::size_t k, std::span<const double> weights) {
  const std::size_t n = truth.size();
  if (n == 0) throw std::invalid_argument("multiclass metrics: no rows");
  if (k < 2)
    throw std::invalid_argument("multiclass metrics: need at least 2 classes, got " +
                                std::to_string(k));
  if (probability.size() % k != 0 || probability.size() / k != n)
    throw std::invalid_argument("multiclass metrics: " + std::to_string(n) + " rows and " +
                                std::to_string(k) + " classes need " + std::to_string(n) + " x " +
                                std::to_string(k) + " probabilities, got " +
                                std::to_string(probability.size()));
  if (!weights.empty() && weights.size() != n)
    throw std::invalid_argument("multiclass metrics: " + std::to_string(n) + " labels but " +
                                std::to_string(weights.size()) + " weights");
  for (std::size_t i = 0; i < n; ++i)
    if (truth[i] >= k)
      throw std::invalid_argument("multiclass metrics: class " + std::to_string(truth[i]) +
                                  " of row " + std::to_string(i) + " is not below k = " +
                                  std::to_string(k));
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t c = 0; c < k; ++c) {
      const double p = probability[i * k + c];
      if (!(p >= 0.0 && p <= 1.0))
        throw std::invalid_argument("multiclass metrics: probability of class " +
                                    std::to_string(c) + " in row " + std::to_string(i) +
                                    " is not in [0, 1]");
      s += p;
    }
    // sklearn's roc_auc_score check: np.allclose(1, row sums).
    if (!(std::fabs(s - 1.0) <= 1e-8 + 1e-5 * s))
      throw std::invalid_argument("multiclass metrics: probabilities of row " + std::to_string(i) +
                                  " do not sum to 1");
  }
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (!(weights[i] >= 0.0) || !std::isfinite(weights[i]))
      throw std::invalid_argument("multiclass metrics: weight of row " + std::to_string(i) +
                                  " is negative or not finite");
}

// One-vs-rest ROC AUC of class c (positives: truth == c, scores: column c) over the rows in
// `order` (weight 0 left out); NaN when P == 0 or N == 0. See detail::rank_rows.
double one_vs_rest_auc(std::span<const std::uint32_t> truth, std::span<const double> probability,
                       std::size_t k, std::size_t c, std::span<const double> weights,
                       std::vector<std::size_t>& order) {
  return detail::rank_rows(
             order, [&](std::size_t i) { return probability[i * k + c]; }, [&](std::size_t i) { return truth[i] == c; },
             [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; })
      .roc_auc;
}

}  // namespace

multiclass_metrics compute_multiclass_metrics(std::span<const std::uint32_t> truth,
                                              std::span<const double> probability, std::size_t k,
                                              std::span<const double> weights) {
  validate(truth, probability, k, weights);
  const std::size_t n = truth.size();
  auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };

  multiclass_metrics m;
  m.n = n;
  m.k = k;

  constexpr double eps = DBL_EPSILON;  // sklearn 1.2 log_loss eps="auto" for float64
  std::vector<compensated_sum> cells(k * k);
  compensated_sum wsum, correct, loss;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weight(i);
    const double* row = probability.data() + i * k;
    const std::size_t t = truth[i];
    // First maximum, as numpy argmax.
    std::size_t predicted = 0;
    for (std::size_t c = 1; c < k; ++c)
      if (row[c] > row[predicted]) predicted = c;
    wsum.add(w);
    cells[t * k + predicted].add(w);
    if (predicted == t) correct.add(w);
    // sklearn: clip every entry to [eps, 1 - eps], divide by the clipped row sum, -log of the
    // true class's entry.
    double s = 0;
    for (std::size_t c = 0; c < k; ++c) s += std::clamp(row[c], eps, 1.0 - eps);
    loss.add(-w * std::log(std::clamp(row[t], eps, 1.0 - eps) / s));
  }
  m.weight_sum = wsum.value();
  if (!(m.weight_sum > 0)) throw std::invalid_argument("multiclass metrics: weights sum to zero");
  m.accuracy = correct.value() / m.weight_sum;
  m.log_loss = loss.value() / m.weight_sum;

  m.confusion.assign(k, std::vector<double>(k, 0.0));
  for (std::size_t t = 0; t < k; ++t)
    for (std::size_t p = 0; p < k; ++p) m.confusion[t][p] = cells[t * k + p].value();

  m.per_class.resize(k);
  compensated_sum mp, mr, mf, wp, wr, wf, support_sum;
  for (std::size_t c = 0; c < k; ++c) {
    compensated_sum true_sum, pred_sum;
    for (std::size_t j = 0; j < k; ++j) {
      true_sum.add(cells[c * k + j].value());
      pred_sum.add(cells[j * k + c].value());
    }
    class_report& r = m.per_class[c];
    const double tp = m.confusion[c][c];
    r.support = true_sum.value();
    r.precision = ratio_or_zero(tp, pred_sum.value());
    r.recall = ratio_or_zero(tp, r.support);
    r.f1 = ratio_or_zero(2 * r.precision * r.recall, r.precision + r.recall);
    mp.add(r.precision);
    mr.add(r.recall);
    mf.add(r.f1);
    wp.add(r.precision * r.support);
    wr.add(r.recall * r.support);
    wf.add(r.f1 * r.support);
    support_sum.add(r.support);
  }
  const double kd = static_cast<double>(k);
  m.macro_precision = mp.value() / kd;
  m.macro_recall = mr.value() / kd;
  m.macro_f1 = mf.value() / kd;
  // support_sum == W > 0 here (validated above).
  m.weighted_precision = wp.value() / support_sum.value();
  m.weighted_recall = wr.value() / support_sum.value();
  m.weighted_f1 = wf.value() / support_sum.value();

  bool every_class_present = true;
  for (const class_report& r : m.per_class)
    if (!(r.support > 0)) every_class_present = false;
  if (!every_class_present) {
    m.roc_auc_ovr_macro = std::numeric_limits<double>::quiet_NaN();
  } else {
    std::vector<std::size_t> order;
    order.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      if (weight(i) != 0.0) order.push_back(i);
    compensated_sum auc;
    for (std::size_t c = 0; c < k; ++c) auc.add(one_vs_rest_auc(truth, probability, k, c, weights, order));
    m.roc_auc_ovr_macro = auc.value() / kd;
  }
  return m;
}

}  // namespace logreg
