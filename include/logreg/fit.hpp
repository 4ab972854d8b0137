// Fitting a model from numbers in memory: the C++ entry point of the library (the command line
// reads files and calls the same code).
//
// Orientation: X is d x n, one COLUMN per observation, as everywhere in logreg (and in Armadillo's
// and mlpack's convention): the transpose of a CSV file or of scikit-learn's X. A sparse X is an
// arma::sp_mat of the same shape (its compressed columns are the observations).
//
//   logreg::fit_settings s;                      // C = 1, L2, standardised, intercept (settings.hpp)
//   logreg::fit_result r = logreg::fit(X, labels, s);
//   arma::mat P = logreg::predict_proba(r.fitted, X_new);   // predict.hpp
//   logreg::save_model(r.fitted, "model.json");              // model.hpp
//
// The model is the one `logreg train` writes for the same numbers: the same objective, solvers,
// standardisation, class order, convergence report and (for binary and multinomial fits without a
// penalty or with L2) the inference block that `logreg inspect` shows.
//
// Nothing process-wide changes: no signal handlers, no BLAS settings (see threads.hpp for the
// thread policy the command line applies).
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "logreg/model.hpp"
#include "logreg/progress.hpp"
#include "logreg/settings.hpp"

namespace logreg {

struct fit_options {
  std::vector<std::string> feature_names;  // one per row of X; default "x1", ..., "xd"
  arma::vec weights;                       // per observation, >= 0 (frequency weights); empty: all 1
  std::string positive;                    // two classes: the positive one (default: "1", "true" or
                                           // "yes" if present, else the second in sorted order)
  std::string target_name = "y";           // the target's name in the model
  bool robust = false;                     // inspect shows HC0 (sandwich) standard errors by default
  progress_callbacks progress;             // solver iterations (nothing is printed)
};

struct fit_result {
  model fitted;
  std::vector<std::string> warnings;  // for people: non-convergence, aliased columns, ...
};

// labels[i] is the class of observation i (column i of X), as text; two or more distinct values.
// Throws data_error for data that admit no trustworthy fit (one class, separation without a
// penalty, non-finite values) and usage_error for settings out of range or mismatched sizes.
fit_result fit(const arma::mat& X, const std::vector<std::string>& labels, const fit_settings& settings = {},
               const fit_options& options = {});
fit_result fit(const arma::sp_mat& X, const std::vector<std::string>& labels, const fit_settings& settings = {},
               const fit_options& options = {});

// Integer class codes as labels ("0", "1", ...): fit(X, to_labels(y), ...).
std::vector<std::string> to_labels(const arma::uvec& codes);
std::vector<std::string> to_labels(const arma::ivec& codes);

}  // namespace logreg
