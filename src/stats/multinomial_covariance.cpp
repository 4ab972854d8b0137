#include "stats/multinomial_covariance.hpp"

#include <algorithm>
#include <cmath>

#include "base/blas.hpp"
#include "stats/covariance.hpp"
#include "objective/multinomial_loss.hpp"

namespace logreg {

inference_data estimate_multinomial_inference(const design& X, const std::vector<std::uint32_t>& y,
                                              const arma::vec& weights, const arma::mat& theta, bool fit_intercept,
                                              double C, const std::vector<double>& mean,
                                              const std::vector<double>& scale,
                                              const std::vector<std::string>& classes,
                                              const std::vector<std::string>& parameter_names,
                                              const arma::vec& penalty_weights, std::string* not_representable) {
  const arma::uword d = X.n_terms(), K = theta.n_cols, q = theta.n_rows, N = K * q;
  const bool penalised = C > 0;
  inference_data out;
  out.exact = !penalised;
  out.parameters = parameter_names;
  out.parameterization = penalised ? "symmetric" : "reference";
  if (penalised) {
    out.equations = classes;
  } else {
    out.reference_class = classes.at(0);
    out.equations.assign(classes.begin() + 1, classes.end());
  }

  // The Hessian of the negative log-likelihood (all K blocks), from the objective itself.
  multinomial_loss f(X, y, K, weights, fit_intercept);
  arma::mat H;
  f.hessian(arma::vectorise(theta), H);

  // One pass: the log-likelihood, the class totals, and the outer products of the row scores
  // M = sum_i c_i s_i s_i', by blocks of columns sqrt(c_i) s_i.
  arma::mat M(N, N, arma::fill::zeros);
  const arma::uword B = std::max<arma::uword>(16, (256 * 1024 / 8) / N);
  arma::mat S(N, B), Z, Xb(d, B);
  arma::vec class_weight(K, arma::fill::zeros);
  double llf = 0;
  const arma::mat W = theta.head_rows(d);
  // Blocks within the fixed chunks, the chunks in order (in rank order when the fit is split among
  // MPI ranks, the sums handed on): the same bits for any number of ranks.
  const detail::chunking ch = X.chunks();
  detail::sum_in_chunk_order(ch, {{M.memptr(), M.n_elem}, {class_weight.memptr(), K}, {&llf, 1}}, [&](arma::uword c) {
  for (arma::uword start = ch.begin(c), end = ch.begin(c + 1); start < end; start += B) {
    const arma::uword len = std::min(B, end - start);
    X.copy(start, len, Xb.memptr());  // the standardised rows, dense
    Z = W.t() * Xb.head_cols(len);
    if (fit_intercept) Z.each_col() += theta.row(d).t();
    for (arma::uword i = 0; i < len; ++i) {
      const double ci = weights.is_empty() ? 1.0 : weights[start + i];
      const std::uint32_t yi = y[start + i];
      double* z = Z.colptr(i);
      const double top = *std::max_element(z, z + K);
      double sum = 0;
      for (arma::uword k = 0; k < K; ++k) sum += std::exp(z[k] - top);
      llf += ci * (z[yi] - top - std::log(sum));
      class_weight[yi] += ci;
      const double root = std::sqrt(ci);
      const double* x = Xb.colptr(i);
      double* s = S.colptr(i);
      for (arma::uword k = 0; k < K; ++k) {
        const double r = root * ((k == yi ? 1.0 : 0.0) - std::exp(z[k] - top) / sum);  // sqrt(c) (y - p)
        for (arma::uword j = 0; j < d; ++j) s[k * q + j] = r * x[j];
        if (fit_intercept) s[k * q + d] = r;
      }
    }
    blas::syrk_lower_add(static_cast<int>(N), static_cast<int>(len), S.memptr(), static_cast<int>(N), M.memptr(),
                         static_cast<int>(N));
  }
  });
  M = arma::symmatl(M);
  out.log_likelihood = llf;
  out.nobs = arma::accu(class_weight);
  if (fit_intercept) {  // the intercept-only fit: p_k = the (weighted) share of class k
    double ll0 = 0;
    for (arma::uword k = 0; k < K; ++k)
      if (class_weight[k] > 0) ll0 += class_weight[k] * std::log(class_weight[k] / out.nobs);
    out.null_log_likelihood = ll0;
  } else {  // without intercepts the nested null model is z = 0: p = 1/K for every row
    out.null_log_likelihood = -out.nobs * std::log(static_cast<double>(K));
  }

  arma::mat Hinv, meat;
  if (!penalised) {
    // Class 0's score fixed at 0: the contrasts' Hessian and scores are the other classes' blocks.
    const arma::mat Hr = H.submat(q, q, N - 1, N - 1);
    meat = M.submat(q, q, N - 1, N - 1);
    if (!inverse_at_unit_diagonal(Hr, Hinv, out.condition_number)) return out;
  } else {
    for (arma::uword k = 0; k < K; ++k)
      for (arma::uword j = 0; j < d; ++j)
        H(k * q + j, k * q + j) += (penalty_weights.is_empty() ? 1.0 : penalty_weights[j]) / C;
    meat = M;
    if (fit_intercept) {
      // Singular along u (the common shift of the intercepts): invert H + alpha u u' instead and
      // remove alpha u u' from the inverse again, which leaves the pseudo-inverse.
      arma::vec u(N, arma::fill::zeros);
      double alpha = 0;
      for (arma::uword k = 0; k < K; ++k) {
        u(k * q + d) = 1.0 / std::sqrt(static_cast<double>(K));
        alpha += H(k * q + d, k * q + d) / static_cast<double>(K);
      }
      arma::mat Ainv;
      if (!(alpha > 0) || !inverse_at_unit_diagonal(H + alpha * u * u.t(), Ainv, out.condition_number)) return out;
      Hinv = Ainv - u * u.t() / alpha;
      Hinv = 0.5 * (Hinv + Hinv.t());
    } else if (!inverse_at_unit_diagonal(H, Hinv, out.condition_number)) {
      return out;
    }
  }
  const arma::mat hc0 = Hinv * meat * Hinv;

  // To the original scale and the order (Intercept), features, block by block: theta = J theta_X.
  const arma::uword E = Hinv.n_rows / q;
  arma::mat J1(q, q, arma::fill::zeros);
  const arma::uword first = fit_intercept ? 1 : 0;
  for (arma::uword j = 0; j < d; ++j) {
    J1(first + j, j) = 1.0 / scale[j];
    if (fit_intercept) J1(0, j) = -mean[j] / scale[j];
  }
  if (fit_intercept) J1(0, d) = 1.0;
  arma::mat J = arma::kron(arma::eye(E, E), J1);
  if (penalised && fit_intercept) {
    // Any generalised inverse, projected along u onto sum_k b_k = 0 (the stored intercepts, on the
    // original scale), gives the one covariance that respects that constraint, whatever the
    // coordinates the solver used (H and the scores are flat along u, so the sandwich projects alike).
    arma::mat P(N, N, arma::fill::eye);
    for (arma::uword a = 0; a < K; ++a)
      for (arma::uword b = 0; b < K; ++b) P(a * q, b * q) -= 1.0 / static_cast<double>(K);
    J = P * J;
  }
  bool representable = true;
  auto to_original = [&](const arma::mat& V) {
    arma::mat R = J * V * J.t();
    R = 0.5 * (R + R.t());
    const arma::uword bad = unrepresentable_variance(J, V, R);
    if (bad != SIZE_MAX) {
      if (representable && not_representable) *not_representable = parameter_names[bad % q];
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
