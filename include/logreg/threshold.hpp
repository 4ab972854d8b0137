// Choosing a binary model's decision threshold on labelled data (`logreg threshold`).
//
// The candidates are the distinct predicted probabilities of the rows of non-zero weight; at a
// candidate t a row is predicted positive when its probability is >= t (as predict and eval do).
// Scanning them in descending order with cumulative (weighted) counts TP(t), FP(t), and with
// P / N the (weighted) actual positives / negatives, FN = P - TP, TN = N - FP:
//   * precision = TP / (TP + FP)       (never 0 / 0: the top group is predicted positive)
//   * recall    = TP / P
//   * f1        = 2 TP / (2 TP + FP + FN)
//   * youden    = TP / P - FP / N      (compared as TP N - FP P, exact for whole counts)
//   * cost      = cost_fp FP + cost_fn FN (minimised; every other metric is maximised)
// These are the points of scikit-learn's roc_curve(drop_intermediate=False) and
// precision_recall_curve. min_precision / min_recall keep only the candidates with
// precision >= min_precision / recall >= min_recall; the metric picks among those.
// Ties: among candidates of equal value (equal doubles as computed; unweighted, an equal
// fraction gives an equal double) the LARGEST threshold wins: the most conservative choice,
// predicting the fewest rows positive.
// Throws std::invalid_argument for the inputs compute_binary_metrics refuses, when one class is
// absent (by weight), and when no candidate meets the constraints (the message says what the
// best reachable precision / recall is).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "logreg/metrics.hpp"

namespace logreg {

enum class threshold_metric { f1, youden, cost, precision, recall };

// "f1", "youden", "cost", "precision", "recall".
std::string to_string(threshold_metric m);

struct threshold_options {
  threshold_metric metric = threshold_metric::f1;
  double cost_fp = 1, cost_fn = 1;    // metric cost: the price of a false positive / negative (>= 0)
  std::optional<double> min_precision;  // keep only candidates with precision >= this
  std::optional<double> min_recall;     // keep only candidates with recall >= this
};

// One candidate threshold and the counts at it (descending thresholds, as sklearn's curves).
struct threshold_point {
  double threshold = 0;
  double tp = 0, fp = 0, fn = 0, tn = 0;  // weighted counts when predicted positive <=> p >= threshold
  double precision = 0, recall = 0, f1 = 0, youden = 0;
};

struct threshold_choice {
  double threshold = 0.5;
  double value = 0;            // the chosen metric's value at the threshold (cost: the cost)
  std::size_t candidates = 0;  // distinct probabilities scanned
  std::size_t eligible = 0;    // of them, meeting min_precision / min_recall
  binary_metrics metrics;      // compute_binary_metrics at the chosen threshold
};

// Every candidate, by descending threshold.
std::vector<threshold_point> threshold_curve(std::span<const std::uint8_t> is_positive,
                                             std::span<const double> probability,
                                             std::span<const double> weights = {});

threshold_choice choose_threshold(std::span<const std::uint8_t> is_positive, std::span<const double> probability,
                                  const threshold_options& options, std::span<const double> weights = {});

}  // namespace logreg
