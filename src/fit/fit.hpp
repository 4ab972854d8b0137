// The fit of a model on a design (design.hpp), whatever its kind (dense, sparse, categorical):
// standardise, drop aliased terms (no penalty), solve (solve.hpp), check separation (no penalty),
// estimate the covariance for inference, and carry the coefficients back to the original scale.
// Binary (K = 2), multinomial and one-vs-rest (K > 2).
#pragma once
#include <armadillo>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/design.hpp"
#include "logreg/model.hpp"
#include "logreg/progress.hpp"
#include "logreg/settings.hpp"

namespace logreg {

struct design_fit {
  // On the original scale of the terms. Binary: one row (the positive class's score); K > 2 classes:
  // K rows.
  std::vector<std::vector<double>> coefficients;
  std::vector<double> intercepts;
  std::vector<double> mean, scale;         // the standardisation applied (empty when off)
  fit_report report;                       // one-vs-rest: the worst of the K fits
  std::vector<std::string> aliased;        // terms dropped as exactly collinear (coefficient 0; binary)
  std::optional<inference_data> inference; // absent above inference_max_parameters parameters, for L1
  std::vector<std::string> warnings;
};

// y[i] in [0, K): observation i's class (binary: 1 = the positive class). weights: per observation
// (empty: all 1). names: the n_terms() term names; classes: the K class names. X is standardised in
// place, and without a penalty its aliased terms are removed (it is not needed afterwards).
// Throws data_error when, without a penalty, the classes are (quasi-)separated.
design_fit fit_design(design& X, const std::vector<std::uint32_t>& y, arma::uword K, const arma::vec& weights,
                      const fit_settings& settings, const std::vector<std::string>& names,
                      const std::vector<std::string>& classes, const progress_callbacks& progress = {});

// Shared by the fits of several classes (here and fit_path): class k against the rest (yk 0/1) and
// its row weights (class_weight "balanced" balances each binary problem, as scikit-learn's ovr).
void one_vs_rest_problem(const std::vector<std::uint32_t>& y, arma::uword k, const arma::vec& weights,
                         const fit_settings& settings, arma::vec& yk, arma::vec& wk,
                         const detail::shard& shard = {});
// One-vs-rest's report: the worst status, the most iterations, the sum of the objectives, the
// largest gradient (first: r is the first problem's).
void merge_one_vs_rest_report(fit_report& all, const fit_report& r, bool first);
// theta_z (q x K, column k: class k's [v; b_z] in standardised coordinates) on the original scale.
void to_original_scale(const arma::mat& theta_z, bool fit_intercept, const std::vector<double>& mean,
                       const std::vector<double>& scale, std::vector<std::vector<double>>& coefficients,
                       std::vector<double>& intercepts);

}  // namespace logreg
