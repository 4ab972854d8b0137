// Calibration: reliability table, ECE, Hosmer-Lemeshow; conventions in include/logreg/calibration.hpp.
#include "logreg/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "io/number_parser.hpp"
#include "logreg/metrics.hpp"
#include "stats/distributions.hpp"
#include "stats/ranking.hpp"

namespace logreg {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Bin of p in [0, 1]: the b with b / B <= p < (b + 1) / B, the last bin closed. floor(p B) may be
// off by one where p B rounds across an integer; the comparisons with the edges settle it.
std::size_t bin_of(double p, std::size_t B) {
  const double Bd = static_cast<double>(B);
  auto edge = [&](std::size_t b) { return static_cast<double>(b) / Bd; };
  std::size_t b = static_cast<std::size_t>(std::min(std::floor(p * Bd), Bd - 1));
  while (b > 0 && p < edge(b)) --b;
  while (b + 1 < B && p >= edge(b + 1)) ++b;
  return b;
}

// R's quantile(x, probs = seq(0, 1, 1/g)) (type 7) of the sorted values `x` repeated count[i]
// times (whole numbers; cum[i] = count[0] + ... + count[i]), then unique and sorted.
std::vector<double> hl_breaks(const std::vector<double>& x, const std::vector<double>& cum, std::size_t g) {
  const double n = cum.back();
  // The value at 1-based position k of the expanded sample.
  auto at = [&](double k) {
    const auto it = std::lower_bound(cum.begin(), cum.end(), k);
    return x[static_cast<std::size_t>(it - cum.begin())];
  };
  const double by = 1.0 / static_cast<double>(g);
  std::vector<double> breaks;
  for (std::size_t k = 0; k <= g; ++k) {
    const double q = std::min(static_cast<double>(k) * by, 1.0);  // R: seq(0, 1, 1/g) = pmin(0 + (0:g) * by, 1)
    const double index = 1.0 + std::max(n - 1.0, 0.0) * q;
    const double lo = std::floor(index), hi = std::ceil(index);
    double qs = at(lo);
    const double xhi = at(hi);
    if (index > lo && xhi != qs) {
      const double h = index - lo;
      qs = (1 - h) * qs + h * xhi;
    }
    breaks.push_back(qs);
  }
  std::sort(breaks.begin(), breaks.end());
  breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
  return breaks;
}

hosmer_lemeshow hosmer_lemeshow_test(std::span<const std::uint8_t> is_positive, std::span<const double> probability,
                                     std::span<const double> weights, std::size_t g) {
  hosmer_lemeshow r;
  auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (weights[i] != std::floor(weights[i])) {
      r.reason = "the Hosmer-Lemeshow test needs whole-number weights (frequencies); row " + std::to_string(i + 1) +
                 " has weight " + format_double(weights[i]);
      return r;
    }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < probability.size(); ++i)
    if (weight(i) != 0.0) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return probability[a] < probability[b]; });
  std::vector<double> x, cum;
  double running = 0;
  for (std::size_t i : order) {
    running += weight(i);  // whole numbers: exact below 2^53
    x.push_back(probability[i]);
    cum.push_back(running);
  }
  const std::vector<double> breaks = hl_breaks(x, cum, g);
  const std::size_t m = std::max<std::size_t>(breaks.size(), 2) - 1;  // intervals (one when every p is equal)
  std::vector<detail::compensated_sum> count(m), o1(m), e1(m), e0(m);
  for (std::size_t i : order) {
    const double p = probability[i], w = weight(i);
    // cut(include.lowest = TRUE): [b0, b1], (b1, b2], ...: the first break >= p among b1..bm.
    const std::size_t j = breaks.size() < 2 ? 0
                                            : static_cast<std::size_t>(std::lower_bound(breaks.begin() + 1, breaks.end(), p) -
                                                                       (breaks.begin() + 1));
    count[j].add(w);
    if (is_positive[i]) o1[j].add(w);
    e1[j].add(w * p);
    e0[j].add(w * (1 - p));
  }
  auto term = [](double o, double e) {
    if (e == 0) return o == 0 ? 0.0 : std::numeric_limits<double>::infinity();
    return (o - e) * (o - e) / e;
  };
  detail::compensated_sum stat;  // (a compensated sum cannot hold infinity: counted apart)
  bool infinite = false;
  for (std::size_t j = 0; j < m; ++j) {
    const double c = count[j].value();
    if (c == 0) continue;
    hosmer_lemeshow_group grp;
    grp.lower = breaks[j];
    grp.upper = breaks[std::min(j + 1, breaks.size() - 1)];
    grp.count = c;
    grp.observed = o1[j].value();
    grp.expected = e1[j].value();
    r.groups.push_back(grp);
    for (const double x : {term(grp.observed, grp.expected), term(c - grp.observed, e0[j].value())})
      if (std::isinf(x))
        infinite = true;
      else
        stat.add(x);
  }
  r.computed = true;
  r.statistic = infinite ? std::numeric_limits<double>::infinity() : stat.value();
  r.df = static_cast<int>(g) - 2;
  r.p_value = std::isinf(r.statistic) ? 0.0 : chi_square_upper_tail(r.statistic, r.df);
  return r;
}

}  // namespace

calibration_report compute_calibration(std::span<const std::uint8_t> is_positive, std::span<const double> probability,
                                       std::size_t bins, std::span<const double> weights, std::size_t groups) {
  if (bins < 1) throw std::invalid_argument("calibration: at least one bin is needed");
  if (groups < 3) throw std::invalid_argument("calibration: the Hosmer-Lemeshow test needs at least 3 groups");
  const binary_metrics all = compute_binary_metrics(is_positive, probability, 0.5, weights);  // validates
  auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  std::vector<detail::compensated_sum> count(bins), psum(bins), ysum(bins);
  for (std::size_t i = 0; i < probability.size(); ++i) {
    const double w = weight(i);
    if (w == 0) continue;
    const std::size_t b = bin_of(probability[i], bins);
    count[b].add(w);
    psum[b].add(w * probability[i]);
    if (is_positive[i]) ysum[b].add(w);
  }
  calibration_report r;
  detail::compensated_sum ece;
  for (std::size_t b = 0; b < bins; ++b) {
    calibration_bin bin;
    bin.lower = static_cast<double>(b) / static_cast<double>(bins);
    bin.upper = static_cast<double>(b + 1) / static_cast<double>(bins);
    bin.count = count[b].value();
    if (bin.count > 0) {
      bin.mean_predicted = psum[b].value() / bin.count;
      bin.observed = ysum[b].value() / bin.count;
      ece.add(bin.count * std::fabs(bin.observed - bin.mean_predicted));
    } else {
      bin.mean_predicted = bin.observed = nan;
    }
    r.bins.push_back(bin);
  }
  r.ece = ece.value() / all.weight_sum;
  r.hl = hosmer_lemeshow_test(is_positive, probability, weights, groups);
  return r;
}

}  // namespace logreg
