#include "data/categorical_design.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/blas.hpp"
#include "base/cache_memory.hpp"
#include "data/dense_design.hpp"
#include "logreg/error.hpp"

namespace logreg {

categorical_design::categorical_design(arma::mat numeric, buffer<std::uint32_t> codes, std::vector<column> columns,
                                       arma::uword d)
    : design(d, numeric.n_cols), numeric_(std::move(numeric)), codes_(std::move(codes)), columns_(std::move(columns)) {
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].categorical) cat_.push_back(static_cast<std::uint32_t>(c));
    else num_term_.push_back(columns_[c].first_term);
  }
}

void categorical_design::ahead(arma::uword lo, arma::uword len) const {
  if (!num_term_.empty()) detail::prefetch_read(numeric_.colptr(lo), len * num_term_.size() * sizeof(double));
  if (!cat_.empty()) detail::prefetch_read(codes(lo), len * cat_.size() * sizeof(std::uint32_t));
}

// A block's numbers and level indices stay in a 256 KiB cache between scores and gradient.
arma::uword categorical_design::block_rows() const {
  const arma::uword bytes = 8 * num_term_.size() + 4 * cat_.size();
  return std::max<arma::uword>(64, (256 * 1024) / std::max<arma::uword>(bytes, 1));
}

void categorical_design::scores(arma::uword lo, arma::uword len, const double* u, double offset, double* z) const {
  ahead(lo, len);
  const arma::uword p = num_term_.size(), c = cat_.size();
  if (p > 0) {
    std::vector<double> un(p);
    for (arma::uword j = 0; j < p; ++j) un[j] = u[num_term_[j]];
    blas::gemv(true, static_cast<int>(p), static_cast<int>(len), 1.0, numeric_.colptr(lo), static_cast<int>(p),
               un.data(), 0.0, z);
  } else {
    std::fill(z, z + len, 0.0);
  }
  for (arma::uword i = 0; i < len; ++i) {
    const std::uint32_t* t = codes(lo + i);
    double s = z[i] + offset;
    for (arma::uword k = 0; k < c; ++k)
      if (t[k] != no_term) s += u[t[k]];
    z[i] = s;
  }
}

void categorical_design::add_gradient(arma::uword lo, arma::uword len, const double* r, double* g) const {
  ahead(lo, len);
  const arma::uword p = num_term_.size(), c = cat_.size();
  if (p > 0) {
    std::vector<double> gn(p, 0.0);
    blas::gemv(false, static_cast<int>(p), static_cast<int>(len), 1.0, numeric_.colptr(lo), static_cast<int>(p), r,
               0.0, gn.data());
    for (arma::uword j = 0; j < p; ++j) g[num_term_[j]] += gn[j];
  }
  for (arma::uword i = 0; i < len; ++i) {
    const std::uint32_t* t = codes(lo + i);
    for (arma::uword k = 0; k < c; ++k)
      if (t[k] != no_term) g[t[k]] += r[i];
  }
}

void categorical_design::scores(arma::uword lo, arma::uword len, const arma::mat& U, const arma::vec& offsets,
                                arma::mat& Z) const {
  ahead(lo, len);
  const arma::uword p = num_term_.size(), c = cat_.size(), K = U.n_cols;
  if (p > 0) {
    arma::mat Un(p, K);
    for (arma::uword j = 0; j < p; ++j) Un.row(j) = U.row(num_term_[j]);
    const arma::mat Nb(const_cast<double*>(numeric_.colptr(lo)), p, len, false, true);
    Z = Un.t() * Nb;
  } else {
    Z.zeros(K, len);
  }
  Z.each_col() += offsets;
  const arma::mat Ut = U.t();  // K x d: a level's K coefficients side by side
  for (arma::uword i = 0; i < len; ++i) {
    const std::uint32_t* t = codes(lo + i);
    double* z = Z.colptr(i);
    for (arma::uword k = 0; k < c; ++k)
      if (t[k] != no_term) {
        const double* u = Ut.colptr(t[k]);
        for (arma::uword a = 0; a < K; ++a) z[a] += u[a];
      }
  }
}

void categorical_design::add_gradient(arma::uword lo, arma::uword len, const arma::mat& R, arma::mat& G) const {
  ahead(lo, len);
  const arma::uword p = num_term_.size(), c = cat_.size(), K = R.n_rows;
  if (p > 0) {
    const arma::mat Nb(const_cast<double*>(numeric_.colptr(lo)), p, len, false, true);
    const arma::mat Gn = Nb * R.t();
    for (arma::uword j = 0; j < p; ++j) G.row(num_term_[j]) += Gn.row(j);
  }
  arma::mat Gt(K, d_, arma::fill::zeros);  // K x d: a level's K sums side by side
  for (arma::uword i = 0; i < len; ++i) {
    const std::uint32_t* t = codes(lo + i);
    const double* r = R.colptr(i);
    for (arma::uword k = 0; k < c; ++k)
      if (t[k] != no_term) {
        double* g = Gt.colptr(t[k]);
        for (arma::uword a = 0; a < K; ++a) g[a] += r[a];
      }
  }
  G += Gt.t();
}

void categorical_design::add_gram(arma::uword lo, arma::uword len, const double* v, double sign, arma::mat& H,
                                  double* xv, gram_workspace& ws) const {
  ahead(lo, len);
  const arma::uword p = num_term_.size(), c = cat_.size(), ld = H.n_rows;
  double* h = H.memptr();
  // Scratch: the numeric block's p x p Gram, its X v (p), and the numeric x level cross sums, p per
  // term (numeric j and level t at cross[t * p + j]: a level's p sums side by side).
  ws.values.assign(p * p + p + (p > 0 ? p * d_ : 0), 0.0);
  double* Hnn = ws.values.data();
  double* xn = Hnn + p * p;
  double* cross = xn + p;
  if (p > 0) {
    // Numeric x numeric: SYRK of the block scaled by sqrt(v).
    if (ws.block.n_rows != p || ws.block.n_cols < len) {
      const detail::ordinary_memory scratch;  // rewritten on every pass: not in the cache
      ws.block.set_size(p, len);
    }
    for (arma::uword i = 0; i < len; ++i) {
      const double sq = std::sqrt(v[i]);
      const double* x = numeric_.colptr(lo + i);
      double* w = ws.block.colptr(i);
      for (arma::uword j = 0; j < p; ++j) w[j] = x[j] * sq;
    }
    blas::syrk_lower_add(static_cast<int>(p), static_cast<int>(len), sign, ws.block.memptr(), static_cast<int>(p), Hnn,
                         static_cast<int>(p));
    if (xv) blas::gemv(false, static_cast<int>(p), static_cast<int>(len), sign, numeric_.colptr(lo), static_cast<int>(p), v,
                       0.0, xn);
  }
  for (arma::uword i = 0; i < len; ++i) {
    const double vi = sign * v[i];
    const std::uint32_t* t = codes(lo + i);
    const double* x = p > 0 ? numeric_.colptr(lo + i) : nullptr;
    for (arma::uword k = 0; k < c; ++k) {
      const std::uint32_t tk = t[k];
      if (tk == no_term) continue;
      if (xv) xv[tk] += vi;
      double* column = h + static_cast<std::size_t>(tk) * ld;
      column[tk] += vi;
      // Levels of the later categorical columns: their terms come after tk's (the lower triangle).
      for (arma::uword l = k + 1; l < c; ++l)
        if (t[l] != no_term) column[t[l]] += vi;
      double* cr = cross + static_cast<std::size_t>(tk) * p;
      for (arma::uword j = 0; j < p; ++j) cr[j] += vi * x[j];
    }
  }
  if (p == 0) return;
  // The numeric sums to their terms' places (the lower triangle: row >= column).
  auto at = [&](std::uint32_t a, std::uint32_t b) -> double& {
    return a > b ? h[static_cast<std::size_t>(b) * ld + a] : h[static_cast<std::size_t>(a) * ld + b];
  };
  for (arma::uword b = 0; b < p; ++b)
    for (arma::uword a = b; a < p; ++a) at(num_term_[a], num_term_[b]) += Hnn[b * p + a];
  if (xv)
    for (arma::uword j = 0; j < p; ++j) xv[num_term_[j]] += xn[j];
  for (const column& col : columns_) {
    if (!col.categorical) continue;
    for (std::uint32_t t = col.first_term; t < col.first_term + col.terms; ++t)
      for (arma::uword j = 0; j < p; ++j) at(t, num_term_[j]) += cross[static_cast<std::size_t>(t) * p + j];
  }
}

void categorical_design::exact_scores(arma::uword lo, arma::uword len, const double* w, double b, double* z) const {
  ahead(lo, len);
  for (arma::uword i = 0; i < len; ++i) {
    const std::uint32_t* t = codes(lo + i);
    const double* x = num_term_.empty() ? nullptr : numeric_.colptr(lo + i);
    double s = b;
    arma::uword j = 0, k = 0;
    for (const column& col : columns_) {  // in term order: the dense row's sum, without its zeros
      if (!col.categorical) {
        s += w[num_term_[j]] * x[j];
        ++j;
      } else {
        if (t[k] != no_term) s += w[t[k]];
        ++k;
      }
    }
    z[i] = s;
  }
}

void categorical_design::copy(arma::uword lo, arma::uword len, double* out) const {
  ahead(lo, len);
  std::fill(out, out + d_ * len, 0.0);
  const arma::uword p = num_term_.size(), c = cat_.size();
  for (arma::uword i = 0; i < len; ++i) {
    double* o = out + i * d_;
    const double* x = p > 0 ? numeric_.colptr(lo + i) : nullptr;
    for (arma::uword j = 0; j < p; ++j) o[num_term_[j]] = x[j];
    const std::uint32_t* t = codes(lo + i);
    for (arma::uword k = 0; k < c; ++k)
      if (t[k] != no_term) o[t[k]] = 1.0;
    if (!inv_scale_.is_empty())
      for (arma::uword j = 0; j < d_; ++j) o[j] = (o[j] - center_[j]) * inv_scale_[j];
  }
}

// Fewer chunks when the terms are many next to the values per observation: the partial d x d sums
// (one per chunk) stay below an eighth of the data's values. Fixed by the data alone.
detail::chunking categorical_design::gram_chunks() const {
  detail::chunking ch = chunks();
  // At least 4M doubles (32 MB) of partial sums are always fine.
  const double budget = std::max(
      4194304.0, static_cast<double>(total_obs()) * static_cast<double>(num_term_.size() + cat_.size() + 1) / 8);
  const double dd = std::max(1.0, static_cast<double>(d_) * static_cast<double>(d_));
  const arma::uword count = std::max<arma::uword>(1, std::min<arma::uword>(ch.count, static_cast<arma::uword>(budget / dd)));
  if (count == ch.count) return ch;
  // Split among MPI ranks, each rank holds whole chunks of chunks(); fewer, longer chunks would
  // cross the ranks' boundaries.
  if (ch.distributed)
    throw data_error("the " + std::to_string(d_) + " terms are too many for a fit split among MPI ranks on " +
                     std::to_string(total_obs()) + " rows (the partial Hessians of " + std::to_string(ch.count) +
                     " chunks would outweigh the data): run it on one process, without mpirun");
  ch.count = count;
  return ch;
}

// Of the whole fit (total_obs()), as dense_design's: the same decisions on every rank.
double categorical_design::pass_work() const {
  return static_cast<double>(num_term_.size() + cat_.size() + 1) * static_cast<double>(total_obs());
}

double categorical_design::gram_work() const {
  const double p = static_cast<double>(num_term_.size()), c = static_cast<double>(cat_.size());
  return (p * p / 8 + p * c + c * c / 2 + 1) * static_cast<double>(total_obs());
}

void categorical_design::standardize(bool center, std::vector<double>& mean, std::vector<double>& scale) {
  const arma::uword p = num_term_.size(), c = cat_.size();
  const double n = static_cast<double>(total_obs());  // all ranks' rows when split among MPI ranks
  mean.assign(d_, 0.0);
  scale.assign(d_, 1.0);
  center_.zeros(d_);
  inv_scale_.ones(d_);
  // The numeric block in place, as a dense design.
  if (p > 0) {
    std::vector<double> mu, sd;
    standardize_block(numeric_.memptr(), p, n_, center, mu, sd, shard_.active ? shard_.total : 0);
    for (arma::uword j = 0; j < p; ++j) {
      mean[num_term_[j]] = mu[j];
      scale[num_term_[j]] = sd[j];
    }
  }
  // Indicators: the share of each level, sd sqrt(share (1 - share)); applied in the products.
  std::vector<double> count(d_, 0.0);
  detail::in_rank_order(shard_.active, {{count.data(), d_}}, [&] {
    for (arma::uword i = 0; i < n_; ++i) {
      const std::uint32_t* t = codes(i);
      for (arma::uword k = 0; k < c; ++k)
        if (t[k] != no_term) count[t[k]] += 1;
    }
  });
  for (const column& col : columns_) {
    if (!col.categorical) continue;
    for (std::uint32_t t = col.first_term; t < col.first_term + col.terms; ++t) {
      const double m = count[t] / n;
      const column_standard s = standardize_column(1.0, m, count[t] * (1 - m) * (1 - m) + (n - count[t]) * m * m, n, center,
                                                   count[t] == 0 || count[t] == n);
      mean[t] = s.mean;
      scale[t] = s.scale;
      center_[t] = s.center;
      inv_scale_[t] = s.factor;
    }
  }
}

void categorical_design::keep_terms(const std::vector<arma::uword>& kept) {
  std::vector<std::uint32_t> to(d_, no_term);
  for (std::size_t t = 0; t < kept.size(); ++t) to[kept[t]] = static_cast<std::uint32_t>(t);
  // Numeric columns whose term goes leave the block (rows compacted in place) and the column list.
  const arma::uword p = num_term_.size();
  std::vector<arma::uword> rows;
  for (arma::uword j = 0; j < p; ++j)
    if (to[num_term_[j]] != no_term) rows.push_back(j);
  if (rows.size() < p) numeric_ = arma::mat(numeric_.rows(arma::conv_to<arma::uvec>::from(rows)));
  for (std::uint32_t& t : codes_)
    if (t != no_term) t = to[t];
  std::vector<column> columns;
  for (const column& col : columns_) {
    column c = col;
    if (!col.categorical) {
      if (to[col.first_term] == no_term) continue;
      c.first_term = to[col.first_term];
    } else {
      std::uint32_t first = no_term, count = 0;
      for (std::uint32_t t = col.first_term; t < col.first_term + col.terms; ++t)
        if (to[t] != no_term) {
          first = std::min(first, to[t]);
          ++count;
        }
      c.first_term = first == no_term ? 0 : first;
      c.terms = count;
    }
    columns.push_back(c);
  }
  columns_ = std::move(columns);
  num_term_.clear();
  cat_.clear();
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].categorical) cat_.push_back(static_cast<std::uint32_t>(c));
    else num_term_.push_back(columns_[c].first_term);
  }
  keep_implicit(kept);
  d_ = kept.size();
}

// A row: its p numeric values (standardised), then its c codes.
std::string categorical_design::pack_rows(const arma::uvec& rows) const {
  const arma::uword p = numeric_.n_rows, c = cat_.size();
  const std::size_t row_bytes = p * sizeof(double) + c * sizeof(std::uint32_t);
  std::string out(rows.n_elem * row_bytes, '\0');
  for (arma::uword k = 0; k < rows.n_elem; ++k) {
    char* o = out.data() + k * row_bytes;
    if (p > 0) std::memcpy(o, numeric_.colptr(rows[k]), p * sizeof(double));
    if (c > 0) std::memcpy(o + p * sizeof(double), codes(rows[k]), c * sizeof(std::uint32_t));
  }
  return out;
}

std::unique_ptr<design> categorical_design::unpack_rows(const std::vector<std::string>& parts) const {
  const arma::uword p = numeric_.n_rows, c = cat_.size();
  const std::size_t row_bytes = p * sizeof(double) + c * sizeof(std::uint32_t);
  std::size_t m = 0;
  for (const std::string& part : parts) m += part.size() / row_bytes;
  arma::mat numeric(p, m);
  buffer<std::uint32_t> codes(m * c);
  arma::uword i = 0;
  for (const std::string& part : parts)
    for (std::size_t at = 0; at < part.size(); at += row_bytes, ++i) {
      if (p > 0) std::memcpy(numeric.colptr(i), part.data() + at, p * sizeof(double));
      if (c > 0) std::memcpy(codes.data() + i * c, part.data() + at + p * sizeof(double), c * sizeof(std::uint32_t));
    }
  auto out = std::make_unique<categorical_design>(std::move(numeric), std::move(codes), columns_, d_);
  out->n_ = m;
  out->center_ = center_;
  out->inv_scale_ = inv_scale_;
  return out;
}

std::unique_ptr<design> categorical_design::subset(const arma::uvec& rows) const {
  const arma::uword c = cat_.size();
  buffer<std::uint32_t> codes;
  codes.reserve(rows.n_elem * c);
  for (arma::uword r : rows) codes.insert(codes.end(), codes_.begin() + r * c, codes_.begin() + (r + 1) * c);
  auto out = std::make_unique<categorical_design>(arma::mat(numeric_.cols(rows)), std::move(codes), columns_, d_);
  out->n_ = rows.n_elem;
  out->center_ = center_;
  out->inv_scale_ = inv_scale_;
  return out;
}

}  // namespace logreg
