// K-class classification metrics, matching scikit-learn 1.2.1 (zero_division=0) to ~1e-12.
//
// Conventions (W = sum of weights; every count below is weighted; "undefined" ratios follow
// sklearn's zero_division=0; the sklearn calls are made with labels = [0, 1, ..., k-1]):
//   * predicted class      = argmax of the row's probabilities, the first maximum on ties
//                            (numpy argmax, as sklearn's predict).
//   * confusion[t][p]      = weight of rows with true class t predicted as p
//                            (sklearn.metrics.confusion_matrix).
//   * accuracy             = trace(confusion) / W.
//   * per class c (sklearn precision_recall_fscore_support, average=None):
//       support   = weight of rows whose true class is c (row sum of the confusion matrix),
//       precision = confusion[c][c] / column sum,   0 when class c is never predicted,
//       recall    = confusion[c][c] / support,      0 when class c never occurs,
//       f1        = 2 precision recall / (precision + recall), 0 when both are 0
//                   (sklearn 1.2's formula).
//   * macro_*              = unweighted mean over all k classes, absent ones included (as 0).
//   * weighted_*           = mean over classes weighted by support.
//   * log_loss             = weighted mean of -log(q_true) where each row is clipped entry-wise
//                            to [eps, 1 - eps], eps = DBL_EPSILON (sklearn 1.2's eps="auto"),
//                            then renormalised to sum 1 (q = clipped / row sum of clipped).
//   * roc_auc_ovr_macro    = unweighted mean over classes of the one-vs-rest ROC AUC of
//                            (truth == c) scored by column c, sample weights passed to each
//                            binary AUC (sklearn roc_auc_score(multi_class="ovr",
//                            average="macro", sample_weight=w)); tied scores count half;
//                            rows of weight 0 are ignored (sklearn drops them from the curve).
//                            NaN when some class has zero (weighted) support (sklearn raises,
//                            or returns NaN for a class present only with weight 0).
//                            For k = 2 (which sklearn refuses with 2-column scores) it is the
//                            same mean of the two one-vs-rest AUCs.
//   Rows of weight 0 count in n but change no metric.
// Throws std::invalid_argument on: no rows, k < 2, probability size != n * k, weights size not
// 0 or n, a class index >= k, a probability outside [0, 1] or NaN, a row whose probabilities do
// not sum to 1 within sklearn's np.allclose tolerance (|s - 1| <= 1e-8 + 1e-5 s; sklearn's
// roc_auc_score raises there), a weight negative / NaN / infinite, weights summing to 0.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace logreg {

struct class_report {
  double precision = 0, recall = 0, f1 = 0;
  double support = 0;  // (weighted) count of rows whose true class is this one
};

struct multiclass_metrics {
  std::size_t n = 0;       // rows
  std::size_t k = 0;       // classes
  double weight_sum = 0;   // sum of weights (= n when unweighted)
  double accuracy = 0;
  std::vector<class_report> per_class;  // in class order 0..k-1
  double macro_precision = 0, macro_recall = 0, macro_f1 = 0;           // unweighted mean over classes
  double weighted_precision = 0, weighted_recall = 0, weighted_f1 = 0;  // support-weighted mean
  double log_loss = 0;           // sklearn.metrics.log_loss (1.2: eps clipping + renormalisation)
  double roc_auc_ovr_macro = 0;  // sklearn roc_auc_score(multi_class="ovr", average="macro"); NaN if a class is absent
  std::vector<std::vector<double>> confusion;  // k x k, rows = true class, columns = predicted class
};

// truth[i] in [0, k) is row i's true class; probability is n x k row-major (row i holds the k
// class probabilities of row i, summing to 1); weights empty = unweighted (else sample weights,
// as sklearn's sample_weight).
multiclass_metrics compute_multiclass_metrics(std::span<const std::uint32_t> truth,
                                              std::span<const double> probability, std::size_t k,
                                              std::span<const double> weights = {});

}  // namespace logreg
