// Threshold choice; conventions documented in include/logreg/threshold.hpp.
#include "logreg/threshold.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "stats/ranking.hpp"

namespace logreg {

namespace {

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

}  // namespace

std::string to_string(threshold_metric m) {
  switch (m) {
    case threshold_metric::f1: return "f1";
    case threshold_metric::youden: return "youden";
    case threshold_metric::cost: return "cost";
    case threshold_metric::precision: return "precision";
    case threshold_metric::recall: return "recall";
  }
  return "?";
}

std::vector<threshold_point> threshold_curve(std::span<const std::uint8_t> is_positive,
                                             std::span<const double> probability,
                                             std::span<const double> weights) {
  compute_binary_metrics(is_positive, probability, 0.5, weights);  // validates the input as eval would
  auto weight = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  std::vector<std::size_t> order;
  order.reserve(is_positive.size());
  for (std::size_t i = 0; i < is_positive.size(); ++i)
    if (weight(i) != 0.0) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return probability[a] > probability[b]; });

  std::vector<threshold_point> curve;
  detail::compensated_sum tp, fp;
  for (std::size_t g = 0; g < order.size();) {
    const double s = probability[order[g]];
    std::size_t e = g;
    for (; e < order.size() && probability[order[e]] == s; ++e) {
      const std::size_t i = order[e];
      (is_positive[i] ? tp : fp).add(weight(i));
    }
    threshold_point pt;
    pt.threshold = s;
    pt.tp = tp.value();
    pt.fp = fp.value();
    curve.push_back(pt);
    g = e;
  }
  // The totals are the last cumulative counts (as sklearn's tps[-1]), so the lowest threshold has
  // recall exactly 1 whatever the rounding of weighted sums.
  const double P = curve.empty() ? 0 : curve.back().tp, N = curve.empty() ? 0 : curve.back().fp;
  for (threshold_point& pt : curve) {
    pt.fn = P - pt.tp;
    pt.tn = N - pt.fp;
    pt.precision = detail::ratio_or_zero(pt.tp, pt.tp + pt.fp);
    pt.recall = detail::ratio_or_zero(pt.tp, P);
    pt.f1 = detail::ratio_or_zero(2 * pt.tp, 2 * pt.tp + pt.fp + pt.fn);
    pt.youden = (P > 0 && N > 0) ? pt.tp / P - pt.fp / N : 0.0;
  }
  return curve;
}

threshold_choice choose_threshold(std::span<const std::uint8_t> is_positive, std::span<const double> probability,
                                  const threshold_options& o, std::span<const double> weights) {
  if (!(o.cost_fp >= 0) || !std::isfinite(o.cost_fp) || !(o.cost_fn >= 0) || !std::isfinite(o.cost_fn))
    throw std::invalid_argument("threshold: the costs must be non-negative finite numbers");
  for (const auto& bound : {o.min_precision, o.min_recall})
    if (bound && !(*bound >= 0 && *bound <= 1)) throw std::invalid_argument("threshold: a minimum precision or recall must lie in [0, 1]");
  const std::vector<threshold_point> curve = threshold_curve(is_positive, probability, weights);
  const double P = curve.back().tp, N = curve.back().fp;  // (compute_binary_metrics refused no rows / zero weight)
  if (!(P > 0) || !(N > 0))
    throw std::invalid_argument(std::string("only one class is present in the data (every row") +
                                (weights.empty() ? "" : " of non-zero weight") + " is " +
                                (P > 0 ? "positive" : "negative") + "): choosing a threshold needs both");

  // The value compared (larger is better) and the value reported.
  auto key = [&](const threshold_point& p) {
    switch (o.metric) {
      case threshold_metric::f1: return p.f1;
      case threshold_metric::youden: return p.tp * N - p.fp * P;  // = youden * P * N, exact for whole counts
      case threshold_metric::cost: return -(o.cost_fp * p.fp + o.cost_fn * p.fn);
      case threshold_metric::precision: return p.precision;
      case threshold_metric::recall: return p.recall;
    }
    return 0.0;
  };
  auto value = [&](const threshold_point& p) {
    switch (o.metric) {
      case threshold_metric::youden: return p.youden;
      case threshold_metric::cost: return o.cost_fp * p.fp + o.cost_fn * p.fn;
      default: return key(p);
    }
  };

  threshold_choice c;
  c.candidates = curve.size();
  const threshold_point* best = nullptr;
  double best_key = 0;
  for (const threshold_point& p : curve) {  // descending thresholds: only a strictly better one replaces
    if (o.min_precision && !(p.precision >= *o.min_precision)) continue;
    if (o.min_recall && !(p.recall >= *o.min_recall)) continue;
    ++c.eligible;
    const double k = key(p);
    if (!best || k > best_key) {
      best = &p;
      best_key = k;
    }
  }
  if (!best) {
    // What the constraints could reach, to say how far off they are.
    std::string msg = "no threshold gives ";
    if (o.min_precision && o.min_recall) {
      msg += "both precision >= " + number(*o.min_precision) + " and recall >= " + number(*o.min_recall);
      double best_p = 0;  // the best precision among the thresholds with enough recall
      for (const threshold_point& p : curve)
        if (p.recall >= *o.min_recall) best_p = std::max(best_p, p.precision);
      msg += " (with recall >= " + number(*o.min_recall) + " the highest precision is " + number(best_p) + ")";
    } else if (o.min_precision) {
      double best_p = 0;
      for (const threshold_point& p : curve) best_p = std::max(best_p, p.precision);
      msg += "precision >= " + number(*o.min_precision) + " (the highest precision at any threshold is " + number(best_p) + ")";
    } else {
      msg += "recall >= " + number(*o.min_recall) + " (the highest recall is " + number(curve.empty() ? 0 : curve.back().recall) + ")";
    }
    throw std::invalid_argument(msg);
  }
  c.threshold = best->threshold;
  c.value = value(*best);
  c.metrics = compute_binary_metrics(is_positive, probability, c.threshold, weights);
  return c;
}

}  // namespace logreg
