#include "data/dense_design.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/blas.hpp"
#include "base/cache_memory.hpp"

namespace logreg {

namespace {
// Observations per block: the block (d x B doubles) stays in a 256 KiB cache while its scores and
// residuals are computed and it is read a second time for the gradient.
arma::uword cache_block(arma::uword d) { return std::max<arma::uword>(64, (256 * 1024 / 8) / std::max<arma::uword>(d, 1)); }
}  // namespace

dense_design::dense_design(arma::mat X) : design(X.n_rows, X.n_cols), owned_(std::move(X)), data_(owned_.memptr()) {}

dense_design::dense_design(const double* data, arma::uword d, arma::uword n)
    : design(d, n), data_(const_cast<double*>(data)) {}

arma::uword dense_design::block_rows() const { return cache_block(d_); }

void dense_design::scores(arma::uword lo, arma::uword len, const double* u, double offset, double* z) const {
  detail::prefetch_read(column(lo), len * d_ * sizeof(double));
  const int d = static_cast<int>(d_);
  blas::gemv(true, d, static_cast<int>(len), 1.0, column(lo), d, u, 0.0, z);
  for (arma::uword i = 0; i < len; ++i) z[i] += offset;  // not gemv's beta: it adds in pieces
}

void dense_design::add_gradient(arma::uword lo, arma::uword len, const double* r, double* g) const {
  detail::prefetch_read(column(lo), len * d_ * sizeof(double));
  const int d = static_cast<int>(d_);
  blas::gemv(false, d, static_cast<int>(len), 1.0, column(lo), d, r, 1.0, g);
}

void dense_design::scores(arma::uword lo, arma::uword len, const arma::mat& U, const arma::vec& offsets,
                          arma::mat& Z) const {
  detail::prefetch_read(column(lo), len * d_ * sizeof(double));
  const arma::mat Xb(data_ + lo * d_, d_, len, false, true);
  Z = U.t() * Xb;
  Z.each_col() += offsets;
}

void dense_design::add_gradient(arma::uword lo, arma::uword len, const arma::mat& R, arma::mat& G) const {
  detail::prefetch_read(column(lo), len * d_ * sizeof(double));
  const arma::mat Xb(data_ + lo * d_, d_, len, false, true);
  G += Xb * R.t();
}

void dense_design::add_gram(arma::uword lo, arma::uword len, const double* v, double sign, arma::mat& H, double* xv,
                            gram_workspace& ws) const {
  detail::prefetch_read(column(lo), len * d_ * sizeof(double));
  // SYRK of the block scaled by sqrt(v) is compute-bound: large blocks (up to 8192 observations)
  // amortise its packing overhead.
  const arma::uword B =
      std::max<arma::uword>(cache_block(d_), std::min<arma::uword>(8192, (64u << 20) / 8 / std::max<arma::uword>(d_, 1)));
  const int d = static_cast<int>(d_);
  const arma::uword cols = std::min(B, len);
  if (ws.block.n_rows != d_ || ws.block.n_cols < cols) {
    const detail::ordinary_memory scratch;  // rewritten on every pass: not in the cache
    ws.block.set_size(d_, cols);
  }
  for (arma::uword start = lo, hi = lo + len; start < hi; start += B) {
    const arma::uword m = std::min(B, hi - start);
    const double* Xb = column(start);
    for (arma::uword i = 0; i < m; ++i) {
      const double sq = std::sqrt(v[start - lo + i]);
      const double* x = Xb + i * d_;
      double* w = ws.block.colptr(i);
      for (arma::uword j = 0; j < d_; ++j) w[j] = x[j] * sq;
    }
    blas::syrk_lower_add(d, static_cast<int>(m), sign, ws.block.memptr(), d, H.memptr(), static_cast<int>(H.n_rows));
    if (xv) blas::gemv(false, d, static_cast<int>(m), sign, Xb, d, v + (start - lo), 1.0, xv);
  }
}

void dense_design::exact_scores(arma::uword lo, arma::uword len, const double* w, double b, double* z) const {
  detail::prefetch_read(column(lo), len * d_ * sizeof(double));
  for (arma::uword i = 0; i < len; ++i) {
    const double* x = column(lo + i);
    double s = b;
    for (arma::uword j = 0; j < d_; ++j) s += w[j] * x[j];
    z[i] = s;
  }
}

void dense_design::copy(arma::uword lo, arma::uword len, double* out) const {
  detail::prefetch_read(column(lo), len * d_ * sizeof(double));
  if (len > 0) std::memcpy(out, column(lo), sizeof(double) * d_ * len);
}

// Of the whole fit (total_obs()): the decisions taken from these (hessian_cost, the collinearity
// check) must be the same on every rank of a split fit.
double dense_design::pass_work() const { return static_cast<double>(d_ + 1) * static_cast<double>(total_obs()); }

double dense_design::gram_work() const {
  return static_cast<double>(d_ * d_ / 8 + d_ + 1) * static_cast<double>(total_obs());
}

void dense_design::standardize(bool center, std::vector<double>& mean, std::vector<double>& scale) {
  standardize_block(data_, d_, n_, center, mean, scale, shard_.active ? shard_.total : 0);
}

void standardize_block(double* data, arma::uword d, arma::uword n, bool center, std::vector<double>& mean,
                       std::vector<double>& scale, arma::uword split_total) {
  // Split among ranks (split_total: the rows of all of them), each sum runs on in rank order
  // (communicator.hpp): the one-process sums, bit for bit.
  const bool split = split_total > 0;
  // Out of core, each sweep maps the pages of the next rows in one call (cache_memory.hpp).
  const arma::uword ahead_rows = std::max<arma::uword>(1, (4u << 20) / 8 / std::max<arma::uword>(d, 1));
  // One pass: each column's sum, its largest magnitude, its least and its greatest value.
  std::vector<double> sum(d, 0.0), amax(d, 0.0), lo(d, INFINITY), hi(d, -INFINITY);
  detail::in_rank_order(split, {{sum.data(), d}, {amax.data(), d}, {lo.data(), d}, {hi.data(), d}}, [&] {
    for (arma::uword i = 0; i < n; ++i) {
      if (i % ahead_rows == 0) detail::prefetch_read(data + i * d, std::min(ahead_rows, n - i) * d * sizeof(double));
      const double* x = data + i * d;
      for (arma::uword j = 0; j < d; ++j) {
        sum[j] += x[j];
        amax[j] = std::max(amax[j], std::fabs(x[j]));
        lo[j] = std::min(lo[j], x[j]);
        hi[j] = std::max(hi[j], x[j]);
      }
    }
  });
  // The rest in units of s, a power of two near the column's largest magnitude (design.hpp): the
  // same bits as in the column's own units, at any magnitude. A sum that overflowed (values near
  // 1e308), or of values so small that it may have lost digits, is taken again, of x / s.
  const double N = static_cast<double>(split ? split_total : n);
  std::vector<double> s(d), inv_s(d), mu(d);
  std::vector<char> again(d, 0);
  bool any_again = false;
  for (arma::uword j = 0; j < d; ++j) {
    s[j] = magnitude_scale(amax[j]);
    inv_s[j] = 1.0 / s[j];
    again[j] = !std::isfinite(sum[j]) || std::ilogb(s[j]) < -900;
    any_again = any_again || again[j];
    mu[j] = sum[j] / N * inv_s[j];
  }
  if (any_again) {
    std::vector<double> scaled(d, 0.0);
    detail::in_rank_order(split, {{scaled.data(), d}}, [&] {
      for (arma::uword i = 0; i < n; ++i) {
        const double* x = data + i * d;
        for (arma::uword j = 0; j < d; ++j)
          if (again[j]) scaled[j] += x[j] * inv_s[j];
      }
    });
    for (arma::uword j = 0; j < d; ++j)
      if (again[j]) mu[j] = scaled[j] / N;
  }
  std::vector<double> ss(d, 0.0);
  detail::in_rank_order(split, {{ss.data(), d}}, [&] {
    for (arma::uword i = 0; i < n; ++i) {
      if (i % ahead_rows == 0) detail::prefetch_read(data + i * d, std::min(ahead_rows, n - i) * d * sizeof(double));
      const double* x = data + i * d;
      for (arma::uword j = 0; j < d; ++j) {
        const double c = x[j] * inv_s[j] - mu[j];
        ss[j] += c * c;
      }
    }
  });
  std::vector<double> centre(d), factor(d);
  mean.resize(d);
  scale.resize(d);
  for (arma::uword j = 0; j < d; ++j) {
    const column_standard c = standardize_column(s[j], mu[j], ss[j], N, center, lo[j] == hi[j]);
    mean[j] = c.mean;
    scale[j] = c.scale;
    centre[j] = c.center;
    factor[j] = c.factor;
  }
  for (arma::uword i = 0; i < n; ++i) {
    if (i % ahead_rows == 0) detail::prefetch_write(data + i * d, std::min(ahead_rows, n - i) * d * sizeof(double));
    double* x = data + i * d;
    for (arma::uword j = 0; j < d; ++j) x[j] = (x[j] * inv_s[j] - centre[j]) * factor[j];
  }
}

void dense_design::keep_terms(const std::vector<arma::uword>& kept) {
  // In place: the first kept.size() * n doubles become the smaller matrix (column-major). Forward
  // order is safe: every element is read before its position can be written.
  const arma::uword k = kept.size();
  double* base = data_;
  for (arma::uword i = 0; i < n_; ++i)
    for (arma::uword t = 0; t < k; ++t) base[i * k + t] = base[i * d_ + kept[t]];
  keep_implicit(kept);
  d_ = k;
}

std::unique_ptr<design> dense_design::subset(const arma::uvec& rows) const {
  return std::make_unique<dense_design>(arma::mat(matrix().cols(rows)));
}

std::string dense_design::pack_rows(const arma::uvec& rows) const {
  std::string out(rows.n_elem * d_ * sizeof(double), '\0');
  for (arma::uword k = 0; k < rows.n_elem; ++k)
    std::memcpy(out.data() + k * d_ * sizeof(double), column(rows[k]), d_ * sizeof(double));
  return out;
}

std::unique_ptr<design> dense_design::unpack_rows(const std::vector<std::string>& parts) const {
  std::size_t bytes = 0;
  for (const std::string& p : parts) bytes += p.size();
  arma::mat X(d_, d_ > 0 ? bytes / (d_ * sizeof(double)) : 0);
  std::size_t at = 0;
  for (const std::string& p : parts) {
    if (!p.empty()) std::memcpy(reinterpret_cast<char*>(X.memptr()) + at, p.data(), p.size());
    at += p.size();
  }
  return std::make_unique<dense_design>(std::move(X));
}

}  // namespace logreg
