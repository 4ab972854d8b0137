#include "objective/logistic_objective.hpp"

#include <algorithm>
#include <cmath>

#include "base/blas.hpp"
#include "base/chunking.hpp"
#include "base/numerics.hpp"
#include "logreg/threads.hpp"

namespace logreg {

namespace {
// Observations per block: the block of X (d x B doubles) stays in a 256 KiB cache while its scores
// and residuals are computed and it is read a second time for the gradient (or the Hessian).
arma::uword block_size(arma::uword d) { return std::max<arma::uword>(64, (256 * 1024 / 8) / std::max<arma::uword>(d, 1)); }

// Threads worth using for a pass over d x n values.
int threads_for(arma::uword d, arma::uword n) {
  return detail::threads_for_work(static_cast<double>(d + 1) * static_cast<double>(n));
}

using detail::chunking;
using detail::for_each_chunk;
}  // namespace

logistic_objective::logistic_objective(const arma::mat& X, const arma::vec& y01, const arma::vec& weights,
                                       double C, bool l2_penalty, bool fit_intercept)
    : X_(X), y_(y01), C_(C), l2_(l2_penalty), intercept_(fit_intercept), d_(X.n_rows), n_(X.n_cols) {
  c_ = weights.is_empty() ? arma::vec(n_, arma::fill::ones) : weights;
  scale_ = C_ * std::max(arma::accu(c_), 1e-300);
  D_.set_size(n_);
}

arma::vec logistic_objective::scores(const arma::vec& theta) const {
  arma::vec z(n_);
  const double b = intercept_ ? theta(d_) : 0.0;
  blas::gemv(true, static_cast<int>(d_), static_cast<int>(n_), 1.0, X_.memptr(), static_cast<int>(d_),
             theta.memptr(), 0.0, z.memptr());
  z += b;
  return z;
}

double logistic_objective::value_gradient(const arma::vec& theta, arma::vec& g) {
  const double b = intercept_ ? theta(d_) : 0.0;
  const arma::uword B = block_size(d_);
  const int d = static_cast<int>(d_);
  const chunking ch(n_);
  // Each chunk of observations, block by block: z_b = X_b' w + b, then the loss, the residuals r_b
  // and the Hessian weights D_b, then g += X_b r_b while X_b is in cache.
  std::vector<arma::vec> partial_g(ch.count);
  std::vector<double> partial_loss(ch.count, 0.0), partial_rsum(ch.count, 0.0);
  for_each_chunk(ch, threads_for(d_, n_), [&](arma::uword t) {
    const arma::uword lo = ch.begin(t), hi = ch.begin(t + 1);
    arma::vec& gt = partial_g[t];
    gt.zeros(d_);
    arma::vec z(B), r(B);
    double loss = 0, rsum = 0;
    for (arma::uword start = lo; start < hi; start += B) {
      const arma::uword len = std::min(B, hi - start);
      const double* Xb = X_.colptr(start);
      blas::gemv(true, d, static_cast<int>(len), 1.0, Xb, d, theta.memptr(), 0.0, z.memptr());
      for (arma::uword i = 0; i < len; ++i) {
        const double zi = z[i] + b;
        const double yi = y_[start + i], ci = c_[start + i];
        // loss log(1 + exp(-s z)) with s = 2y - 1; residual p - y; p (1 - p) = sigmoid(z) sigmoid(-z).
        const double p = sigmoid(zi);
        loss += ci * log1p_exp(yi > 0.5 ? -zi : zi);
        r[i] = ci * (p - yi);
        rsum += r[i];
        D_[start + i] = ci * p * sigmoid(-zi);
      }
      blas::gemv(false, d, static_cast<int>(len), 1.0, Xb, d, r.memptr(), 1.0, gt.memptr());
    }
    partial_loss[t] = loss;
    partial_rsum[t] = rsum;
  });
  double loss = 0, rsum = 0;
  g.zeros(n_vars());
  for (arma::uword t = 0; t < ch.count; ++t) {
    loss += partial_loss[t];
    rsum += partial_rsum[t];
    g.head(d_) += partial_g[t];
  }
  double f = C_ * loss;
  g.head(d_) *= C_;
  if (intercept_) g(d_) = C_ * rsum;
  if (l2_) {
    const arma::vec w = theta.head(d_);
    if (lambda_.is_empty()) {
      f += 0.5 * arma::dot(w, w);
      g.head(d_) += w;
    } else {
      f += 0.5 * arma::dot(lambda_ % w, w);
      g.head(d_) += lambda_ % w;
    }
  }
  D_theta_ = theta;
  return f;
}

void logistic_objective::hessian(const arma::vec& theta, arma::mat& H) {
  // The Hessian weights D come from the last value_gradient() when it was at this theta (Newton
  // always asks for the Hessian at the point it just evaluated); otherwise one pass refreshes them.
  if (D_theta_.n_elem != theta.n_elem || arma::any(D_theta_ != theta)) {
    arma::vec g;
    value_gradient(theta, g);
  }
  const arma::uword m = n_vars();
  // SYRK is compute-bound: large blocks (up to 8192 observations) amortise its packing overhead.
  const arma::uword B = std::max<arma::uword>(block_size(d_), std::min<arma::uword>(8192, (64u << 20) / 8 / std::max<arma::uword>(d_, 1)));
  const int d = static_cast<int>(d_);
  const chunking ch(n_);
  std::vector<arma::mat> partial_H(ch.count);
  std::vector<arma::vec> partial_hwb(ch.count);
  std::vector<double> partial_hbb(ch.count, 0.0);
  // Each thread has its own scaled block, kept from one call to the next: a fresh one per chunk and
  // call cost a page fault per 4 kB and a memset every time (a third of the fit's time on 30k x 104).
  const int threads = threads_for(d_ * d_ / 8 + d_, n_);  // SYRK: d/8 times a pass
  arma::uword longest = 0;
  for (arma::uword c = 0; c < ch.count; ++c) longest = std::max(longest, ch.begin(c + 1) - ch.begin(c));
  const arma::uword block_cols = std::min(B, longest);
  const std::size_t T = static_cast<std::size_t>(detail::chunk_threads(ch, threads));
  if (hessian_blocks_.size() < T) hessian_blocks_.resize(T);
  for (std::size_t t = 0; t < T; ++t)
    if (hessian_blocks_[t].n_rows != d_ || hessian_blocks_[t].n_cols < block_cols) hessian_blocks_[t].set_size(d_, block_cols);
  detail::for_each_chunk_on_thread(ch, threads, [&](arma::uword t, int thread) {
    const arma::uword lo = ch.begin(t), hi = ch.begin(t + 1);
    arma::mat& Ht = partial_H[t];
    arma::vec& hwb = partial_hwb[t];
    Ht.zeros(d_, d_);
    hwb.zeros(d_);
    arma::mat& Wb = hessian_blocks_[static_cast<std::size_t>(thread)];  // block of X with column i scaled by sqrt(D_i)
    double hbb = 0;
    for (arma::uword start = lo; start < hi; start += B) {
      const arma::uword len = std::min(B, hi - start);
      const double* Xb = X_.colptr(start);
      for (arma::uword i = 0; i < len; ++i) {
        const double sq = std::sqrt(D_[start + i]);
        const double* x = Xb + i * d_;
        double* w = Wb.colptr(i);
        for (arma::uword j = 0; j < d_; ++j) w[j] = x[j] * sq;
        hbb += D_[start + i];
      }
      blas::syrk_lower_add(d, static_cast<int>(len), Wb.memptr(), d, Ht.memptr(), d);
      if (intercept_) blas::gemv(false, d, static_cast<int>(len), 1.0, Xb, d, D_.memptr() + start, 1.0, hwb.memptr());
    }
    partial_hbb[t] = hbb;
  });
  H.zeros(m, m);
  arma::vec hwb(d_, arma::fill::zeros);
  double hbb = 0;
  for (arma::uword t = 0; t < ch.count; ++t) {
    H.submat(0, 0, d_ - 1, d_ - 1) += partial_H[t];
    hwb += partial_hwb[t];
    hbb += partial_hbb[t];
  }
  H *= C_;
  if (intercept_) {
    H.submat(d_, 0, d_, d_ - 1) = C_ * hwb.t();
    H(d_, d_) = C_ * hbb;
  }
  H = arma::symmatl(H);
  if (l2_)
    for (arma::uword j = 0; j < d_; ++j) H(j, j) += lambda_.is_empty() ? 1.0 : lambda_[j];
}

}  // namespace logreg
