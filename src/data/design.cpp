#include "data/design.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace logreg {

double magnitude_scale(double max_abs) {
  if (!(max_abs > 0) || !std::isfinite(max_abs)) return 1.0;
  // 2^k with max_abs / 2^k in [1, 2); k stays within the normal range, so 1 / 2^k is finite too.
  return std::ldexp(1.0, std::clamp(std::ilogb(max_abs), -1022, 1023));
}

column_standard standardize_column(double s, double scaled_mean, double scaled_squared_deviations, double n,
                                   bool center, bool equal) {
  column_standard c;
  const double sd = std::sqrt(scaled_squared_deviations / n);
  const double eps = std::numeric_limits<double>::epsilon();
  const bool constant = equal || !(sd > 10 * eps * std::fabs(scaled_mean));
  c.mean = center ? scaled_mean * s : 0.0;
  c.center = center ? scaled_mean : 0.0;
  if (constant) {
    c.scale = 1.0;
    c.factor = center ? 0.0 : s;
  } else {
    c.scale = sd * s;
    c.factor = 1.0 / sd;
  }
  return c;
}

design::prepared design::prepare(const double* w) const {
  prepared p;
  if (inv_scale_.is_empty()) {
    p.u = arma::vec(const_cast<double*>(w), d_);
    return p;
  }
  p.u = arma::vec(const_cast<double*>(w), d_) % inv_scale_;
  p.shift = -arma::dot(center_, p.u);
  return p;
}

void design::prepare(const arma::mat& W, arma::mat& U, arma::vec& shifts) const {
  U = W;
  shifts.zeros(W.n_cols);
  if (inv_scale_.is_empty()) return;
  U.each_col() %= inv_scale_;
  shifts = -(U.t() * center_);
}

void design::finish_gradient(double* g, double rsum) const {
  if (inv_scale_.is_empty()) return;
  for (arma::uword j = 0; j < d_; ++j) g[j] = (g[j] - center_[j] * rsum) * inv_scale_[j];
}

void design::finish_gradient(arma::mat& G, const arma::rowvec& rsums) const {
  if (inv_scale_.is_empty()) return;
  G -= center_ * rsums;
  G.each_col() %= inv_scale_;
}

void design::finish_gram(arma::mat& H, arma::vec& xv, double vsum) const {
  if (inv_scale_.is_empty() || d_ == 0) return;
  H = arma::symmatl(H);
  if (!xv.is_empty()) {
    H -= center_ * xv.t() + xv * center_.t() - vsum * (center_ * center_.t());
    xv -= vsum * center_;
    xv %= inv_scale_;
  }
  H.each_col() %= inv_scale_;
  H.each_row() %= inv_scale_.t();
}

void design::keep_implicit(const std::vector<arma::uword>& kept) {
  if (inv_scale_.is_empty()) return;
  const arma::uvec k = arma::conv_to<arma::uvec>::from(kept);
  center_ = arma::vec(center_.elem(k));
  inv_scale_ = arma::vec(inv_scale_.elem(k));
}

arma::vec standardized_scores(const design& X, const arma::vec& w, double b) {
  const design::prepared p = X.prepare(w.memptr());
  arma::vec z(X.n_obs());
  const arma::uword B = X.block_rows();
  for (arma::uword lo = 0; lo < X.n_obs(); lo += B) {
    const arma::uword len = std::min(B, X.n_obs() - lo);
    X.scores(lo, len, p.u.memptr(), b + p.shift, z.memptr() + lo);
  }
  return z;
}

std::string design::pack_rows(const arma::uvec&) const {
  throw std::logic_error("pack_rows: this kind of design is not split among MPI ranks");
}

std::unique_ptr<design> design::unpack_rows(const std::vector<std::string>&) const {
  throw std::logic_error("unpack_rows: this kind of design is not split among MPI ranks");
}

}  // namespace logreg
