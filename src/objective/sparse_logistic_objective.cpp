#include "objective/sparse_logistic_objective.hpp"

#include <algorithm>
#include <cmath>

#include "base/chunking.hpp"
#include "base/numerics.hpp"
#include "logreg/threads.hpp"

namespace logreg {

namespace {
using detail::chunking;
using detail::for_each_chunk;

// The fixed chunks of a sparse pass: those of the dense objective (by n alone), but at most
// nnz / (2 d), so that the chunks' partial gradients (d doubles each) stay below the data's size.
chunking sparse_chunks(const csr_matrix& X) {
  chunking ch(X.n_rows);
  const std::size_t cap = X.nnz() / (2 * std::max<std::size_t>(X.n_cols, 1));
  ch.count = std::max<arma::uword>(1, std::min<arma::uword>(ch.count, cap));
  return ch;
}
}  // namespace

sparse_logistic_objective::sparse_logistic_objective(const csr_matrix& X, const arma::vec& y01,
                                                     const arma::vec& weights, double C, bool l2_penalty,
                                                     bool fit_intercept, arma::vec col_scale, arma::vec col_center)
    : X_(X), y_(y01), C_(C), l2_(l2_penalty), intercept_(fit_intercept), s_(std::move(col_scale)),
      m_(std::move(col_center)), d_(X.n_cols), n_(X.n_rows) {
  c_ = weights.is_empty() ? arma::vec(n_, arma::fill::ones) : weights;
  scale_ = C_ * std::max(arma::accu(c_), 1e-300);
  chunks_ = sparse_chunks(X).count;
  partial_g_.resize(chunks_);
  D_.set_size(n_);
}

arma::vec sparse_logistic_objective::effective_weights(const arma::vec& theta) const {
  return s_.is_empty() ? arma::vec(theta.head(d_)) : arma::vec(theta.head(d_) % s_);
}

double sparse_logistic_objective::effective_intercept(const arma::vec& theta, const arma::vec& u) const {
  const double b = intercept_ ? theta(d_) : 0.0;
  return m_.is_empty() ? b : b - arma::dot(m_, u);
}

arma::vec sparse_logistic_objective::scores(const arma::vec& theta) const {
  const arma::vec u = effective_weights(theta);
  const double b = effective_intercept(theta, u);
  arma::vec z(n_);
  const std::size_t* rp = X_.row_ptr.data();
  const std::uint32_t* col = X_.col.data();
  const double* val = X_.val.data();
  for (arma::uword i = 0; i < n_; ++i) {
    double zi = b;
    for (std::size_t k = rp[i]; k < rp[i + 1]; ++k) zi += val[k] * u[col[k]];
    z[i] = zi;
  }
  return z;
}

double sparse_logistic_objective::value_gradient(const arma::vec& theta, arma::vec& g) {
  const arma::vec u = effective_weights(theta);
  const double b = effective_intercept(theta, u);
  chunking ch(n_);
  ch.count = chunks_;
  std::vector<double> partial_loss(ch.count, 0.0), partial_rsum(ch.count, 0.0);
  const std::size_t* rp = X_.row_ptr.data();
  const std::uint32_t* col = X_.col.data();
  const double* val = X_.val.data();
  const double* uu = u.memptr();
  const int threads = detail::threads_for_work(static_cast<double>(X_.nnz() + n_));
  // Each row once: z_i from its non-zeros, then the loss, the residual r_i and the Hessian weight
  // D_i, then g += r_i x_i into the chunk's own partial gradient.
  for_each_chunk(ch, threads, [&](arma::uword t) {
    arma::vec& gt = partial_g_[t];
    gt.zeros(d_);
    double* gp = gt.memptr();
    double loss = 0, rsum = 0;
    for (arma::uword i = ch.begin(t); i < ch.begin(t + 1); ++i) {
      double z = b;
      for (std::size_t k = rp[i]; k < rp[i + 1]; ++k) z += val[k] * uu[col[k]];
      const double yi = y_[i], ci = c_[i];
      const double p = sigmoid(z);
      loss += ci * log1p_exp(yi > 0.5 ? -z : z);
      const double r = ci * (p - yi);
      rsum += r;
      D_[i] = ci * p * sigmoid(-z);
      for (std::size_t k = rp[i]; k < rp[i + 1]; ++k) gp[col[k]] += r * val[k];
    }
    partial_loss[t] = loss;
    partial_rsum[t] = rsum;
  });
  double loss = 0, rsum = 0;
  g.zeros(n_vars());
  for (arma::uword t = 0; t < ch.count; ++t) {
    loss += partial_loss[t];
    rsum += partial_rsum[t];
    g.head(d_) += partial_g_[t];
  }
  double f = C_ * loss;
  if (!m_.is_empty()) g.head(d_) -= rsum * m_;  // the gradient of the centred features: X'r - m sum r
  g.head(d_) *= C_;
  if (!s_.is_empty()) g.head(d_) %= s_;
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

void sparse_logistic_objective::hessian(const arma::vec& theta, arma::mat& H) {
  if (D_theta_.n_elem != theta.n_elem || arma::any(D_theta_ != theta)) {
    arma::vec g;
    value_gradient(theta, g);
  }
  // Fewer chunks than the gradient's when d is large: the partial Hessians (d^2 doubles each) stay
  // within max(nnz, 4M) doubles. Still fixed by the data alone.
  chunking ch(n_);
  const double dd = std::max(1.0, static_cast<double>(d_) * static_cast<double>(d_));
  ch.count = std::max<arma::uword>(
      1, std::min<arma::uword>(chunks_, static_cast<arma::uword>(std::max<double>(static_cast<double>(X_.nnz()), 4194304.0) / dd)));
  const std::size_t* rp = X_.row_ptr.data();
  const std::uint32_t* col = X_.col.data();
  const double* val = X_.val.data();
  std::vector<arma::mat> partial_H(ch.count);
  std::vector<arma::vec> partial_hwb(ch.count);
  std::vector<double> partial_hbb(ch.count, 0.0);
  double work = 0;
  for (arma::uword i = 0; i < n_; ++i) work += static_cast<double>(rp[i + 1] - rp[i]) * static_cast<double>(rp[i + 1] - rp[i]);
  // Per row, D_i x_i x_i' over its non-zeros (lower triangle: col[a] >= col[b] as they increase).
  for_each_chunk(ch, detail::threads_for_work(work / 2 + static_cast<double>(n_)), [&](arma::uword t) {
    arma::mat& Ht = partial_H[t];
    arma::vec& hwb = partial_hwb[t];
    Ht.zeros(d_, d_);
    hwb.zeros(d_);
    double hbb = 0;
    for (arma::uword i = ch.begin(t); i < ch.begin(t + 1); ++i) {
      const double Di = D_[i];
      hbb += Di;
      for (std::size_t a = rp[i]; a < rp[i + 1]; ++a) {
        const double va = Di * val[a];
        double* Hcol = Ht.colptr(col[a]);  // column col[a], rows col[b] >= col[a]: lower triangle
        for (std::size_t k = a; k < rp[i + 1]; ++k) Hcol[col[k]] += va * val[k];
        hwb[col[a]] += va;
      }
    }
    partial_hbb[t] = hbb;
  });
  const arma::uword m = n_vars();
  H.zeros(m, m);
  arma::vec hwb(d_, arma::fill::zeros);
  double hbb = 0;
  for (arma::uword t = 0; t < ch.count; ++t) {
    if (d_ > 0) H.submat(0, 0, d_ - 1, d_ - 1) += partial_H[t];
    hwb += partial_hwb[t];
    hbb += partial_hbb[t];
  }
  if (d_ > 0 && !m_.is_empty()) {  // centred: sum_i D_i (x_i - m)(x_i - m)' and sum_i D_i (x_i - m)
    auto A = H.submat(0, 0, d_ - 1, d_ - 1);
    A = arma::symmatl(A);
    A -= m_ * hwb.t() + hwb * m_.t() - hbb * (m_ * m_.t());
    hwb -= hbb * m_;
  }
  if (d_ > 0 && !s_.is_empty()) {
    H.submat(0, 0, d_ - 1, d_ - 1).each_col() %= s_;
    H.submat(0, 0, d_ - 1, d_ - 1).each_row() %= s_.t();
    hwb %= s_;
  }
  H *= C_;
  if (intercept_) {
    if (d_ > 0) H.submat(d_, 0, d_, d_ - 1) = C_ * hwb.t();
    H(d_, d_) = C_ * hbb;
  }
  H = arma::symmatl(H);
  if (l2_)
    for (arma::uword j = 0; j < d_; ++j) H(j, j) += lambda_.is_empty() ? 1.0 : lambda_[j];
}

}  // namespace logreg
