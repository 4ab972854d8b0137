#include "stats/covariance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/blas.hpp"
#include "base/numerics.hpp"

namespace logreg {

bool inverse_at_unit_diagonal(const arma::mat& H, arma::mat& Hinv, double& condition_number) {
  // The condition number of the matrix scaled to unit diagonal measures collinearity, whatever the
  // units of the features.
  const arma::uword q = H.n_rows;
  arma::vec s(q);
  for (arma::uword j = 0; j < q; ++j) s(j) = H(j, j) > 0 ? 1.0 / std::sqrt(H(j, j)) : 0.0;
  condition_number = std::numeric_limits<double>::infinity();
  if (q == 0 || !(s.min() > 0)) return false;
  const arma::mat S = arma::symmatl(H % (s * s.t()));
  arma::vec eigenvalues;
  if (arma::eig_sym(eigenvalues, S) && eigenvalues.min() > 0) condition_number = eigenvalues.max() / eigenvalues.min();
  arma::mat Sinv;
  if (!std::isfinite(condition_number) || !arma::inv_sympd(Sinv, S)) return false;
  Hinv = arma::symmatl(Sinv % (s * s.t()));
  return true;
}

inference_data estimate_inference(const arma::mat& X, const arma::vec& y01, const arma::vec& weights,
                                  const arma::vec& theta, bool fit_intercept, double C,
                                  const std::vector<double>& mean, const std::vector<double>& scale,
                                  const std::vector<std::string>& parameter_names,
                                  const arma::vec& penalty_weights) {
  const arma::uword d = X.n_rows, n = X.n_cols, q = d + (fit_intercept ? 1 : 0);
  const double b = fit_intercept ? theta(d) : 0.0;
  inference_data out;
  out.exact = !(C > 0);
  out.parameters = parameter_names;

  // One pass: the information H and the outer products of the scores M, by blocks of rows x~_i
  // scaled by sqrt(c_i p_i (1 - p_i)) and sqrt(c_i) |y_i - p_i|; the log-likelihood on the way.
  arma::mat H(q, q, arma::fill::zeros), M(q, q, arma::fill::zeros);
  const arma::uword B = std::max<arma::uword>(64, (256 * 1024 / 8) / q);
  arma::mat Wb(q, B), Vb(q, B);
  arma::vec z(B);
  double llf = 0, weight_sum = 0, positive_weight = 0;
  const arma::vec w = theta.head(d);
  for (arma::uword start = 0; start < n; start += B) {
    const arma::uword len = std::min(B, n - start);
    const double* Xb = X.colptr(start);
    if (d > 0)
      blas::gemv(true, static_cast<int>(d), static_cast<int>(len), 1.0, Xb, static_cast<int>(d), w.memptr(), 0.0,
                 z.memptr());
    else
      z.zeros();
    for (arma::uword i = 0; i < len; ++i) {
      const double zi = z[i] + b, yi = y01[start + i];
      const double ci = weights.is_empty() ? 1.0 : weights[start + i];
      const double p = sigmoid(zi), q1 = sigmoid(-zi);            // p and 1 - p, each without cancellation
      const double residual = yi > 0.5 ? q1 : -p;                  // y - p
      llf -= ci * log1p_exp(yi > 0.5 ? -zi : zi);
      weight_sum += ci;
      positive_weight += ci * yi;
      const double sd = std::sqrt(ci * p * q1), sr = std::sqrt(ci) * std::fabs(residual);
      const double* x = Xb + i * d;
      double* wcol = Wb.colptr(i);
      double* vcol = Vb.colptr(i);
      for (arma::uword j = 0; j < d; ++j) {
        wcol[j] = x[j] * sd;
        vcol[j] = x[j] * sr;
      }
      if (fit_intercept) {
        wcol[d] = sd;
        vcol[d] = sr;
      }
    }
    blas::syrk_lower_add(static_cast<int>(q), static_cast<int>(len), Wb.memptr(), static_cast<int>(q), H.memptr(),
                         static_cast<int>(q));
    blas::syrk_lower_add(static_cast<int>(q), static_cast<int>(len), Vb.memptr(), static_cast<int>(q), M.memptr(),
                         static_cast<int>(q));
  }
  H = arma::symmatl(H);
  M = arma::symmatl(M);
  if (C > 0)
    for (arma::uword j = 0; j < d; ++j) H(j, j) += (penalty_weights.is_empty() ? 1.0 : penalty_weights[j]) / C;

  out.log_likelihood = llf;
  out.nobs = weight_sum;
  if (fit_intercept) {  // the intercept-only fit: p0 = the (weighted) rate of the positive class
    const double p0 = positive_weight / weight_sum;
    out.null_log_likelihood = (positive_weight > 0 ? positive_weight * std::log(p0) : 0.0) +
                              (weight_sum - positive_weight > 0 ? (weight_sum - positive_weight) * std::log1p(-p0) : 0.0);
  } else {  // without an intercept the nested null model is z = 0: p = 1/2 for every row
    out.null_log_likelihood = weight_sum * std::log(0.5);
  }

  arma::mat Hinv;
  if (!inverse_at_unit_diagonal(H, Hinv, out.condition_number)) return out;
  const arma::mat hc0 = Hinv * M * Hinv;

  // To the original scale and the order (Intercept), features: theta_orig = J theta_X.
  arma::mat J(q, q, arma::fill::zeros);
  const arma::uword bi = fit_intercept ? 0 : q;  // row of the intercept in the output order
  const arma::uword first = fit_intercept ? 1 : 0;
  for (arma::uword j = 0; j < d; ++j) {
    const double sj = scale.empty() ? 1.0 : scale[j];
    J(first + j, j) = 1.0 / sj;
    if (fit_intercept) J(bi, j) = -(mean.empty() ? 0.0 : mean[j]) / sj;
  }
  if (fit_intercept) J(bi, d) = 1.0;
  auto to_original = [&](const arma::mat& V) {
    arma::mat R = J * V * J.t();
    R = 0.5 * (R + R.t());
    return arma::conv_to<std::vector<double>>::from(arma::vectorise(R));  // symmetric: row- = column-major
  };
  out.covariance = to_original(Hinv);
  out.covariance_hc0 = to_original(hc0);
  return out;
}

}  // namespace logreg
