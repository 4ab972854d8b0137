#include "objective/multinomial_objective.hpp"

#include <algorithm>
#include <cmath>

#include "base/chunking.hpp"
#include "logreg/threads.hpp"

namespace logreg {

namespace {
constexpr arma::uword rows_per_block = 2048;

using detail::chunking;
using detail::for_each_chunk;

// In place: each column of Z becomes softmax probabilities; returns log sum exp per column in lse.
void softmax_columns(arma::mat& Z, arma::vec& lse) {
  lse.set_size(Z.n_cols);
  for (arma::uword i = 0; i < Z.n_cols; ++i) {
    double* z = Z.colptr(i);
    double top = z[0];
    for (arma::uword k = 1; k < Z.n_rows; ++k) top = std::max(top, z[k]);
    double sum = 0;
    for (arma::uword k = 0; k < Z.n_rows; ++k) {
      z[k] = std::exp(z[k] - top);
      sum += z[k];
    }
    for (arma::uword k = 0; k < Z.n_rows; ++k) z[k] /= sum;
    lse[i] = top + std::log(sum);
  }
}
}  // namespace

multinomial_objective::multinomial_objective(const arma::mat& X, std::vector<std::uint32_t> y, arma::uword K,
                                             const arma::vec& weights, double C, double l2, bool fit_intercept)
    : X_(X), y_(std::move(y)), K_(K), d_(X.n_rows), n_(X.n_cols), block_(X.n_rows + (fit_intercept ? 1 : 0)),
      C_(C), l2_(l2), intercept_(fit_intercept) {
  c_ = weights.is_empty() ? arma::vec(n_, arma::fill::ones) : weights;
  scale_ = C_ * std::max(arma::accu(c_), 1e-300);
}

void multinomial_objective::scores(const arma::vec& theta, arma::uword lo, arma::uword len, arma::mat& Z) const {
  const arma::mat T(const_cast<double*>(theta.memptr()), block_, K_, false, true);  // column k: [w_k; b_k]
  const arma::mat Xb(const_cast<double*>(X_.colptr(lo)), d_, len, false, true);
  Z = T.rows(0, d_ - 1).t() * Xb;
  if (intercept_) Z.each_col() += T.row(d_).t();
}

arma::mat multinomial_objective::probabilities(const arma::vec& theta) const {
  arma::mat Z;
  scores(theta, 0, n_, Z);
  arma::vec lse;
  softmax_columns(Z, lse);
  return Z;
}

double multinomial_objective::value_gradient(const arma::vec& theta, arma::vec& g) {
  const chunking ch(n_);
  std::vector<arma::mat> partial_G(ch.count);  // block_ x K each
  std::vector<double> partial_loss(ch.count, 0.0);
  const int threads = detail::threads_for_work(static_cast<double>(d_ + 1) * static_cast<double>(K_) * static_cast<double>(n_));
  for_each_chunk(ch, threads, [&](arma::uword t) {
    arma::mat& G = partial_G[t];
    G.zeros(block_, K_);
    double loss = 0;
    arma::mat Z;
    arma::vec lse;
    for (arma::uword lo = ch.begin(t), hi = ch.begin(t + 1); lo < hi; lo += rows_per_block) {
      const arma::uword len = std::min(rows_per_block, hi - lo);
      scores(theta, lo, len, Z);
      const arma::mat Zraw = Z;  // for z_{i, y_i}
      softmax_columns(Z, lse);   // Z now holds P
      for (arma::uword i = 0; i < len; ++i) {
        const double ci = c_[lo + i];
        const std::uint32_t yi = y_[lo + i];
        loss += ci * (lse[i] - Zraw(yi, i));
        Z(yi, i) -= 1.0;
        Z.col(i) *= ci;  // R = c (P - Y)
      }
      const arma::mat Xb(const_cast<double*>(X_.colptr(lo)), d_, len, false, true);
      G.rows(0, d_ - 1) += Xb * Z.t();
      if (intercept_) G.row(d_) += arma::sum(Z, 1).t();
    }
    partial_loss[t] = loss;
  });
  arma::mat G(block_, K_, arma::fill::zeros);
  double loss = 0;
  for (arma::uword t = 0; t < ch.count; ++t) {
    G += partial_G[t];
    loss += partial_loss[t];
  }
  G *= C_;
  double f = C_ * loss;
  if (l2_ > 0) {
    const arma::mat T(const_cast<double*>(theta.memptr()), block_, K_, false, true);
    arma::mat W = T.rows(0, d_ - 1);
    if (!lambda_.is_empty()) {
      f += 0.5 * l2_ * arma::accu(W % W % arma::repmat(lambda_, 1, K_));
      W.each_col() %= lambda_;
    } else {
      f += 0.5 * l2_ * arma::accu(W % W);
    }
    G.rows(0, d_ - 1) += l2_ * W;
  }
  g = arma::vectorise(G);
  return f;
}

void multinomial_objective::hessian(const arma::vec& theta, arma::mat& H) {
  const arma::uword m = block_, N = n_vars();
  H.zeros(N, N);
  arma::mat Z, Xt(m, rows_per_block), S(m, rows_per_block);
  arma::vec lse;
  for (arma::uword lo = 0; lo < n_; lo += rows_per_block) {
    const arma::uword len = std::min(rows_per_block, n_ - lo);
    scores(theta, lo, len, Z);
    softmax_columns(Z, lse);
    Xt.set_size(m, len);
    Xt.rows(0, d_ - 1) = X_.cols(lo, lo + len - 1);
    if (intercept_) Xt.row(d_).ones();
    for (arma::uword a = 0; a < K_; ++a)
      for (arma::uword b = a; b < K_; ++b) {
        // v_i = c_i p_ia ([a = b] - p_ib)
        S = Xt;
        for (arma::uword i = 0; i < len; ++i) {
          const double v = c_[lo + i] * Z(a, i) * ((a == b ? 1.0 : 0.0) - Z(b, i));
          S.col(i) *= v;
        }
        H.submat(a * m, b * m, a * m + m - 1, b * m + m - 1) += S * Xt.t();
      }
  }
  H *= C_;
  H = arma::symmatu(H);
  if (l2_ > 0)
    for (arma::uword k = 0; k < K_; ++k)
      for (arma::uword j = 0; j < d_; ++j) H(k * m + j, k * m + j) += l2_ * (lambda_.is_empty() ? 1.0 : lambda_[j]);
}

}  // namespace logreg
