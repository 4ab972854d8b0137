#include "objective/multinomial_loss.hpp"

#include <algorithm>
#include <cmath>

#include "base/chunking.hpp"

namespace logreg {

namespace {
constexpr arma::uword rows_per_block = 2048;

using detail::chunking;

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

multinomial_loss::multinomial_loss(const design& X, std::vector<std::uint32_t> y, arma::uword K,
                                   const arma::vec& weights, bool fit_intercept)
    : X_(X), y_(std::move(y)) {
  layout_.features = X.n_terms();
  layout_.classes = K;
  layout_.intercept = fit_intercept;
  c_ = weights;  // empty: every row weighs 1 (no n-sized array of ones)
  weight_sum_ = std::max(weights.is_empty() ? static_cast<double>(X.total_obs()) : detail::total(X.chunks(), c_), 1e-300);
}

void multinomial_loss::coefficients(const arma::vec& theta, arma::mat& U, arma::vec& offsets) const {
  const arma::uword d = layout_.features, K = layout_.classes;
  const arma::mat T(const_cast<double*>(theta.memptr()), layout_.block(), K, false, true);  // column k: [w_k; b_k]
  X_.prepare(arma::mat(T.head_rows(d)), U, offsets);
  if (layout_.intercept) offsets += T.row(d).t();
}

void multinomial_loss::scores(const arma::mat& U, const arma::vec& offsets, arma::uword lo, arma::uword len,
                              arma::mat& Z) const {
  X_.scores(lo, len, U, offsets, Z);
}

arma::mat multinomial_loss::linear_scores(const arma::vec& theta) const {
  arma::mat U, Z, out(layout_.classes, X_.n_obs());
  arma::vec offsets;
  coefficients(theta, U, offsets);
  for (arma::uword lo = 0; lo < X_.n_obs(); lo += rows_per_block) {
    const arma::uword len = std::min(rows_per_block, X_.n_obs() - lo);
    scores(U, offsets, lo, len, Z);
    out.cols(lo, lo + len - 1) = Z;
  }
  return out;
}

arma::mat multinomial_loss::probabilities(const arma::vec& theta) const {
  arma::mat Z = linear_scores(theta);
  arma::vec lse;
  softmax_columns(Z, lse);
  return Z;
}

double multinomial_loss::value_gradient(const arma::vec& theta, arma::vec& g) {
  const arma::uword d = layout_.features, K = layout_.classes;
  arma::mat U;
  arma::vec offsets;
  coefficients(theta, U, offsets);
  const chunking ch = X_.chunks();
  std::vector<arma::mat> partial_G(ch.count);      // d x K each
  std::vector<arma::rowvec> partial_r(ch.count);   // K each: sum of R's columns
  std::vector<double> partial_loss(ch.count, 0.0);
  const int threads = detail::threads_for_work(X_.pass_work() * static_cast<double>(K));
  detail::for_each_chunk(ch, threads, [&](arma::uword t) {
    arma::mat& G = partial_G[t];
    G.zeros(d, K);
    partial_r[t].zeros(K);
    double loss = 0;
    arma::mat Z;
    arma::vec lse, zy(rows_per_block);
    for (arma::uword lo = ch.begin(t), hi = ch.begin(t + 1); lo < hi; lo += rows_per_block) {
      const arma::uword len = std::min(rows_per_block, hi - lo);
      scores(U, offsets, lo, len, Z);
      for (arma::uword i = 0; i < len; ++i) zy[i] = Z(y_[lo + i], i);
      softmax_columns(Z, lse);  // Z now holds P
      for (arma::uword i = 0; i < len; ++i) {
        const double ci = weight(lo + i);
        loss += ci * (lse[i] - zy[i]);
        Z(y_[lo + i], i) -= 1.0;
        Z.col(i) *= ci;  // R = c (P - Y)
      }
      X_.add_gradient(lo, len, Z, G);
      partial_r[t] += arma::sum(Z, 1).t();
    }
    partial_loss[t] = loss;
  });
  arma::mat G(d, K, arma::fill::zeros);
  arma::rowvec rsum(K, arma::fill::zeros);
  double loss = 0;
  detail::sum_in_chunk_order(ch, {{G.memptr(), G.n_elem}, {rsum.memptr(), K}, {&loss, 1}}, [&](arma::uword t) {
    G += partial_G[t];
    rsum += partial_r[t];
    loss += partial_loss[t];
  });
  X_.finish_gradient(G, rsum);
  arma::mat T(layout_.block(), K);
  if (d > 0) T.head_rows(d) = G;
  if (layout_.intercept) T.row(d) = rsum;
  g = arma::vectorise(T);
  return loss;
}

void multinomial_loss::hessian(const arma::vec& theta, arma::mat& H) {
  const arma::uword d = layout_.features, K = layout_.classes, m = layout_.block();
  H.zeros(n_vars(), n_vars());
  arma::mat U;
  arma::vec offsets;
  coefficients(theta, U, offsets);
  const chunking ch = X_.gram_chunks();
  const int threads = detail::threads_for_work(X_.gram_work());
  const bool need_xv = layout_.intercept || !X_.implicit_center().is_empty();
  const std::size_t T = static_cast<std::size_t>(detail::chunk_threads(ch, threads));
  if (workspaces_.size() < T) workspaces_.resize(T);
  std::vector<arma::mat>& partial_H = partial_H_;  // kept between calls (see logistic_loss)
  std::vector<arma::vec>& partial_xv = partial_xv_;
  partial_H.resize(ch.count);
  partial_xv.resize(ch.count);
  std::vector<double> partial_v(ch.count);
  // Block (a, b) = sum_i v_i x~_i x~_i' with v_i = c_i p_ia ([a = b] - p_ib): >= 0 on the diagonal
  // blocks, <= 0 off it (added as the Gram of c p_a p_b, subtracted). One chunked Gram pass per
  // block; each chunk's probabilities are computed afresh for it (K d per row, next to the Gram's
  // d^2), so that no K x n array is held.
  for (arma::uword a = 0; a < K; ++a)
    for (arma::uword b = a; b < K; ++b) {
      const double sign = a == b ? 1.0 : -1.0;
      detail::for_each_chunk_on_thread(ch, threads, [&](arma::uword t, int thread) {
        const arma::uword lo = ch.begin(t), hi = ch.begin(t + 1);
        gram_workspace& ws = workspaces_[static_cast<std::size_t>(thread)];
        partial_H[t].zeros(d, d);
        if (need_xv) partial_xv[t].zeros(d);
        double s = 0;
        arma::mat Z;
        arma::vec lse, v;
        for (arma::uword start = lo; start < hi; start += rows_per_block) {
          const arma::uword len = std::min(rows_per_block, hi - start);
          scores(U, offsets, start, len, Z);
          softmax_columns(Z, lse);
          v.set_size(len);
          for (arma::uword i = 0; i < len; ++i) {
            v[i] = weight(start + i) * Z(a, i) * (a == b ? 1.0 - Z(b, i) : Z(b, i));
            s += v[i];
          }
          X_.add_gram(start, len, v.memptr(), sign, partial_H[t], need_xv ? partial_xv[t].memptr() : nullptr, ws);
        }
        partial_v[t] = sign * s;
      });
      arma::mat A(d, d, arma::fill::zeros);
      arma::vec xv;
      if (need_xv) xv.zeros(d);
      double vsum = 0;
      detail::sum_in_chunk_order(ch, {{A.memptr(), A.n_elem}, {xv.memptr(), xv.n_elem}, {&vsum, 1}}, [&](arma::uword t) {
        A += partial_H[t];
        if (need_xv) xv += partial_xv[t];
        vsum += partial_v[t];
      });
      X_.finish_gram(A, xv, vsum);
      arma::mat block(m, m, arma::fill::zeros);
      if (d > 0) block.submat(0, 0, d - 1, d - 1) = arma::symmatl(A);
      if (layout_.intercept) {
        if (d > 0) {
          block.submat(d, 0, d, d - 1) = xv.t();
          block.submat(0, d, d - 1, d) = xv;
        }
        block(d, d) = vsum;
      }
      H.submat(a * m, b * m, a * m + m - 1, b * m + m - 1) = block;
      if (a != b) H.submat(b * m, a * m, b * m + m - 1, a * m + m - 1) = block;
    }
}

}  // namespace logreg
