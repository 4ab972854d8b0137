#include "stats/curves.hpp"

#include "logreg/metrics.hpp"
#include "stats/ranking.hpp"

namespace logreg {

ranking_curves compute_ranking_curves(std::span<const std::uint8_t> is_positive, std::span<const double> score,
                                      std::span<const double> weights) {
  compute_binary_metrics(is_positive, score, 0.5, weights);  // the same validation (and the same refusals)
  auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  std::vector<std::size_t> order;
  order.reserve(is_positive.size());
  for (std::size_t i = 0; i < is_positive.size(); ++i)
    if (weight(i) != 0.0) order.push_back(i);
  std::vector<double> tp, fp;
  const detail::ranking_result r = detail::rank_rows(
      order, [&](std::size_t i) { return score[i]; }, [&](std::size_t i) { return is_positive[i] != 0; }, weight,
      [&](double, double t, double f) {
        tp.push_back(t);
        fp.push_back(f);
      });
  ranking_curves c;
  c.positives = tp.empty() ? 0 : tp.back();
  c.negatives = fp.empty() ? 0 : fp.back();
  c.roc_auc = r.roc_auc;
  c.average_precision = r.average_precision;
  if (c.positives > 0 && c.negatives > 0) {
    c.fpr.push_back(0);
    c.tpr.push_back(0);
    for (std::size_t k = 0; k < tp.size(); ++k) {
      c.fpr.push_back(fp[k] / c.negatives);
      c.tpr.push_back(tp[k] / c.positives);
    }
  }
  if (c.positives > 0)
    for (std::size_t k = 0; k < tp.size(); ++k) {
      c.recall.push_back(tp[k] / c.positives);
      c.precision.push_back(tp[k] + fp[k] > 0 ? tp[k] / (tp[k] + fp[k]) : 0.0);
    }
  return c;
}

}  // namespace logreg
