#include "stats/covariance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/blas.hpp"
#include "base/chunking.hpp"
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

namespace {

// sum_i v_i x~_i x~_i' over every observation (x~ = [x; 1] with an intercept), q x q, symmetric:
// one chunked pass of the design's Gram (the same bits for any number of threads).
struct gram_buffers {  // the chunks' partial sums and the threads' scratch, kept between passes
  std::vector<arma::mat> H;
  std::vector<arma::vec> xv;
  std::vector<gram_workspace> ws;
};

arma::mat gram_with_intercept(const design& X, const arma::vec& v, bool fit_intercept, gram_buffers& buf) {
  const arma::uword d = X.n_terms(), q = d + (fit_intercept ? 1 : 0);
  const detail::chunking ch = X.gram_chunks();
  const int threads = detail::threads_for_work(X.gram_work());
  const bool need_xv = fit_intercept || !X.implicit_center().is_empty();
  std::vector<arma::mat>& partial_H = buf.H;
  std::vector<arma::vec>& partial_xv = buf.xv;
  std::vector<gram_workspace>& ws = buf.ws;
  partial_H.resize(ch.count);
  partial_xv.resize(ch.count);
  ws.resize(static_cast<std::size_t>(detail::chunk_threads(ch, threads)));
  detail::for_each_chunk_on_thread(ch, threads, [&](arma::uword t, int thread) {
    const arma::uword lo = ch.begin(t), hi = ch.begin(t + 1);
    partial_H[t].zeros(d, d);
    if (need_xv) partial_xv[t].zeros(d);
    X.add_gram(lo, hi - lo, v.memptr() + lo, 1.0, partial_H[t], need_xv ? partial_xv[t].memptr() : nullptr,
               ws[static_cast<std::size_t>(thread)]);
  });
  arma::mat A(d, d, arma::fill::zeros);
  arma::vec xv;
  if (need_xv) xv.zeros(d);
  for (arma::uword t = 0; t < ch.count; ++t) {
    A += partial_H[t];
    if (need_xv) xv += partial_xv[t];
  }
  const double vsum = arma::accu(v);
  X.finish_gram(A, xv, vsum);
  arma::mat G(q, q, arma::fill::zeros);
  if (d > 0) G.submat(0, 0, d - 1, d - 1) = arma::symmatl(A);
  if (fit_intercept) {
    if (d > 0) {
      G.submat(d, 0, d, d - 1) = xv.t();
      G.submat(0, d, d - 1, d) = xv;
    }
    G(d, d) = vsum;
  }
  return G;
}

}  // namespace

inference_data estimate_inference(const design& X, const arma::vec& y01, const arma::vec& weights,
                                  const arma::vec& theta, bool fit_intercept, double C,
                                  const std::vector<double>& mean, const std::vector<double>& scale,
                                  const std::vector<std::string>& parameter_names,
                                  const arma::vec& penalty_weights) {
  const arma::uword d = X.n_terms(), n = X.n_obs(), q = d + (fit_intercept ? 1 : 0);
  const double b = fit_intercept ? theta(d) : 0.0;
  inference_data out;
  out.exact = !(C > 0);
  out.parameters = parameter_names;

  // The information H = sum_i c_i p_i (1 - p_i) x~_i x~_i' and the outer products of the scores
  // M = sum_i c_i (y_i - p_i)^2 x~_i x~_i'; the log-likelihood on the way.
  const arma::vec z = standardized_scores(X, theta.head(d), b);
  arma::vec vH(n), vM(n);
  double llf = 0, weight_sum = 0, positive_weight = 0;
  for (arma::uword i = 0; i < n; ++i) {
    const double zi = z[i], yi = y01[i];
    const double ci = weights.is_empty() ? 1.0 : weights[i];
    const logistic_parts lp(zi);
    const double p = lp.p, q1 = lp.one_minus_p;  // p and 1 - p, each without cancellation
    const double residual = yi > 0.5 ? q1 : -p;  // y - p
    llf -= ci * lp.loss(yi > 0.5 ? zi : -zi);
    weight_sum += ci;
    positive_weight += ci * yi;
    vH[i] = ci * p * q1;
    vM[i] = ci * residual * residual;
  }
  gram_buffers buffers;
  arma::mat H = gram_with_intercept(X, vH, fit_intercept, buffers);
  arma::mat M = gram_with_intercept(X, vM, fit_intercept, buffers);

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
