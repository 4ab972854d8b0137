#include "objective/logistic_loss.hpp"

#include <algorithm>
#include <cmath>

#include "base/cache_memory.hpp"
#include "base/chunking.hpp"
#include "base/numerics.hpp"

namespace logreg {

using detail::chunking;

logistic_loss::logistic_loss(const design& X, const arma::vec& y01, const arma::vec& weights, bool fit_intercept)
    : X_(X), y_(y01) {
  layout_.features = X.n_terms();
  layout_.intercept = fit_intercept;
  c_ = weights;  // empty: every row weighs 1 (no n-sized array of ones)
  weight_sum_ = std::max(weights.is_empty() ? static_cast<double>(X.total_obs()) : detail::total(X.chunks(), c_), 1e-300);
  D_.set_size(X.n_obs());
}

arma::vec logistic_loss::scores(const arma::vec& theta) const {
  return standardized_scores(X_, theta.head(layout_.features), layout_.intercept ? theta(layout_.features) : 0.0);
}

double logistic_loss::value_gradient(const arma::vec& theta, arma::vec& g) {
  const arma::uword d = layout_.features, n = X_.n_obs();
  const double b = layout_.intercept ? theta(d) : 0.0;
  const design::prepared w = X_.prepare(theta.memptr());
  const double offset = b + w.shift;
  const arma::uword B = X_.block_rows();
  const chunking ch = X_.chunks();
  // Each chunk of observations, block by block: z_b = X_b' w + b, then the loss, the residuals r_b
  // and the Hessian weights D_b, then g += X_b r_b while the block is in cache.
  partial_g_.resize(ch.count);
  std::vector<double> partial_loss(ch.count, 0.0), partial_rsum(ch.count, 0.0);
  detail::for_each_chunk(ch, detail::threads_for_work(X_.pass_work()), [&](arma::uword t) {
    const arma::uword lo = ch.begin(t), hi = ch.begin(t + 1);
    // Out of core: the chunk's per-row arrays mapped in one call each (cache_memory.hpp).
    detail::prefetch_read(y_.memptr() + lo, (hi - lo) * sizeof(double));
    if (!c_.is_empty()) detail::prefetch_read(c_.memptr() + lo, (hi - lo) * sizeof(double));
    detail::prefetch_write(D_.memptr() + lo, (hi - lo) * sizeof(double));
    arma::vec& gt = partial_g_[t];
    gt.zeros(d);
    arma::vec z(B), r(B);
    double loss = 0, rsum = 0;
    for (arma::uword start = lo; start < hi; start += B) {
      const arma::uword len = std::min(B, hi - start);
      X_.scores(start, len, w.u.memptr(), offset, z.memptr());
      for (arma::uword i = 0; i < len; ++i) {
        const double zi = z[i];
        const double yi = y_[start + i], ci = weight(start + i);
        // loss log(1 + exp(-s z)) with s = 2y - 1; residual p - y; p (1 - p) = sigmoid(z) sigmoid(-z).
        const logistic_parts lp(zi);
        loss += ci * lp.loss(yi > 0.5 ? zi : -zi);
        r[i] = ci * (lp.p - yi);
        rsum += r[i];
        D_[start + i] = ci * lp.p * lp.one_minus_p;
      }
      X_.add_gradient(start, len, r.memptr(), gt.memptr());
    }
    partial_loss[t] = loss;
    partial_rsum[t] = rsum;
  });
  double loss = 0, rsum = 0;
  g.zeros(n_vars());
  detail::sum_in_chunk_order(ch, {{&loss, 1}, {&rsum, 1}, {g.memptr(), d}}, [&](arma::uword t) {
    loss += partial_loss[t];
    rsum += partial_rsum[t];
    g.head(d) += partial_g_[t];
  });
  X_.finish_gradient(g.memptr(), rsum);
  if (layout_.intercept) g(d) = rsum;
  D_theta_ = theta;
  (void)n;
  return loss;
}

void logistic_loss::hessian(const arma::vec& theta, arma::mat& H) {
  // The Hessian weights D come from the last value_gradient() when it was at this theta (Newton
  // always asks for the Hessian at the point it just evaluated); otherwise one pass refreshes them.
  if (D_theta_.n_elem != theta.n_elem || arma::any(D_theta_ != theta)) {
    arma::vec g;
    value_gradient(theta, g);
  }
  const arma::uword d = layout_.features, m = n_vars();
  const chunking ch = X_.gram_chunks();
  const int threads = detail::threads_for_work(X_.gram_work());
  const bool need_xv = layout_.intercept || !X_.implicit_center().is_empty();
  // The chunks' partial sums stay allocated from one call to the next: fresh d x d matrices per
  // chunk and call cost a page fault per 4 kB (27 MB per call for 229 terms).
  std::vector<arma::mat>& partial_H = partial_H_;
  std::vector<arma::vec>& partial_hwb = partial_hwb_;
  partial_H.resize(ch.count);
  partial_hwb.resize(ch.count);
  std::vector<double> partial_hbb(ch.count, 0.0);
  const std::size_t T = static_cast<std::size_t>(detail::chunk_threads(ch, threads));
  if (workspaces_.size() < T) workspaces_.resize(T);
  detail::for_each_chunk_on_thread(ch, threads, [&](arma::uword t, int thread) {
    const arma::uword lo = ch.begin(t), hi = ch.begin(t + 1);
    detail::prefetch_read(D_.memptr() + lo, (hi - lo) * sizeof(double));
    partial_H[t].zeros(d, d);
    if (need_xv) partial_hwb[t].zeros(d);
    X_.add_gram(lo, hi - lo, D_.memptr() + lo, 1.0, partial_H[t], need_xv ? partial_hwb[t].memptr() : nullptr,
                workspaces_[static_cast<std::size_t>(thread)]);
    double hbb = 0;
    for (arma::uword i = lo; i < hi; ++i) hbb += D_[i];
    partial_hbb[t] = hbb;
  });
  arma::mat A(d, d, arma::fill::zeros);
  arma::vec hwb;
  if (need_xv) hwb.zeros(d);
  double hbb = 0;
  detail::sum_in_chunk_order(ch, {{A.memptr(), A.n_elem}, {hwb.memptr(), hwb.n_elem}, {&hbb, 1}}, [&](arma::uword t) {
    A += partial_H[t];
    if (need_xv) hwb += partial_hwb[t];
    hbb += partial_hbb[t];
  });
  X_.finish_gram(A, hwb, hbb);
  H.zeros(m, m);
  if (d > 0) H.submat(0, 0, d - 1, d - 1) = A;
  if (layout_.intercept) {
    if (d > 0) H.submat(d, 0, d, d - 1) = hwb.t();
    H(d, d) = hbb;
  }
  H = arma::symmatl(H);
}

}  // namespace logreg
