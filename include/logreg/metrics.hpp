// Binary classification metrics, matching scikit-learn 1.2 (zero_division=0) to ~1e-12.
//
// Conventions (W = sum of weights, P / N = weighted count of actual positives / negatives,
// counts below are weighted; "undefined" ratios follow sklearn's zero_division=0):
//   * predicted positive  <=> probability >= threshold.
//   * accuracy            = (tp + tn) / W.
//   * precision           = tp / (tp + fp), 0 when nothing is predicted positive.
//   * recall              = tp / P,         0 when P == 0.
//   * specificity         = tn / N,         0 when N == 0 (sklearn: recall of the negative class).
//   * f1                  = 2 tp / (2 tp + fp + fn), 0 when the denominator is 0
//                           (= harmonic mean of the precision and recall above).
//   * balanced_accuracy   = mean of recall and specificity over the classes actually present
//                           (P > 0 / N > 0); with one class absent it is the other class's recall.
//   * roc_auc             = area under the ROC curve, tied scores contribute half (trapezoid
//                           between distinct thresholds = Mann-Whitney with midranks);
//                           NaN when P == 0 or N == 0 (sklearn raises there).
//   * average_precision   = sum over distinct thresholds (descending) of
//                           (R_k - R_{k-1}) * P_k, no interpolation; 0 when P == 0 (as sklearn).
//   * log_loss            = weighted mean of -log(p_true); p clipped to [eps, 1 - eps] with
//                           eps = DBL_EPSILON (sklearn 1.2's eps="auto"), then the pair
//                           (1 - p, p) renormalised to sum 1, exactly as sklearn does.
//                           Computed also when only one class is present (sklearn's labels=[0,1]).
//   * brier               = weighted mean of (y - p)^2.
//   Rows of weight 0 count in n but change no metric (sklearn drops them from the curves).
// Throws std::invalid_argument on: empty input, size mismatch, probability outside [0, 1] or NaN,
// weight negative / NaN / infinite, weights summing to 0, NaN threshold.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace logreg {

struct confusion_counts {
  double tn = 0, fp = 0, fn = 0, tp = 0;  // weighted counts
};

struct binary_metrics {
  std::size_t n = 0;                    // rows
  double weight_sum = 0;                // sum of weights (= n when unweighted)
  double positives = 0, negatives = 0;  // (weighted) actual class counts
  double threshold = 0.5;
  confusion_counts confusion;  // label predicted positive when probability >= threshold
  double accuracy = 0, precision = 0, recall = 0, f1 = 0, specificity = 0, balanced_accuracy = 0;
  double roc_auc = 0;            // exact; tied scores count as half (midranks); NaN when one class is absent
  double average_precision = 0;  // exactly sklearn.metrics.average_precision_score (step-wise, distinct thresholds)
  double log_loss = 0;           // sklearn.metrics.log_loss (1.2: eps = DBL_EPSILON clipping, renormalised)
  double brier = 0;              // sklearn.metrics.brier_score_loss
};

// is_positive[i] is 1 (any nonzero) when row i's true label is the positive class; probability[i]
// the predicted probability of the positive class; weights empty = unweighted (else sample
// weights, as sklearn's sample_weight). ranking = false leaves roc_auc and average_precision at 0
// and skips the sort they need (for callers that use neither, such as cv's other metrics).
binary_metrics compute_binary_metrics(std::span<const std::uint8_t> is_positive,
                                      std::span<const double> probability, double threshold = 0.5,
                                      std::span<const double> weights = {}, bool ranking = true);

}  // namespace logreg
