#include "logreg/binary_fit.hpp"

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "logreg/error.hpp"
#include "logreg/logistic_objective.hpp"
#include "logreg/solver.hpp"

namespace logreg {

solver_kind automatic_solver(arma::uword d) {
  // Newton costs n d^2 per iteration and converges in a handful; L-BFGS costs 2 n d per iteration
  // and needs tens to hundreds. Up to a few hundred features Newton is as fast and far more exact.
  return d <= 300 ? solver_kind::newton : solver_kind::lbfgs;
}

namespace {

// z = (x - mean) / scale, per feature (a row of X). Population standard deviation, as
// scikit-learn's StandardScaler; a constant feature gets scale 1 (its z is 0, never NaN).
void standardize_in_place(arma::mat& X, bool center, std::vector<double>& mean, std::vector<double>& scale) {
  const arma::uword d = X.n_rows, n = X.n_cols;
  arma::vec mu(d, arma::fill::zeros), ss(d, arma::fill::zeros);
  for (arma::uword i = 0; i < n; ++i) mu += X.col(i);
  mu /= static_cast<double>(n);
  for (arma::uword i = 0; i < n; ++i) ss += arma::square(X.col(i) - mu);
  arma::vec sd = arma::sqrt(ss / static_cast<double>(n));
  const double eps = std::numeric_limits<double>::epsilon();
  for (arma::uword j = 0; j < d; ++j)
    if (!(sd(j) > 10 * eps * std::max(1.0, std::fabs(mu(j))))) sd(j) = 1.0;
  if (!center) mu.zeros();
  const arma::vec inv = 1.0 / sd;
  for (arma::uword i = 0; i < n; ++i) {
    double* x = X.colptr(i);
    for (arma::uword j = 0; j < d; ++j) x[j] = (x[j] - mu[j]) * inv[j];
  }
  mean = arma::conv_to<std::vector<double>>::from(mu);
  scale = arma::conv_to<std::vector<double>>::from(sd);
}

// Without a penalty the likelihood has no maximum when a hyperplane separates the classes
// (completely, or quasi-completely: with ties on it). Newton then drives some margins to
// infinity while the gradient vanishes like exp(-margin), so "converged" alone proves nothing.
// Rows fitted with probability within exp(-25) of their own label betray it.
void check_separation(const logistic_objective& f, const arma::mat& X, bool standardized,
                      const arma::vec& theta, const arma::vec& y01, const std::vector<std::string>& names,
                      const fit_report& report) {
  const arma::vec z = f.scores(theta);
  const arma::vec margin = z % (2 * y01 - 1);
  const arma::uword extreme = arma::accu(margin > 25.0);
  if (extreme == 0) return;
  const arma::uword n = margin.n_elem;
  const bool complete = arma::accu(margin > 0) == n;
  // Name the features that carry the separating direction: largest standardised coefficients.
  const arma::uword d = names.size();
  const arma::vec sd = standardized ? arma::vec(d, arma::fill::ones) : arma::vec(arma::stddev(X, 1, 1));
  std::vector<std::pair<double, std::size_t>> weight;
  for (arma::uword j = 0; j < d; ++j) weight.push_back({std::fabs(theta(j)) * sd(j), j});
  std::sort(weight.rbegin(), weight.rend());
  std::string involved;
  for (std::size_t k = 0; k < weight.size() && k < 5; ++k) {
    if (weight[k].first < 0.1 * weight[0].first) break;
    involved += (involved.empty() ? "'" : ", '") + names[weight[k].second] + "'";
  }
  throw data_error(std::string("the classes are ") + (complete ? "completely" : "quasi-completely") +
                   " separated by the features: " + std::to_string(extreme) + " of " + std::to_string(n) +
                   " rows are predicted with probability 0 or 1 (features involved: " + involved +
                   "), so the maximum-likelihood estimates do not exist (they are infinite) and " +
                   "--penalty none cannot give a meaningful model. Use --penalty l2 (the default; " +
                   "--C sets its strength), or remove the separating features. (The " + report.solver +
                   " solver stopped after " + std::to_string(report.iterations) + " iterations.)");
}

}  // namespace

binary_fit_result fit_binary(arma::mat& X, const arma::vec& y01, const arma::vec& weights,
                             const fit_settings& settings, const std::vector<std::string>& feature_names,
                             const progress_callbacks& progress) {
  validate(settings);
  const auto t0 = std::chrono::steady_clock::now();
  binary_fit_result out;
  const arma::uword d = X.n_rows;
  if (settings.standardize) standardize_in_place(X, settings.fit_intercept, out.mean, out.scale);

  const bool l2 = settings.penalty == penalty_kind::l2;
  const double C = l2 ? settings.C : 1.0;  // without a penalty C only rescales the objective
  logistic_objective f(X, y01, weights, C, l2, settings.fit_intercept);
  arma::vec theta(f.n_vars(), arma::fill::zeros);
  if (settings.fit_intercept) {  // start from the intercept-only fit: log-odds of the class rates
    const double pos = weights.is_empty() ? arma::accu(y01) : arma::dot(weights, y01);
    const double all = weights.is_empty() ? static_cast<double>(y01.n_elem) : arma::accu(weights);
    if (pos > 0 && pos < all) theta(d) = std::log(pos / (all - pos));
  }
  solver_options opts;
  opts.tol = settings.tol;
  opts.max_iter = settings.max_iter;
  opts.on_iteration = progress.on_iteration;
  const solver_kind kind = settings.solver == solver_kind::automatic ? automatic_solver(d) : settings.solver;
  const solver_report rep = kind == solver_kind::newton ? newton_solve(f, theta, opts) : lbfgs_solve(f, theta, opts);

  out.report.status = to_string(rep.reason);
  out.report.solver = to_string(kind);
  out.report.iterations = rep.iterations;
  out.report.objective = rep.objective;
  out.report.gradient_norm = rep.gradient_norm;
  out.report.tolerance = settings.tol * f.gradient_scale();
  if (settings.penalty == penalty_kind::none) check_separation(f, X, settings.standardize, theta, y01, feature_names, out.report);
  if (rep.reason != stop_reason::converged) {
    char numbers[128];
    std::snprintf(numbers, sizeof numbers, "max|gradient| %.3g > tolerance %.3g", rep.gradient_norm,
                  out.report.tolerance);
    std::string advice = rep.reason == stop_reason::max_iterations ? "raise --max-iter" : "loosen --tol";
    if (kind == solver_kind::lbfgs) advice += ", try --solver newton";
    if (!settings.standardize) advice += ", drop --no-standardize (badly scaled features slow solvers down)";
    out.warnings.push_back("the fit did not converge (" + out.report.status + " after " +
                           std::to_string(rep.iterations) + " " + out.report.solver + " iterations; " + numbers +
                           "): the coefficients are not the optimum. To fix: " + advice + ".");
  }
  // Back to the original scale: w_j = v_j / scale_j, b = b_z - sum_j w_j mean_j.
  out.coefficients.resize(d);
  double b = settings.fit_intercept ? theta(d) : 0.0;
  for (arma::uword j = 0; j < d; ++j) {
    const double w = settings.standardize ? theta(j) / out.scale[j] : theta(j);
    out.coefficients[j] = w;
    if (settings.standardize) b -= w * out.mean[j];
  }
  out.intercept = b;
  out.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace logreg
