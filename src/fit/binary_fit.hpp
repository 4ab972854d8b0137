// Fitting the binary model on an in-memory matrix (d x n, one column per observation).
#pragma once
#include <armadillo>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "logreg/model.hpp"
#include "logreg/progress.hpp"
#include "logreg/settings.hpp"
#include "optim/solver.hpp"

namespace logreg {

struct binary_fit_result {
  std::vector<double> coefficients;  // original feature scale
  double intercept = 0;
  std::vector<double> mean, scale;   // the standardisation applied (empty when off)
  fit_report report;
  std::vector<std::string> aliased;           // features dropped as exactly collinear (their coefficients are 0)
  std::optional<inference_data> inference;    // absent above inference_max_parameters parameters
  std::vector<std::string> warnings;
};

// Moves what a binary fit found into m: coefficients, intercept, standardisation, the settings,
// the fit report, and the row and class counts (n rows, n_positive of the second class). The fields
// that depend on the input (target, classes, feature names, encoding, inference) are the caller's.
void store_binary_fit(model& m, binary_fit_result& fit, const fit_settings& settings, std::size_t n, double n_positive);

// Fits min C * sum_i c_i log(1 + exp(-s_i (x_i.w + b))) + penalty(w). X is overwritten (it is not
// needed afterwards, and a copy would double the memory): standardised in place when
// settings.standardize, and without a penalty the rows of exactly collinear features are removed in
// place (those features are "aliased": coefficient 0, named in `aliased` and in a warning).
// Throws data_error when, without a penalty, the classes are (quasi-)separable. Estimates the
// covariance of the estimates (covariance.hpp) at the end.
binary_fit_result fit_binary(arma::mat& X, const arma::vec& y01, const arma::vec& weights,
                             const fit_settings& settings, const std::vector<std::string>& feature_names,
                             const progress_callbacks& progress = {});

// z = (x - mean) / scale per feature (a row of X), in place; population standard deviation as
// scikit-learn's StandardScaler; a constant feature gets scale 1. Without centring mean is 0.
void standardize_in_place(arma::mat& X, bool center, std::vector<double>& mean, std::vector<double>& scale);

class logistic_objective;

// Without a penalty: throws data_error when a further Newton step from theta (the fit's end) still
// pushes well-classified rows' margins up, i.e. the classes are (quasi-)separated and the maximum-
// likelihood estimates are infinite; names the features along that step. No-op when the fit
// stopped on the iteration limit.
void check_separation(logistic_objective& f, const arma::mat& X, bool standardized, const arma::vec& theta,
                      const arma::vec& y01, const std::vector<std::string>& names, const fit_report& report);

// The same test for any binary objective f (a logistic loss, unpenalised): scores(t) gives the
// linear scores X' t_w + t_b, sd the features' standard deviations in the solver's coordinates
// (to rank the features named).
void check_separation(objective& f, const std::function<arma::vec(const arma::vec&)>& scores, const arma::vec& sd,
                      const arma::vec& theta, const arma::vec& y01, const std::vector<std::string>& names,
                      const fit_report& report);

class objective;

// The solve shared by the dense and sparse binary fits, in standardised coordinates. f minimises
// (1 / factor) of the user's objective (factor = settings.l2_weight(), or 1 without L2), with its
// penalty weights already set; scale gives --no-standardize's L1 weights. Starts theta at the
// intercept-only fit, lets before_solve (the dense fit's warm start) adjust the solver and theta,
// runs OWL-QN (L1 / elastic net) or the solver the settings ask for, and fills report.
struct binary_solve {
  solver_report rep;
  bool suggest_newton = false;  // for non_convergence_warning: a smooth fit that ran L-BFGS
};
binary_solve solve_binary(objective& f, arma::uword d, const arma::vec& y01, const arma::vec& weights,
                          const fit_settings& settings, const arma::vec& scale, const progress_callbacks& progress,
                          arma::vec& theta, fit_report& report,
                          const std::function<void(solver_kind&, arma::vec&)>& before_solve = {});

// The warning for a fit that stopped without converging: what happened and what to change.
std::string non_convergence_warning(const fit_report& report, stop_reason reason, bool suggest_newton);

// The solver `auto` picks for d features.
solver_kind automatic_solver(arma::uword d);

}  // namespace logreg
