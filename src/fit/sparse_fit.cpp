#include "fit/sparse_fit.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "optim/solver.hpp"
#include "objective/sparse_logistic_objective.hpp"

namespace logreg {

void sparse_column_statistics(const csr_matrix& X, std::vector<double>& mean, std::vector<double>& scale) {
  const std::size_t d = X.n_cols;
  const double n = static_cast<double>(X.n_rows);
  std::vector<double> sum(d, 0.0), ss(d, 0.0), count(d, 0.0);
  for (std::size_t k = 0; k < X.nnz(); ++k) {
    sum[X.col[k]] += X.val[k];
    count[X.col[k]] += 1;
  }
  mean.assign(d, 0.0);
  for (std::size_t j = 0; j < d; ++j) mean[j] = sum[j] / n;
  // Two passes, as the dense standardisation: sum (x - mean)^2 over the non-zeros, plus the zeros.
  for (std::size_t k = 0; k < X.nnz(); ++k) {
    const double c = X.val[k] - mean[X.col[k]];
    ss[X.col[k]] += c * c;
  }
  scale.assign(d, 1.0);
  const double eps = std::numeric_limits<double>::epsilon();
  for (std::size_t j = 0; j < d; ++j) {
    const double sd = std::sqrt((ss[j] + (n - count[j]) * mean[j] * mean[j]) / n);
    if (sd > 10 * eps * std::max(1.0, std::fabs(mean[j]))) scale[j] = sd;
  }
}

binary_fit_result fit_binary_sparse(const csr_matrix& X, const arma::vec& y01, const arma::vec& weights,
                                    const fit_settings& settings, const std::vector<std::string>& feature_names,
                                    const progress_callbacks& progress) {
  validate(settings);
  const auto t0 = std::chrono::steady_clock::now();
  binary_fit_result out;
  const arma::uword d = X.n_cols;
  // The solver works on x / scale (see the header); --no-standardize puts the penalty on the raw
  // coefficients w = v / scale through per-feature weights 1 / scale^2 (L2) and 1 / scale (L1).
  std::vector<double> mean, scale;
  sparse_column_statistics(X, mean, scale);
  const arma::vec scale_vec(scale);
  const bool penalised = settings.penalty != penalty_kind::none;
  // The elastic net is minimised as (1 / (1 - R)) of itself, as in fit_binary.
  const double ridge = settings.l2_weight();
  const double factor = ridge > 0 ? ridge : 1.0;
  const double C = penalised ? settings.C / factor : 1.0;
  // Centred (implicitly) only with an intercept, which absorbs the centring, as in fit_binary.
  sparse_logistic_objective f(X, y01, weights, C, ridge > 0, settings.fit_intercept, 1.0 / scale_vec,
                              settings.fit_intercept ? arma::vec(mean) : arma::vec());
  if (!settings.standardize) f.set_penalty_weights(1.0 / arma::square(scale_vec));
  arma::vec theta;
  const binary_solve solved = solve_binary(f, d, y01, weights, settings, scale_vec, progress, theta, out.report);
  const solver_report& rep = solved.rep;
  if (!penalised) {
    if (d <= sparse_separation_max_features)
      check_separation(
          f, [&f](const arma::vec& t) { return f.scores(t); }, arma::vec(d, arma::fill::ones), theta, y01,
          feature_names, out.report);
    else
      out.warnings.push_back("without a penalty the classes may be separated (the estimates then do not exist), but "
                             "libsvm input with more than " + std::to_string(sparse_separation_max_features) +
                             " features is not checked for it; consider --penalty l2");
  }
  if (rep.reason != stop_reason::converged)
    out.warnings.push_back(non_convergence_warning(out.report, rep.reason, solved.suggest_newton));
  // Back to the original scale: w_j = v_j / scale_j, b = b_z - sum_j w_j mean_j.
  if (!settings.fit_intercept) mean.assign(d, 0.0);
  out.coefficients.resize(d);
  double b = settings.fit_intercept ? theta(d) : 0.0;
  for (arma::uword j = 0; j < d; ++j) {
    out.coefficients[j] = theta(j) / scale[j];
    b -= out.coefficients[j] * mean[j];
  }
  out.intercept = b;
  if (settings.standardize) {
    out.mean = std::move(mean);
    out.scale = std::move(scale);
  }
  out.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace logreg
