// Shared by the binary and the multiclass metrics: compensated sums and the one ROC / precision-
// recall walk over scores sorted in descending order.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace logreg::detail {

// Neumaier (improved Kahan) summation: error independent of n for sums of any sign.
struct compensated_sum {
  double sum = 0, carry = 0;
  void add(double x) {
    const double t = sum + x;
    if (std::fabs(sum) >= std::fabs(x))
      carry += (sum - t) + x;
    else
      carry += (x - t) + sum;
    sum = t;
  }
  double value() const { return sum + carry; }
};

// a / b, or 0 when b == 0 (sklearn's zero_division=0).
inline double ratio_or_zero(double a, double b) { return b != 0 ? a / b : 0.0; }

struct ranking_result {
  double roc_auc;            // NaN when there are no positives or no negatives (by weight)
  double average_precision;  // 0 when there are no positives
};

// ROC AUC and average precision from one descending sort of the rows in `order` (rows of weight 0
// already left out: sklearn filters them). Walking groups of equal score (= sklearn's distinct
// thresholds), with cumulative weighted counts TP_k, FP_k after group k:
//   2 * area * P * N = sum_k dFP_k * (TP_{k-1} + TP_k)    (trapezoid => ties count half)
//   AP * P           = sum_k dTP_k * TP_k / (TP_k + FP_k)
// Unweighted, every term of the AUC sum is an integer, so the AUC is exact up to one division.
// on_group(score, TP_k, FP_k) is called after each group (the curves of `eval --plot`).
struct no_group_visitor {
  void operator()(double, double, double) const {}
};
template <class Score, class Positive, class Weight, class OnGroup = no_group_visitor>
ranking_result rank_rows(std::vector<std::size_t>& order, Score score, Positive positive, Weight weight,
                         OnGroup on_group = {}) {
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score(a) > score(b); });
  compensated_sum tp, fp, auc2, ap;
  for (std::size_t g = 0; g < order.size();) {
    const double s = score(order[g]);
    compensated_sum dtp, dfp;
    std::size_t e = g;
    for (; e < order.size() && score(order[e]) == s; ++e) {
      const std::size_t i = order[e];
      (positive(i) ? dtp : dfp).add(weight(i));
    }
    const double tp_prev = tp.value();
    tp.add(dtp.value());
    fp.add(dfp.value());
    const double tp_now = tp.value(), fp_now = fp.value();
    auc2.add(dfp.value() * (tp_prev + tp_now));
    if (dtp.value() != 0) ap.add(dtp.value() * ratio_or_zero(tp_now, tp_now + fp_now));
    on_group(s, tp_now, fp_now);
    g = e;
  }
  const double p = tp.value(), q = fp.value();
  return {(p > 0 && q > 0) ? auc2.value() / (2.0 * p * q) : std::numeric_limits<double>::quiet_NaN(),
          p > 0 ? ap.value() / p : 0.0};
}

}  // namespace logreg::detail
