// Calibration of a binary model's probabilities (`logreg eval --calibration`).
//
// Reliability table: B equal-width bins over [0, 1]; bin b (0-based) holds the probabilities p
// with lower_b <= p < upper_b, the last bin also p = 1, where lower_b = b / B and upper_b =
// (b + 1) / B as doubles (numpy.histogram's rule; scikit-learn's calibration_curve puts a
// probability lying exactly on an inner edge into the bin below, and agrees otherwise).
//   count          = (weighted) number of rows in the bin
//   mean_predicted = (weighted) mean probability of its rows   (NaN for an empty bin)
//   observed       = (weighted) share of actual positives       (NaN for an empty bin)
//   ece            = sum over non-empty bins of count / total * |observed - mean_predicted|
// Weights count as frequencies: a row of weight 2 is two identical rows.
//
// Hosmer-Lemeshow test, exactly as R's ResourceSelection::hoslem.test(y, p, g = 10):
//   breaks  = unique(quantile(p, seq(0, 1, 1/g)))  (R's default quantile, type 7: the order
//             statistics x_(1) <= ... <= x_(n), index h = 1 + (n - 1) q, lo = floor(h),
//             break = (1 - (h - lo)) x_(lo) + (h - lo) x_(lo + 1), or x_(lo) when h = lo or
//             x_(lo + 1) = x_(lo); q = min(k (1/g), 1) for k = 0..g, as R's seq computes it)
//   groups  = cut(p, breaks, include.lowest = TRUE): [b_0, b_1], (b_1, b_2], ..., (b_m-1, b_m];
//             tied probabilities always share a group, so there may be fewer than g groups
//   statistic = sum over groups of (O1 - E1)^2 / E1 + (O0 - E0)^2 / E0, with O1 the positives,
//             O0 the negatives, E1 = sum of p, E0 = sum of (1 - p) in the group
//   df = g - 2 (also when ties merged groups, as hoslem.test), p_value = P(chi2_df > statistic)
// Where hoslem.test gives NaN this is defined instead: an empty group (possible with heavy
// ties or n <= g) is left out; a term with E = 0 counts 0 when O = 0 and makes the statistic
// infinite (p_value 0) otherwise; all probabilities equal: one group.
// With weights: only whole-number weights (frequencies) are accepted for the test, which is then
// that of the data with each row repeated `weight` times (rows of weight 0 left out); otherwise
// `computed` is false and `reason` says why.
// Throws std::invalid_argument for the inputs compute_binary_metrics refuses and for bins < 1 or
// groups < 3.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace logreg {

struct calibration_bin {
  double lower = 0, upper = 0;
  double count = 0;           // (weighted) rows
  double mean_predicted = 0;  // NaN when count == 0
  double observed = 0;        // NaN when count == 0
};

struct hosmer_lemeshow_group {
  double lower = 0, upper = 0;  // the group's breaks: [lower, upper] for the first, (lower, upper] after
  double count = 0;             // (weighted) rows
  double observed = 0;          // O1: (weighted) actual positives
  double expected = 0;          // E1: (weighted) sum of the probabilities
};

struct hosmer_lemeshow {
  bool computed = false;
  std::string reason;  // why not computed
  double statistic = 0;
  int df = 0;
  double p_value = 0;
  std::vector<hosmer_lemeshow_group> groups;  // the non-empty groups, by increasing probability
};

struct calibration_report {
  std::vector<calibration_bin> bins;
  double ece = 0;
  hosmer_lemeshow hl;
};

calibration_report compute_calibration(std::span<const std::uint8_t> is_positive, std::span<const double> probability,
                                       std::size_t bins = 10, std::span<const double> weights = {},
                                       std::size_t groups = 10);

}  // namespace logreg
