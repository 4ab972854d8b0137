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

arma::uword unrepresentable_variance(const arma::mat& J, const arma::mat& V, const arma::mat& R) {
  const double log_min = std::log(std::numeric_limits<double>::min());
  for (arma::uword i = 0; i < R.n_rows; ++i) {
    if (!R.row(i).is_finite()) return i;
    // The largest term J_ik^2 V_kk of the variance, in logarithms (it may itself underflow): below
    // the normal range, the variance is lost (0 or a subnormal with few digits).
    double top = -std::numeric_limits<double>::infinity();
    for (arma::uword k = 0; k < J.n_cols; ++k)
      if (J(i, k) != 0 && V(k, k) > 0) top = std::max(top, 2 * std::log(std::fabs(J(i, k))) + std::log(V(k, k)));
    if (top > -std::numeric_limits<double>::infinity() && (top < log_min || R(i, i) < std::numeric_limits<double>::min()))
      return i;
  }
  return SIZE_MAX;
}

namespace {

// The q x q matrix [[A, xv], [xv', vsum]] (x~ = [x; 1] with an intercept, else A), symmetric, from
// a Gram pass's sums (A: the lower triangle), carried through the design's implicit transform.
arma::mat with_intercept(const design& X, arma::mat A, arma::vec xv, double vsum, bool fit_intercept) {
  const arma::uword d = X.n_terms(), q = d + (fit_intercept ? 1 : 0);
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
                                  const arma::vec& penalty_weights, std::string* not_representable) {
  const arma::uword d = X.n_terms(), q = d + (fit_intercept ? 1 : 0);
  inference_data out;
  out.exact = !(C > 0);
  out.parameters = parameter_names;

  // One pass, chunk by chunk (the same bits for any number of threads; no per-observation arrays):
  // the scores, the log-likelihood, and the Gram sums of the information
  // H = sum_i c_i p_i (1 - p_i) x~_i x~_i' and of the outer products of the scores
  // M = sum_i c_i (y_i - p_i)^2 x~_i x~_i'.
  const design::prepared w = X.prepare(theta.memptr());
  const double offset = (fit_intercept ? theta(d) : 0.0) + w.shift;
  const detail::chunking ch = X.gram_chunks();
  const int threads = detail::threads_for_work(2 * X.gram_work());
  const bool need_xv = fit_intercept || !X.implicit_center().is_empty();
  struct partial {
    arma::mat H, M;
    arma::vec xH, xM;
    double sH = 0, sM = 0, llf = 0, weight = 0, positive = 0;
  };
  std::vector<partial> parts(ch.count);
  struct scratch {
    gram_workspace ws;
    arma::vec z, vH, vM;
  };
  std::vector<scratch> per_thread(static_cast<std::size_t>(detail::chunk_threads(ch, threads)));
  detail::for_each_chunk_on_thread(ch, threads, [&](arma::uword t, int thread) {
    const arma::uword lo = ch.begin(t), len = ch.begin(t + 1) - lo;
    partial& P = parts[t];
    scratch& S = per_thread[static_cast<std::size_t>(thread)];
    S.z.set_size(len);
    S.vH.set_size(len);
    S.vM.set_size(len);
    const arma::uword B = X.block_rows();
    for (arma::uword at = 0; at < len; at += B)
      X.scores(lo + at, std::min(B, len - at), w.u.memptr(), offset, S.z.memptr() + at);
    for (arma::uword i = 0; i < len; ++i) {
      const double zi = S.z[i], yi = y01[lo + i];
      const double ci = weights.is_empty() ? 1.0 : weights[lo + i];
      const logistic_parts lp(zi);
      const double residual = yi > 0.5 ? lp.one_minus_p : -lp.p;  // y - p, without cancellation
      P.llf -= ci * lp.loss(yi > 0.5 ? zi : -zi);
      P.weight += ci;
      P.positive += ci * yi;
      S.vH[i] = ci * lp.p * lp.one_minus_p;
      S.vM[i] = ci * residual * residual;
      P.sH += S.vH[i];
      P.sM += S.vM[i];
    }
    P.H.zeros(d, d);
    P.M.zeros(d, d);
    if (need_xv) {
      P.xH.zeros(d);
      P.xM.zeros(d);
    }
    X.add_gram(lo, len, S.vH.memptr(), 1.0, P.H, need_xv ? P.xH.memptr() : nullptr, S.ws);
    X.add_gram(lo, len, S.vM.memptr(), 1.0, P.M, need_xv ? P.xM.memptr() : nullptr, S.ws);
  });
  arma::mat AH(d, d, arma::fill::zeros), AM(d, d, arma::fill::zeros);
  arma::vec xH, xM;
  if (need_xv) {
    xH.zeros(d);
    xM.zeros(d);
  }
  double sH = 0, sM = 0, llf = 0, weight_sum = 0, positive_weight = 0;
  detail::sum_in_chunk_order(ch, {{AH.memptr(), AH.n_elem}, {AM.memptr(), AM.n_elem}, {xH.memptr(), xH.n_elem},
                                  {xM.memptr(), xM.n_elem}, {&sH, 1}, {&sM, 1}, {&llf, 1}, {&weight_sum, 1},
                                  {&positive_weight, 1}},
                             [&](arma::uword t) {
    const partial& P = parts[t];
    AH += P.H;
    AM += P.M;
    if (need_xv) {
      xH += P.xH;
      xM += P.xM;
    }
    sH += P.sH;
    sM += P.sM;
    llf += P.llf;
    weight_sum += P.weight;
    positive_weight += P.positive;
  });
  parts.clear();
  arma::mat H = with_intercept(X, std::move(AH), std::move(xH), sH, fit_intercept);
  const arma::mat M = with_intercept(X, std::move(AM), std::move(xM), sM, fit_intercept);

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
  bool representable = true;
  auto to_original = [&](const arma::mat& V) {
    arma::mat R = J * V * J.t();
    R = 0.5 * (R + R.t());
    const arma::uword bad = unrepresentable_variance(J, V, R);
    if (bad != SIZE_MAX) {
      if (representable && not_representable) *not_representable = parameter_names[bad];
      representable = false;
    }
    return arma::conv_to<std::vector<double>>::from(arma::vectorise(R));  // symmetric: row- = column-major
  };
  out.covariance = to_original(Hinv);
  out.covariance_hc0 = to_original(hc0);
  if (!representable) out.covariance.clear(), out.covariance_hc0.clear();
  return out;
}

}  // namespace logreg
