// ROC and precision-recall curves of binary scores (`logreg eval --plot`), from the same walk over
// distinct thresholds that gives eval's ROC AUC and average precision (stats/ranking.hpp), so the
// areas drawn are exactly the numbers eval prints.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace logreg {

struct ranking_curves {
  // ROC: (0, 0), then one point per distinct threshold, descending: (FP_k / N, TP_k / P).
  std::vector<double> fpr, tpr;
  // Precision-recall: one point per distinct threshold, descending: (TP_k / P, TP_k / (TP_k + FP_k)).
  // The average precision is the area under the step curve that holds each point's precision over
  // the recall interval that leads up to it.
  std::vector<double> recall, precision;
  double positives = 0, negatives = 0;  // P and N (weighted)
  double roc_auc = 0;                   // NaN when P or N is 0 (the ROC points are then empty)
  double average_precision = 0;         // 0 when P is 0 (the PR points are then empty)
};

// Rows of weight 0 are left out (as the metrics do). Throws std::invalid_argument for the inputs
// compute_binary_metrics refuses.
ranking_curves compute_ranking_curves(std::span<const std::uint8_t> is_positive, std::span<const double> score,
                                      std::span<const double> weights = {});

}  // namespace logreg
