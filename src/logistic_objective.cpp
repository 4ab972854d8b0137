#include "logreg/logistic_objective.hpp"

#include <algorithm>
#include <cmath>

#include "blas.hpp"
#include "logreg/numerics.hpp"

namespace logreg {

namespace {
// Observations per block: the block of X (d x B doubles) stays in a 256 KiB cache while its scores
// and residuals are computed and it is read a second time for the gradient.
arma::uword block_size(arma::uword d) { return std::max<arma::uword>(64, (256 * 1024 / 8) / std::max<arma::uword>(d, 1)); }
}  // namespace

logistic_objective::logistic_objective(const arma::mat& X, const arma::vec& y01, const arma::vec& weights,
                                       double C, bool l2_penalty, bool fit_intercept)
    : X_(X), y_(y01), C_(C), l2_(l2_penalty), intercept_(fit_intercept), d_(X.n_rows), n_(X.n_cols) {
  c_ = weights.is_empty() ? arma::vec(n_, arma::fill::ones) : weights;
  scale_ = C_ * std::max(arma::accu(c_), 1e-300);
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
  g.zeros(n_vars());
  const double b = intercept_ ? theta(d_) : 0.0;
  const arma::uword B = block_size(d_);
  arma::vec z(B), r(B);
  double loss = 0, rsum = 0;
  const int d = static_cast<int>(d_);
  for (arma::uword start = 0; start < n_; start += B) {
    const arma::uword len = std::min(B, n_ - start);
    const double* Xb = X_.colptr(start);
    blas::gemv(true, d, static_cast<int>(len), 1.0, Xb, d, theta.memptr(), 0.0, z.memptr());
    for (arma::uword i = 0; i < len; ++i) {
      const double zi = z[i] + b;
      const double yi = y_[start + i], ci = c_[start + i];
      // log(1 + exp(-s z)) with s = 2y - 1; p - y = sigmoid(z) - y.
      loss += ci * log1p_exp(yi > 0.5 ? -zi : zi);
      r[i] = ci * (sigmoid(zi) - yi);
      rsum += r[i];
    }
    blas::gemv(false, d, static_cast<int>(len), 1.0, Xb, d, r.memptr(), 1.0, g.memptr());
  }
  double f = C_ * loss;
  g.head(d_) *= C_;
  if (intercept_) g(d_) = C_ * rsum;
  if (l2_) {
    const arma::vec w = theta.head(d_);
    f += 0.5 * arma::dot(w, w);
    g.head(d_) += w;
  }
  return f;
}

void logistic_objective::hessian(const arma::vec& theta, arma::mat& H) {
  const arma::uword m = n_vars();
  H.zeros(m, m);
  const double b = intercept_ ? theta(d_) : 0.0;
  const arma::uword B = block_size(d_);
  arma::mat Wb(d_, B);  // block of X with column i scaled by sqrt(D_i)
  arma::vec z(B), D(B);
  arma::vec hwb(d_, arma::fill::zeros);
  double hbb = 0;
  const int d = static_cast<int>(d_);
  for (arma::uword start = 0; start < n_; start += B) {
    const arma::uword len = std::min(B, n_ - start);
    const double* Xb = X_.colptr(start);
    blas::gemv(true, d, static_cast<int>(len), 1.0, Xb, d, theta.memptr(), 0.0, z.memptr());
    for (arma::uword i = 0; i < len; ++i) {
      const double zi = z[i] + b;
      // p (1 - p) = sigmoid(z) sigmoid(-z), both computed without overflow.
      D[i] = c_[start + i] * sigmoid(zi) * sigmoid(-zi);
      const double sq = std::sqrt(D[i]);
      const double* x = Xb + i * d_;
      double* w = Wb.colptr(i);
      for (arma::uword j = 0; j < d_; ++j) w[j] = x[j] * sq;
      hbb += D[i];
    }
    blas::syrk_lower_add(d, static_cast<int>(len), Wb.memptr(), d, H.memptr(), static_cast<int>(m));
    if (intercept_) blas::gemv(false, d, static_cast<int>(len), 1.0, Xb, d, D.memptr(), 1.0, hwb.memptr());
  }
  H *= C_;
  if (intercept_) {
    H.submat(d_, 0, d_, d_ - 1) = C_ * hwb.t();
    H(d_, d_) = C_ * hbb;
  }
  H = arma::symmatl(H);
  if (l2_)
    for (arma::uword j = 0; j < d_; ++j) H(j, j) += 1.0;
}

}  // namespace logreg
