#include "data/sparse_design.hpp"

#include "base/cache_memory.hpp"
#include "logreg/error.hpp"

#include <cstring>

#include <algorithm>
#include <cmath>
#include <limits>

namespace logreg {

sparse_design::sparse_design(csr_matrix X) : design(X.n_cols, X.n_rows), owned_(std::move(X)) { point_at_owned(); }

sparse_design::sparse_design(const std::size_t* row_ptr, const std::uint32_t* col, const double* val, arma::uword n,
                             arma::uword d)
    : design(d, n), row_ptr_(row_ptr), col_(col), val_(val) {}

void sparse_design::point_at_owned() {
  row_ptr_ = owned_.row_ptr.data();
  col_ = owned_.col.data();
  val_ = owned_.val.data();
}

// Rows of a few non-zeros each: a block is mostly a bookkeeping unit here.
arma::uword sparse_design::block_rows() const { return 4096; }

void sparse_design::ahead(arma::uword lo, arma::uword len) const {
  if (!detail::cache_memory_enabled()) return;
  detail::prefetch_read(row_ptr_ + lo, (len + 1) * sizeof(std::size_t));
  const std::size_t a = row_ptr_[lo], b = row_ptr_[lo + len];
  detail::prefetch_read(col_ + a, (b - a) * sizeof(std::uint32_t));
  detail::prefetch_read(val_ + a, (b - a) * sizeof(double));
}

void sparse_design::scores(arma::uword lo, arma::uword len, const double* u, double offset, double* z) const {
  ahead(lo, len);
  for (arma::uword i = 0; i < len; ++i) {
    double s = offset;
    for (std::size_t k = row_ptr_[lo + i]; k < row_ptr_[lo + i + 1]; ++k) s += val_[k] * u[col_[k]];
    z[i] = s;
  }
}

void sparse_design::add_gradient(arma::uword lo, arma::uword len, const double* r, double* g) const {
  ahead(lo, len);
  for (arma::uword i = 0; i < len; ++i) {
    const double ri = r[i];
    for (std::size_t k = row_ptr_[lo + i]; k < row_ptr_[lo + i + 1]; ++k) g[col_[k]] += ri * val_[k];
  }
}

void sparse_design::scores(arma::uword lo, arma::uword len, const arma::mat& U, const arma::vec& offsets,
                           arma::mat& Z) const {
  ahead(lo, len);
  const arma::uword K = U.n_cols;
  Z.set_size(K, len);
  for (arma::uword i = 0; i < len; ++i) {
    double* z = Z.colptr(i);
    for (arma::uword k = 0; k < K; ++k) z[k] = offsets[k];
    for (std::size_t t = row_ptr_[lo + i]; t < row_ptr_[lo + i + 1]; ++t) {
      const double v = val_[t];
      const double* u = U.memptr() + col_[t];
      for (arma::uword k = 0; k < K; ++k) z[k] += v * u[k * d_];
    }
  }
}

void sparse_design::add_gradient(arma::uword lo, arma::uword len, const arma::mat& R, arma::mat& G) const {
  ahead(lo, len);
  const arma::uword K = R.n_rows;
  for (arma::uword i = 0; i < len; ++i) {
    const double* r = R.colptr(i);
    for (std::size_t t = row_ptr_[lo + i]; t < row_ptr_[lo + i + 1]; ++t) {
      const double v = val_[t];
      double* g = G.memptr() + col_[t];
      for (arma::uword k = 0; k < K; ++k) g[k * d_] += r[k] * v;
    }
  }
}

void sparse_design::add_gram(arma::uword lo, arma::uword len, const double* v, double sign, arma::mat& H, double* xv,
                             gram_workspace&) const {
  ahead(lo, len);
  // Per row, v_i x_i x_i' over its non-zeros (lower triangle: col[a] <= col[k] as they increase).
  for (arma::uword i = 0; i < len; ++i) {
    const double vi = sign * v[i];
    const std::size_t end = row_ptr_[lo + i + 1];
    for (std::size_t a = row_ptr_[lo + i]; a < end; ++a) {
      const double va = vi * val_[a];
      double* Hcol = H.colptr(col_[a]);  // column col[a], rows col[k] >= col[a]
      for (std::size_t k = a; k < end; ++k) Hcol[col_[k]] += va * val_[k];
      if (xv) xv[col_[a]] += va;
    }
  }
}

void sparse_design::exact_scores(arma::uword lo, arma::uword len, const double* w, double b, double* z) const {
  ahead(lo, len);
  for (arma::uword i = 0; i < len; ++i) {
    double s = b;
    for (std::size_t k = row_ptr_[lo + i]; k < row_ptr_[lo + i + 1] && col_[k] < d_; ++k) s += w[col_[k]] * val_[k];
    z[i] = s;
  }
}

void sparse_design::copy(arma::uword lo, arma::uword len, double* out) const {
  ahead(lo, len);
  std::fill(out, out + d_ * len, 0.0);
  for (arma::uword i = 0; i < len; ++i)
    for (std::size_t k = row_ptr_[lo + i]; k < row_ptr_[lo + i + 1]; ++k) out[i * d_ + col_[k]] = val_[k];
  if (inv_scale_.is_empty()) return;
  for (arma::uword i = 0; i < len; ++i)
    for (arma::uword j = 0; j < d_; ++j) out[i * d_ + j] = (out[i * d_ + j] - center_[j]) * inv_scale_[j];
}

// The fixed chunks of the dense passes (by n alone), but at most nnz / (2 d), so that the chunks'
// partial gradients (d doubles each) stay below the data's size.
detail::chunking sparse_design::chunks_of(arma::uword n, std::size_t nnz, arma::uword d) {
  detail::chunking ch(n);
  const std::size_t cap = nnz / (2 * std::max<std::size_t>(d, 1));
  ch.count = std::max<arma::uword>(1, std::min<arma::uword>(ch.count, cap));
  return ch;
}

detail::chunking sparse_design::chunks() const {
  return placed(chunks_of(total_obs(), shard_.active ? total_nnz_ : nnz(), d_));
}

// Fewer when d is large: the partial Hessians (d^2 doubles each) stay within max(nnz, 4M) doubles.
detail::chunking sparse_design::gram_chunks() const {
  detail::chunking ch = chunks();
  const double dd = std::max(1.0, static_cast<double>(d_) * static_cast<double>(d_));
  const double nz = static_cast<double>(shard_.active ? total_nnz_ : nnz());
  const arma::uword count = std::max<arma::uword>(
      1, std::min<arma::uword>(ch.count, static_cast<arma::uword>(std::max<double>(nz, 4194304.0) / dd)));
  if (count == ch.count) return ch;
  // Split among MPI ranks, each rank holds whole chunks of chunks(); fewer, longer chunks would
  // cross the ranks' boundaries.
  if (ch.distributed)
    throw data_error("the " + std::to_string(d_) + " features are too many for a fit split among MPI ranks on " +
                     std::to_string(total_obs()) + " rows (the partial Hessians of " + std::to_string(ch.count) +
                     " chunks would outweigh the data): run it on one process, without mpirun");
  ch.count = count;
  return ch;
}

double sparse_design::pass_work() const { return static_cast<double>(nnz() + n_); }

double sparse_design::gram_work() const {
  if (gram_work_ < 0) {
    double work = 0;
    for (arma::uword i = 0; i < n_; ++i) {
      const double m = static_cast<double>(row_ptr_[i + 1] - row_ptr_[i]);
      work += m * m;
    }
    const_cast<sparse_design*>(this)->gram_work_ = work / 2 + static_cast<double>(n_);
  }
  return gram_work_;
}

void sparse_design::standardize(bool center, std::vector<double>& mean, std::vector<double>& scale) {
  const double n = static_cast<double>(total_obs());
  std::size_t first = row_ptr_[0], last = row_ptr_[n_];
  // Split among MPI ranks, every pass below runs on in rank order (communicator.hpp): the sums are
  // the one-process sums over the non-zeros in row order, bit for bit.
  const bool split = shard_.active;
  // Sums of x / s, s a power of two near the column's largest magnitude (design.hpp): the same bits
  // as sums of x, at any magnitude.
  std::vector<double> amax(d_, 0.0), lo(d_, std::numeric_limits<double>::infinity()), hi(d_, -lo[0]);
  detail::in_rank_order(split, {{amax.data(), d_}, {lo.data(), d_}, {hi.data(), d_}}, [&] {
    for (std::size_t k = first; k < last; ++k) {
      const std::uint32_t j = col_[k];
      amax[j] = std::max(amax[j], std::fabs(val_[k]));
      lo[j] = std::min(lo[j], val_[k]);
      hi[j] = std::max(hi[j], val_[k]);
    }
  });
  std::vector<double> s(d_), inv_s(d_);
  bool rescale = false;  // some column is so large or small that its products could overflow or underflow
  for (arma::uword j = 0; j < d_; ++j) {
    s[j] = magnitude_scale(amax[j]);
    inv_s[j] = 1.0 / s[j];
    rescale = rescale || std::abs(std::ilogb(s[j])) > 64;
  }
  std::vector<double> sum(d_, 0.0), ss(d_, 0.0), count(d_, 0.0), m(d_);
  detail::in_rank_order(split, {{sum.data(), d_}, {count.data(), d_}}, [&] {
    for (std::size_t k = first; k < last; ++k) {
      sum[col_[k]] += val_[k] * inv_s[col_[k]];
      count[col_[k]] += 1;
    }
  });
  for (arma::uword j = 0; j < d_; ++j) m[j] = sum[j] / n;
  // Two passes, as the dense standardisation: sum (x - mean)^2 over the non-zeros, plus the zeros.
  detail::in_rank_order(split, {{ss.data(), d_}}, [&] {
    for (std::size_t k = first; k < last; ++k) {
      const double c = val_[k] * inv_s[col_[k]] - m[col_[k]];
      ss[col_[k]] += c * c;
    }
  });
  mean.assign(d_, 0.0);
  scale.assign(d_, 1.0);
  center_.set_size(d_);
  inv_scale_.set_size(d_);
  std::vector<column_standard> cs(d_);
  for (arma::uword j = 0; j < d_; ++j) {
    // Every value the same: the non-zeros are (and no zero besides them, or none at all).
    const bool equal = count[j] == 0 || (lo[j] == hi[j] && count[j] == n);
    cs[j] = standardize_column(s[j], m[j], ss[j] + (n - count[j]) * m[j] * m[j], n, center, equal);
    mean[j] = cs[j].mean;
    scale[j] = cs[j].scale;
    // In the stored units: centre m, factor 1 / scale (0 for a constant centred column).
    center_[j] = cs[j].mean;
    inv_scale_[j] = cs[j].factor * inv_s[j];
  }
  if (!rescale) return;
  // Columns of extreme magnitude are stored divided by s (exact), so that the products stay in
  // range; the transform is then the one of x / s.
  if (row_ptr_ != owned_.row_ptr.data()) {  // a view: own a copy first
    csr_matrix c;
    c.n_rows = n_;
    c.n_cols = d_;
    c.row_ptr.assign(row_ptr_, row_ptr_ + n_ + 1);
    for (std::size_t& p : c.row_ptr) p -= first;
    c.col.assign(col_ + first, col_ + last);
    c.val.assign(val_ + first, val_ + last);
    owned_ = std::move(c);
    point_at_owned();
    first = 0;
    last = owned_.col.size();
  }
  std::vector<bool> scaled(d_);
  for (arma::uword j = 0; j < d_; ++j) {
    scaled[j] = std::abs(std::ilogb(s[j])) > 64;
    if (!scaled[j]) continue;
    center_[j] = cs[j].center;
    inv_scale_[j] = cs[j].factor;
  }
  for (std::size_t k = first; k < last; ++k)
    if (scaled[owned_.col[k]]) owned_.val[k] *= inv_s[owned_.col[k]];
}

void sparse_design::keep_terms(const std::vector<arma::uword>& kept) {
  // Renumber the kept columns and drop the others' non-zeros, in place.
  std::vector<std::uint32_t> to(d_, UINT32_MAX);
  for (std::size_t t = 0; t < kept.size(); ++t) to[kept[t]] = static_cast<std::uint32_t>(t);
  std::size_t out = 0;
  std::size_t begin = owned_.row_ptr[0];
  for (arma::uword i = 0; i < n_; ++i) {
    const std::size_t end = owned_.row_ptr[i + 1];
    for (std::size_t k = begin; k < end; ++k)
      if (to[owned_.col[k]] != UINT32_MAX) {
        owned_.col[out] = to[owned_.col[k]];
        owned_.val[out++] = owned_.val[k];
      }
    begin = end;
    owned_.row_ptr[i + 1] = out;
  }
  owned_.col.resize(out);
  owned_.val.resize(out);
  owned_.n_cols = kept.size();
  point_at_owned();
  keep_implicit(kept);
  d_ = kept.size();
  gram_work_ = -1;
}

std::unique_ptr<design> sparse_design::subset(const arma::uvec& rows) const {
  csr_matrix s;
  s.n_rows = rows.n_elem;
  s.n_cols = d_;
  s.row_ptr.reserve(rows.n_elem + 1);
  for (arma::uword r : rows) {
    s.col.insert(s.col.end(), col_ + row_ptr_[r], col_ + row_ptr_[r + 1]);
    s.val.insert(s.val.end(), val_ + row_ptr_[r], val_ + row_ptr_[r + 1]);
    s.row_ptr.push_back(s.col.size());
  }
  auto out = std::make_unique<sparse_design>(std::move(s));
  out->center_ = center_;
  out->inv_scale_ = inv_scale_;
  return out;
}

// Each row: its non-zero count (8 bytes), then its indices (4 bytes each) and values (8 each).
std::string sparse_design::pack_rows(const arma::uvec& rows) const {
  std::string out;
  for (arma::uword r : rows) {
    const std::uint64_t m = row_ptr_[r + 1] - row_ptr_[r];
    const std::size_t at = out.size();
    out.resize(at + 8 + m * 12);
    std::memcpy(out.data() + at, &m, 8);
    if (m == 0) continue;
    std::memcpy(out.data() + at + 8, col_ + row_ptr_[r], m * 4);
    std::memcpy(out.data() + at + 8 + m * 4, val_ + row_ptr_[r], m * 8);
  }
  return out;
}

std::unique_ptr<design> sparse_design::unpack_rows(const std::vector<std::string>& parts) const {
  csr_matrix s;
  s.n_cols = d_;
  for (const std::string& p : parts)
    for (std::size_t at = 0; at < p.size();) {
      std::uint64_t m = 0;
      std::memcpy(&m, p.data() + at, 8);
      const std::size_t k = s.col.size();
      s.col.resize(k + m);
      s.val.resize(k + m);
      if (m > 0) {
        std::memcpy(s.col.data() + k, p.data() + at + 8, m * 4);
        std::memcpy(s.val.data() + k, p.data() + at + 8 + m * 4, m * 8);
      }
      s.row_ptr.push_back(s.col.size());
      at += 8 + m * 12;
    }
  s.n_rows = s.row_ptr.size() - 1;
  auto out = std::make_unique<sparse_design>(std::move(s));
  out->center_ = center_;
  out->inv_scale_ = inv_scale_;
  return out;
}

}  // namespace logreg
