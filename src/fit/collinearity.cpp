#include "fit/collinearity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/blas.hpp"
#include "data/dense_design.hpp"

extern "C" void dgeqrf_(const int* m, const int* n, double* a, const int* lda, double* tau, double* work,
                        const int* lwork, int* info);

namespace logreg {

namespace {

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// "'x3' = 2*'x1' - 'x2' + 0.5"
std::string relation_text(const std::string& lhs, const std::vector<std::pair<double, std::string>>& terms,
                          double constant) {
  std::string out = "'" + lhs + "' =";
  bool first = true;
  for (const auto& [a, name] : terms) {
    const double m = std::fabs(a);
    out += a < 0 ? (first ? " -" : " - ") : (first ? " " : " + ");
    if (number(m) != "1") out += number(m) + "*";
    out += "'" + name + "'";
    first = false;
  }
  if (constant != 0 || first) out += (constant < 0 ? (first ? " -" : " - ") : (first ? " " : " + ")) + number(std::fabs(constant));
  return out;
}

}  // namespace

collinearity_result find_aliased_columns(const arma::mat& X, bool intercept, const std::vector<std::string>& names,
                                         const std::vector<double>& mean, const std::vector<double>& scale,
                                         double tolerance) {
  return find_aliased_columns(dense_design(X.memptr(), X.n_rows, X.n_cols), intercept, names, mean, scale, tolerance);
}

collinearity_result find_aliased_columns(const design& X, bool intercept, const std::vector<std::string>& names,
                                         const std::vector<double>& mean, const std::vector<double>& scale,
                                         double tolerance) {
  // n: of the whole fit (all ranks' rows when it is split among them)
  const arma::uword d = X.n_terms(), n = X.total_obs();
  collinearity_result out;
  if (d == 0 || n == 0) return out;
  auto m_of = [&](arma::uword j) { return mean.empty() ? 0.0 : mean[j]; };
  auto s_of = [&](arma::uword j) { return scale.empty() ? 1.0 : scale[j]; };

  // Screen (the usual case, one Gram pass): the Gram matrix of the columns (centred with an
  // intercept, which projects the intercept out exactly), each scaled by its raw norm in the file's
  // units -- the yardstick of "exactly collinear", as R's QR of the raw model matrix [1 X] measures
  // it, whatever the scaling. Its Cholesky pivots are the squared shares of each column left after
  // the intercept and the columns before it. Rounding in the Gram matrix is far below 1e-6, so when
  // every pivot is above that, no column is even close to dependent.
  const arma::vec ones(X.n_obs(), arma::fill::ones);
  arma::mat G(d, d, arma::fill::zeros);
  arma::vec sums(d, arma::fill::zeros);
  {
    const detail::chunking ch = X.gram_chunks();
    gram_workspace ws;
    detail::sum_in_chunk_order(ch, {{G.memptr(), G.n_elem}, {sums.memptr(), d}}, [&](arma::uword t) {
      X.add_gram(ch.begin(t), ch.begin(t + 1) - ch.begin(t), ones.memptr() + ch.begin(t), 1.0, G, sums.memptr(), ws);
    });
    X.finish_gram(G, sums, static_cast<double>(n));
    G = arma::symmatl(G);
  }
  arma::vec mu(d, arma::fill::zeros);
  if (intercept) {
    mu = sums / static_cast<double>(n);
    G -= static_cast<double>(n) * (mu * mu.t());
  }
  auto shift_of = [&](arma::uword j) { return intercept ? mu(j) + m_of(j) / s_of(j) : 0.0; };
  // The raw norm sqrt(c2 + n shift^2) of a column whose centred part has squared norm c2: a constant
  // column's shift is its value (scale 1), which may be 1e200 or 1e-200, so its square is not formed
  // when it would overflow or underflow.
  auto raw_norm = [&](double c2, double shift) {
    const double a = static_cast<double>(n) * shift * shift;
    if (std::isfinite(a) && (shift == 0 || a >= 1e-290)) return std::sqrt(c2 + a);
    return std::hypot(std::sqrt(std::max(c2, 0.0)), std::sqrt(static_cast<double>(n)) * std::fabs(shift));
  };
  {
    arma::vec inv_ref(d);
    bool ok = true;
    for (arma::uword j = 0; j < d && ok; ++j) {
      const double r = raw_norm(G(j, j), shift_of(j));
      ok = r > 0 && std::isfinite(r);
      inv_ref(j) = ok ? 1.0 / r : 0.0;
    }
    arma::mat L;
    if (ok) ok = arma::chol(L, arma::mat(G % (inv_ref * inv_ref.t())));
    for (arma::uword j = 0; j < d && ok; ++j) ok = L(j, j) * L(j, j) > 1e-6;
    if (ok) {
      for (arma::uword j = 0; j < d; ++j) out.kept.push_back(j);
      return out;
    }
  }

  // Precise path: R of the QR decomposition of the n x d matrix A = X' - mu', by blocks of rows
  // (TSQR: the QR of [R; next block] at each step), so that memory stays O(B d). Unlike the Gram
  // matrix A'A = R'R, R carries the residual norms to working precision.
  arma::mat R(d, d, arma::fill::zeros);
  {
    const arma::uword B = std::max<arma::uword>(4096, 4 * d);
    const int lda = static_cast<int>(d + B), cols = static_cast<int>(d);
    arma::mat S(d + B, d), block(d, B);
    arma::vec tau(d);
    int lwork = -1, info = 0;
    double query = 0;
    int rows = lda;
    dgeqrf_(&rows, &cols, S.memptr(), &lda, tau.memptr(), &query, &lwork, &info);
    lwork = std::max(1, static_cast<int>(query));
    std::vector<double> work(static_cast<std::size_t>(lwork));
    // Blocks within the fixed chunks, the chunks in order (in rank order when split among ranks,
    // R handed on): the same R for any number of ranks.
    const detail::chunking ch = X.chunks();
    detail::sum_in_chunk_order(ch, {{R.memptr(), R.n_elem}}, [&](arma::uword c) {
      for (arma::uword start = ch.begin(c), end = ch.begin(c + 1); start < end; start += B) {
        const arma::uword len = std::min(B, end - start);
        S.rows(0, d - 1) = R;
        X.copy(start, len, block.memptr());  // the standardised rows, dense
        for (arma::uword i = 0; i < len; ++i) {
          const double* x = block.colptr(i);
          for (arma::uword j = 0; j < d; ++j) S(d + i, j) = x[j] - mu[j];
        }
        rows = static_cast<int>(d + len);
        dgeqrf_(&rows, &cols, S.memptr(), &lda, tau.memptr(), work.data(), &lwork, &info);
        R = arma::trimatu(S.submat(0, 0, d - 1, d - 1));
      }
    });
  }

  arma::vec norm(d), ref(d);  // norm: of the centred column; ref: its raw norm, in X's units
  for (arma::uword j = 0; j < d; ++j) {
    norm(j) = arma::norm(R.col(j));
    ref(j) = raw_norm(norm(j) * norm(j), shift_of(j));
  }

  // Otherwise Gram-Schmidt (twice, for orthogonality) on the columns of R, which are the data's
  // columns in the coordinates of Q, skipping the dependent ones as R's dqrdc2 does.
  arma::mat basis(d, d);
  for (arma::uword j = 0; j < d; ++j) {
    const arma::uword K = out.kept.size();
    arma::vec v = R.col(j);
    for (int pass = 0; pass < 2; ++pass)
      for (arma::uword t = 0; t < K; ++t) v -= arma::dot(basis.col(t), v) * basis.col(t);
    const double residual = arma::norm(v);
    if (ref(j) > 0 && residual > tolerance * ref(j)) {
      basis.col(K) = v / residual;
      out.kept.push_back(j);
      continue;
    }
    aliased_column a;
    a.index = j;
    const double m = m_of(j), s = s_of(j);
    if (!(ref(j) > 0) || (!intercept && norm(j) <= tolerance * ref(j))) {
      a.relation = "column '" + names[j] + "' is 0 in every row";
    } else if (norm(j) <= tolerance * ref(j)) {
      a.relation = "column '" + names[j] + "' is constant (" + number(m + s * mu(j)) + "), so collinear with the intercept";
    } else {
      // x_j - mu_j = sum_k beta_k (x_k - mu_k) in X's units (least squares on R's columns), in the
      // file's units: x_j = c + sum_k a_k x_k.
      const arma::uvec Kidx = arma::conv_to<arma::uvec>::from(out.kept);
      arma::vec beta;
      if (!arma::solve(beta, arma::mat(R.cols(Kidx)), arma::vec(R.col(j)))) beta.zeros(K);
      std::vector<std::pair<double, std::string>> terms;
      double c = m + s * mu(j);
      for (arma::uword t = 0; t < K; ++t) {
        const arma::uword k = out.kept[t];
        const double a_k = beta(t) * s / s_of(k);
        c -= beta(t) * s * mu(k) + a_k * m_of(k);
        // a term contributing less than 1e-8 of the column's spread is rounding, not relation
        if (std::fabs(beta(t)) * norm(k) > 1e-8 * norm(j)) terms.push_back({a_k, names[k]});
      }
      if (std::fabs(c) <= 1e-9 * s * ref(j) / std::sqrt(static_cast<double>(n))) c = 0;
      a.relation = "column '" + names[j] + "' is an exact linear combination of other columns (" +
                   relation_text(names[j], terms, c) + ")";
    }
    out.aliased.push_back(std::move(a));
  }
  return out;
}

}  // namespace logreg
