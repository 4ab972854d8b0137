#include "report/plots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "logreg/calibration.hpp"
#include "stats/curves.hpp"

namespace logreg::report {

namespace {

std::string fixed(double x, int decimals) {
  if (std::isnan(x)) return "undefined";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

// Curves of many thousands of thresholds: keep a point when it moved by more than `eps` in either
// coordinate from the last one kept (and always the last), so that the file stays small; the
// difference is far below a pixel.
void thin(std::vector<double>& x, std::vector<double>& y, double eps = 5e-4) {
  if (x.size() < 2000) return;
  std::vector<double> tx, ty;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool last = i + 1 == x.size();
    if (!tx.empty() && !last && std::fabs(x[i] - tx.back()) <= eps && std::fabs(y[i] - ty.back()) <= eps) continue;
    tx.push_back(x[i]);
    ty.push_back(y[i]);
  }
  x.swap(tx);
  y.swap(ty);
}

plot unit_square(const std::string& title, const std::string& subtitle, const std::string& xlabel,
                 const std::string& ylabel) {
  plot p;
  p.title = title;
  p.subtitle = subtitle;
  p.x = {xlabel, false, 0, 1, true};
  p.y = {ylabel, false, 0, 1, true};
  return p;
}

std::string named(const std::vector<scored_class>& classes, const scored_class& c, const std::string& measure) {
  return classes.size() == 1 ? measure : c.name + " (" + measure + ")";
}

}  // namespace

plot roc_plot(const std::vector<scored_class>& classes, std::span<const double> weights, const std::string& what) {
  plot p = unit_square("ROC curve", what, "false positive rate (1 - specificity)", "true positive rate (recall)");
  p.diagonal = true;
  p.diagonal_name = "chance";
  for (const scored_class& c : classes) {
    ranking_curves r = compute_ranking_curves(c.is_positive, c.score, weights);
    plot_series s;
    s.name = named(classes, c, "AUC " + fixed(r.roc_auc, 4));
    thin(r.fpr, r.tpr);
    s.x = std::move(r.fpr);
    s.y = std::move(r.tpr);
    p.series.push_back(std::move(s));
  }
  return p;
}

plot pr_plot(const std::vector<scored_class>& classes, std::span<const double> weights, const std::string& what) {
  plot p = unit_square("Precision-recall curve", what, "recall", "precision");
  for (const scored_class& c : classes) {
    ranking_curves r = compute_ranking_curves(c.is_positive, c.score, weights);
    plot_series s;
    s.name = named(classes, c, "AP " + fixed(r.average_precision, 4));
    s.step = true;
    // From recall 0 at the first threshold's precision (the step curve whose area is the AP).
    if (!r.recall.empty()) {
      r.recall.insert(r.recall.begin(), 0.0);
      r.precision.insert(r.precision.begin(), r.precision.front());
    }
    thin(r.recall, r.precision);
    s.x = std::move(r.recall);
    s.y = std::move(r.precision);
    p.series.push_back(std::move(s));
    if (classes.size() == 1 && r.positives + r.negatives > 0) {
      const double prevalence = r.positives / (r.positives + r.negatives);
      p.hlines.push_back({prevalence, "no skill (share of positives " + fixed(prevalence, 3) + ")"});
    }
  }
  return p;
}

plot calibration_plot(const std::vector<scored_class>& classes, std::span<const double> weights, std::size_t bins,
                      const std::string& what) {
  plot p = unit_square("Calibration (reliability diagram)",
                       what + "; " + std::to_string(bins) + " equal-width bins",
                       "mean predicted probability", "observed share of positives");
  p.diagonal = true;
  p.diagonal_name = "perfectly calibrated";
  p.legend_note = "marker area ~ rows in the bin";
  for (const scored_class& c : classes) {
    const calibration_report r = compute_calibration(c.is_positive, c.score, bins, weights);
    plot_series s;
    s.name = named(classes, c, "ECE " + fixed(r.ece, 4));
    s.markers = true;
    for (const calibration_bin& b : r.bins) {
      if (!(b.count > 0)) continue;
      s.x.push_back(b.mean_predicted);
      s.y.push_back(b.observed);
      s.weight.push_back(b.count);
    }
    p.series.push_back(std::move(s));
  }
  return p;
}

plot cv_plot(const cv_result& result, bool elastic, const std::string& what) {
  plot p;
  p.title = "Cross-validation: " + to_string(result.metric) + " against C";
  p.subtitle = what;
  p.x = {"C (inverse regularisation strength, log scale)", true, 0, 0, false};
  p.y = {to_string(result.metric) + (higher_is_better(result.metric) ? " (higher is better)" : " (lower is better)") +
             ", mean over " + std::to_string(result.folds) + " folds \u00b1 se",
         false, 0, 0, false};
  std::vector<double> ratios;
  for (const cv_point& g : result.grid)
    if (std::find(ratios.begin(), ratios.end(), g.l1_ratio) == ratios.end()) ratios.push_back(g.l1_ratio);
  for (double ratio : ratios) {
    plot_series s;
    s.name = elastic ? "l1 ratio " + short_number(ratio, 3) : "mean \u00b1 se";
    s.markers = true;
    for (const cv_point& g : result.grid) {
      if (g.l1_ratio != ratio) continue;
      s.x.push_back(g.C);
      s.y.push_back(g.mean);
      s.error.push_back(g.se);
    }
    p.series.push_back(std::move(s));
  }
  const cv_point& chosen = result.grid[result.chosen];
  std::string label = "chosen C = " + short_number(chosen.C, 4);
  if (elastic) label += ", l1 ratio " + short_number(chosen.l1_ratio, 3);
  p.vlines.push_back({chosen.C, label});
  plot_series ring;  // the chosen point ringed (with several l1 ratios, which of the curves)
  ring.x = {chosen.C};
  ring.y = {chosen.mean};
  ring.line = false;
  ring.markers = ring.ring = true;
  ring.color = 7;  // black
  p.series.push_back(std::move(ring));
  if (result.rule == cv_rule::one_se) {  // the line the 1se rule measured against
    double best = chosen.mean;
    std::size_t at = result.chosen;
    const bool higher = higher_is_better(result.metric);
    for (std::size_t g = 0; g < result.grid.size(); ++g)
      if (higher ? result.grid[g].mean > best : result.grid[g].mean < best) best = result.grid[g].mean, at = g;
    const double limit = higher ? best - result.grid[at].se : best + result.grid[at].se;
    p.hlines.push_back({limit, "best " + std::string(higher ? "- " : "+ ") + "1 se"});
  }
  return p;
}

plot path_plot(const std::vector<double>& C, const std::vector<path_series>& series, const std::string& what,
               std::size_t labelled) {
  plot p;
  p.title = "Coefficient paths";
  p.subtitle = what;
  p.x = {"C (inverse regularisation strength, log scale)", true, 0, 0, false};
  p.y = {"standardised coefficient (coefficient \u00d7 sd of the term)", false, 0, 0, false};
  std::vector<double> size(series.size(), 0);
  for (std::size_t k = 0; k < series.size(); ++k)
    for (double v : series[k].value)
      if (std::isfinite(v)) size[k] = std::max(size[k], std::fabs(v));
  std::vector<std::size_t> order(series.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return size[a] > size[b]; });
  std::vector<int> rank(series.size(), -1);
  for (std::size_t r = 0; r < order.size() && r < labelled; ++r) rank[order[r]] = static_cast<int>(r);
  // The colours go by size; the legend lists the coloured lines from the highest end (at the largest
  // C) to the lowest, the order in which the lines leave the plot on the right.
  auto end_value = [&](std::size_t k) {
    for (auto v = series[k].value.rbegin(); v != series[k].value.rend(); ++v)
      if (std::isfinite(*v)) return *v;
    return 0.0;
  };
  const std::size_t coloured = std::min(labelled, order.size());
  std::stable_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(coloured),
                   [&](std::size_t a, std::size_t b) { return end_value(a) > end_value(b); });
  std::size_t muted = 0;
  for (std::size_t k : order) {
    plot_series s;
    s.name = series[k].name;
    s.x = C;
    s.y = series[k].value;
    s.markers = C.size() <= 25;
    if (rank[k] < 0) {
      s.muted = true;
      s.markers = false;
      ++muted;
    } else {
      s.color = rank[k];
    }
    p.series.push_back(std::move(s));
  }
  if (muted > 0)
    p.legend_note = std::to_string(muted) + " smaller " + (muted == 1 ? "one" : "ones") + " in grey";
  p.hlines.push_back({0.0, ""});
  return p;
}

}  // namespace logreg::report
