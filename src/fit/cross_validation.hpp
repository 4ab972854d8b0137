// K-fold cross-validation over a grid of C (and L1 ratios): `logreg cv`.
//
// Folds are stratified by class and seeded (assign_folds), or given by a fold column. For each fold
// the other folds' rows are a design of their own, standardised on those rows (fit_path), and the
// grid is fitted from the strongest penalty to the weakest, each fit starting from the previous
// one's solution; each fitted model scores the fold's held-out rows. A grid point's score is the
// mean over folds of the metric on the held-out rows, its se the sample standard deviation over
// folds divided by sqrt(K).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "fit/trainer.hpp"
#include "logreg/progress.hpp"

namespace logreg {

// Stratified K folds, the same on every machine: each class's rows, in input order, are shuffled
// by Fisher-Yates with a splitmix64 stream seeded by (seed, class) and bounded draws by rejection,
// then dealt to the folds in turn, each class starting at the fold after the one where the previous
// class stopped. So every fold holds each class's rows to within one, and the folds' sizes differ
// by at most one.
std::vector<std::uint32_t> assign_folds(const std::vector<std::uint32_t>& classes, std::size_t n_classes,
                                        std::uint32_t K, std::uint64_t seed);

enum class cv_metric { log_loss, roc_auc, accuracy, brier, f1, average_precision };
cv_metric parse_cv_metric(const std::string& text);  // throws usage_error naming --metric
std::string to_string(cv_metric m);
bool higher_is_better(cv_metric m);

enum class cv_rule { best, one_se };
cv_rule parse_cv_rule(const std::string& text);  // throws usage_error naming --rule
std::string to_string(cv_rule r);

struct cv_request {
  std::uint32_t folds = 5;            // --folds (ignored with a fold column)
  std::uint64_t seed = 0;
  std::vector<double> C_grid;         // empty: C_count values from the data
  std::size_t C_count = 20;
  std::vector<double> l1_ratio_grid;  // elastic net; empty: the settings' l1_ratio
  cv_metric metric = cv_metric::log_loss;
  cv_rule rule = cv_rule::best;
  bool out_of_fold = false;           // keep the out-of-fold probabilities at the chosen values
};

struct cv_point {
  double C = 0, l1_ratio = 0;
  double mean = 0, se = 0;
  std::vector<double> fold_scores;
  double nonzero = 0;  // non-zero coefficients, mean over the folds' fits
  bool converged = true;  // every fold's fit converged
};

struct cv_result {
  cv_metric metric = cv_metric::log_loss;
  cv_rule rule = cv_rule::best;
  std::uint32_t folds = 0;
  std::vector<cv_point> grid;          // C increasing within each l1 ratio
  std::size_t chosen = 0;              // index into grid
  std::vector<std::string> classes;    // the model's classes (binary: negative, positive)
  std::vector<std::uint32_t> fold;     // per observation
  // With out_of_fold: per observation, the probabilities at the chosen values from the fit that did
  // not see it (binary: P(positive); K classes: K per observation).
  std::vector<double> oof;
  std::vector<std::string> warnings;
};

// Runs the cross-validation on loaded data (its design is left as it was: raw, not standardised).
cv_result cross_validate(labelled_data& data, const train_request& train, const cv_request& cv,
                         const progress_callbacks& progress = {});

}  // namespace logreg
