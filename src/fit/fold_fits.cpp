#include "fit/fold_fits.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>

#include "base/blas.hpp"
#include "base/chunking.hpp"
#include "base/numerics.hpp"
#include "base/parallel.hpp"
#include "data/design.hpp"
#include "fit/fit.hpp"
#include "fit/solve.hpp"
#include "optim/owlqn_solver.hpp"
#include "optim/prox_newton_solver.hpp"
#include "logreg/threads.hpp"

namespace logreg {

double& fold_fits_min_work() {
  static double least = 2e6;
  return least;
}

bool fold_fits_apply(const fit_settings& s, arma::uword K, bool dense, arma::uword d) {
  return K == 2 && dense && s.penalty != penalty_kind::none && s.standardize && s.fit_intercept &&
         (s.solver == solver_kind::newton || (s.solver == solver_kind::automatic && d + 1 <= 301)) && d > 0;
}

namespace {

constexpr arma::uword block_rows = 512;  // rows per matrix product: the block stays in cache

// The rows grouped by fold (input order within a fold), centred by the mean over every row, and
// cut into chunks that never cross a fold's boundary.
struct grouped_rows {
  std::unique_ptr<double[]> x;      // per block of rows, len x (d + 1) column-major (below)
  std::vector<double> y, c;         // 0/1 labels; weights (empty: 1)
  std::vector<arma::uword> begin;   // chunk c: rows [begin[c], begin[c + 1])
  std::vector<std::uint32_t> group; // chunk c's fold
};

// Runs fn(chunk) over every chunk on the available threads (contiguous runs of chunks); `work`
// (multiply-adds) decides how many are worth starting (detail::threads_for_work).
template <class Fn>
void over_chunks(const grouped_rows& R, double work, Fn&& fn) {
  const arma::uword count = R.group.size();
  const int T = std::max(1, std::min<int>(detail::threads_for_work(work), static_cast<int>(count)));
  run_parallel(T, [&](int t) {
    const arma::uword lo = count * static_cast<arma::uword>(t) / static_cast<arma::uword>(T);
    const arma::uword hi = count * static_cast<arma::uword>(t + 1) / static_cast<arma::uword>(T);
    for (arma::uword c = lo; c < hi; ++c) fn(c);
  });
}

// r[i] = c[i] (sigmoid(z[i]) - y[i]) for i < len (c null: 1), and with `loss`, loss[i] =
// c[i] log(1 + exp(-m)), m = +-z the margin: log(1 + exp(-|z|)) + max(z, 0) - y z.
// Vectorised (the file is compiled with -fno-trapping-math), eight lanes where the CPU has
// AVX-512, four with AVX2: the same arithmetic in each lane, so the same bits on every path (the
// file is compiled with -ffp-contract=off: AVX-512 brings FMA, which GCC would otherwise contract).
__attribute__((target_clones("avx512f", "avx2", "default"))) void residuals(const double* __restrict z,
                                                                            arma::uword len,
                                                                            const double* __restrict y,
                                                                            const double* __restrict c,
                                                                            double* __restrict r,
                                                                            double* __restrict loss) {
  if (loss) {
    for (arma::uword i = 0; i < len; ++i) {
      const double t = exp_nonpositive(-std::fabs(z[i]));
      const double num = z[i] >= 0 ? 1.0 : t;  // sigmoid(z) = num / (1 + t)
      r[i] = num / (1.0 + t) - y[i];
      loss[i] = log1p_unit(t) + (z[i] > 0 ? z[i] : 0.0) - y[i] * z[i];
    }
  } else {
    for (arma::uword i = 0; i < len; ++i) {
      const double t = exp_nonpositive(-std::fabs(z[i]));
      const double num = z[i] >= 0 ? 1.0 : t;
      r[i] = num / (1.0 + t) - y[i];
    }
  }
  if (c) {
    for (arma::uword i = 0; i < len; ++i) r[i] *= c[i];
    if (loss)
      for (arma::uword i = 0; i < len; ++i) loss[i] *= c[i];
  }
}

// p[i] = sigmoid(z[i]) for i < len, as residuals computes it.
__attribute__((target_clones("avx512f", "avx2", "default"))) void probabilities(const double* __restrict z,
                                                                                arma::uword len,
                                                                                double* __restrict p) {
  for (arma::uword i = 0; i < len; ++i) {
    const double t = exp_nonpositive(-std::fabs(z[i]));
    p[i] = (z[i] >= 0 ? 1.0 : t) / (1.0 + t);
  }
}

// BFGS's update of a Hessian estimate B (Nocedal & Wright (6.19)) with the step s and the change y
// of the gradient along it: B + y y' / y's - B s s' B / s'Bs, so that B s = y afterwards. Skipped
// when y's is not clearly positive (the loss is convex, so only rounding makes it so), which
// keeps B positive definite.
void bfgs_update(arma::mat& B, const arma::vec& s, const arma::vec& y) {
  const arma::vec Bs = B * s;
  const double ys = arma::dot(y, s), sBs = arma::dot(s, Bs);
  if (!(ys > 1e-10 * arma::norm(y) * arma::norm(s)) || !(sBs > 0)) return;
  B += y * (y.t() / ys) - Bs * (Bs.t() / sBs);
  B = 0.5 * (B + B.t());
}

// One fold's standardisation (as standardize_block on its training rows) in the centred units.
struct fold_scaling {
  arma::vec m;      // the training rows' mean of the centred data
  arma::vec inv_s;  // 1 / scale (0 for a constant column: its coefficient stays 0)
  std::vector<double> mean, scale;  // on the original scale, as train stores them
  double rows = 0, weight = 0, positive = 0;
};

}  // namespace

bool fold_fits(const arma::mat& X, const std::vector<std::uint32_t>& y, const arma::vec& weights,
               const std::vector<std::uint32_t>& fold, std::uint32_t F, const std::vector<double>& Cs,
               const fit_settings& s, std::vector<std::vector<fit_path::point>>& points,
               const std::function<void(std::size_t)>& on_value, const held_out_callback& on_held_out) {
  const bool held_out = static_cast<bool>(on_held_out);
  const arma::uword d = X.n_rows, n = X.n_cols;
  if (n == 0 || F < 2 || Cs.empty()) return false;

  // The rows by fold, centred by the mean over all rows (so that each fold's own centring is a
  // small correction and no digits are lost to a large mean).
  grouped_rows R;
  // Internally the folds are numbered by their first row (canon), so that the sums run in the
  // same order however they are labelled (--folds K, or a fold column naming the same parts).
  std::vector<std::uint32_t> canon(F, F), label(F);
  {
    std::uint32_t next = 0;
    for (arma::uword i = 0; i < n && next < F; ++i)
      if (fold[i] < F && canon[fold[i]] == F) {
        label[next] = fold[i];
        canon[fold[i]] = next++;
      }
    if (next != F) return false;  // a fold without rows
  }
  // The rows grouped by fold (canonical order), input order within each: one counting pass.
  std::vector<arma::uword> group_begin(F + 1, 0), order(n);
  for (arma::uword i = 0; i < n; ++i) ++group_begin[canon[fold[i]] + 1];
  for (std::uint32_t f = 0; f < F; ++f) group_begin[f + 1] += group_begin[f];
  {
    std::vector<arma::uword> next(group_begin.begin(), group_begin.end() - 1);
    for (arma::uword i = 0; i < n; ++i) order[next[canon[fold[i]]]++] = i;
  }
  arma::vec mu_all = arma::sum(X, 1);
  mu_all /= static_cast<double>(n);
  if (!mu_all.is_finite()) return false;
  // Rows per chunk: at least 1024 and 4 MB of data; and so many that the chunks' partial Hessians
  // ((d + 1)^2 doubles each) hold at most 16M doubles (128 MB) in all.
  const arma::uword e2 = (d + 1) * (d + 1);
  const arma::uword chunk = std::max({arma::uword{1024}, (arma::uword{1} << 19) / d, (n * e2 + (16u << 20) - 1) / (16u << 20)});
  for (std::uint32_t f = 0; f < F; ++f)
    for (arma::uword lo = group_begin[f]; lo < group_begin[f + 1]; lo += chunk) {
      R.begin.push_back(lo);
      R.group.push_back(f);
    }
  R.begin.push_back(n);
  const arma::uword chunks = R.group.size();
  // Each stored row: the centred values, then 1 (the intercept's column). A chunk's rows are
  // stored in blocks of block_rows (the last one shorter), each block len x e column-major, so that
  // the products of a pass read it without transposing.
  const arma::uword e = d + 1;
  // Not zeroed first: the pages are first touched by the copy, on its threads (zeroing 8 (d + 1) n
  // bytes on one thread, then the page faults, were 20 ms of the benchmark's run).
  R.x.reset(new double[n * e]);
  R.y.resize(n);
  if (!weights.is_empty()) R.c.resize(n);
  // Per chunk: sums and squared sums of the centred values, least and greatest raw values.
  std::vector<arma::vec> csum(chunks), csq(chunks), clo(chunks), chi(chunks);
  over_chunks(R, static_cast<double>(n * e) * 4, [&](arma::uword c) {
    csum[c].zeros(d);
    csq[c].zeros(d);
    clo[c].set_size(d);
    chi[c].set_size(d);
    clo[c].fill(INFINITY);
    chi[c].fill(-INFINITY);
    for (arma::uword r = R.begin[c]; r < R.begin[c + 1]; ++r) {
      const arma::uword i = order[r];
      const double* src = X.colptr(i);
      // Row r of its block, which is stored len x e, column by column.
      const arma::uword start = R.begin[c] + (r - R.begin[c]) / block_rows * block_rows;
      const arma::uword len = std::min(block_rows, R.begin[c + 1] - start);
      double* dst = R.x.get() + start * e + (r - start);
      dst[d * len] = 1.0;
      for (arma::uword j = 0; j < d; ++j) {
        const double v = src[j] - mu_all[j];
        dst[j * len] = v;
        csum[c][j] += v;
        csq[c][j] += v * v;
        clo[c][j] = std::min(clo[c][j], src[j]);
        chi[c][j] = std::max(chi[c][j], src[j]);
      }
      R.y[r] = y[i] == 1 ? 1.0 : 0.0;
      if (!weights.is_empty()) R.c[r] = weights[i];
    }
  });
  auto wt = [&](arma::uword r) { return R.c.empty() ? 1.0 : R.c[r]; };

  // Per fold of rows: the sums, in chunk order; per training part (all folds but f): the scaling.
  std::vector<arma::vec> gsum(F, arma::vec(d, arma::fill::zeros)), gsq(F, arma::vec(d, arma::fill::zeros)),
      glo(F, arma::vec(d, arma::fill::value(INFINITY))), ghi(F, arma::vec(d, arma::fill::value(-INFINITY)));
  std::vector<double> gw(F, 0.0), gpos(F, 0.0);
  for (arma::uword c = 0; c < chunks; ++c) {
    const std::uint32_t g = R.group[c];
    gsum[g] += csum[c];
    gsq[g] += csq[c];
    glo[g] = arma::min(glo[g], clo[c]);
    ghi[g] = arma::max(ghi[g], chi[c]);
    for (arma::uword r = R.begin[c]; r < R.begin[c + 1]; ++r) {
      gw[g] += wt(r);
      gpos[g] += wt(r) * R.y[r];
    }
  }
  std::vector<fold_scaling> sc(F);
  for (std::uint32_t f = 0; f < F; ++f) {
    fold_scaling& S = sc[f];
    arma::vec sum(d, arma::fill::zeros), sq(d, arma::fill::zeros), lo(d, arma::fill::value(INFINITY)),
        hi(d, arma::fill::value(-INFINITY));
    for (std::uint32_t g = 0; g < F; ++g) {
      if (g == f) continue;
      sum += gsum[g];
      sq += gsq[g];
      lo = arma::min(lo, glo[g]);
      hi = arma::max(hi, ghi[g]);
      S.rows += static_cast<double>(group_begin[g + 1] - group_begin[g]);
      S.weight += gw[g];
      S.positive += gpos[g];
    }
    if (!(S.positive > 0 && S.positive < S.weight)) return false;
    S.m = sum / S.rows;
    S.inv_s.zeros(d);
    S.mean.resize(d);
    S.scale.resize(d);
    for (arma::uword j = 0; j < d; ++j) {
      const double var = std::max(sq[j] / S.rows - S.m[j] * S.m[j], 0.0);
      const double raw_mean = mu_all[j] + S.m[j];
      if (!std::isfinite(var) || !std::isfinite(raw_mean)) return false;
      // train's rule for a constant column and its scale (standardize_block), in raw units
      const column_standard cs = standardize_column(1.0, raw_mean, var * S.rows, S.rows, true, lo[j] == hi[j]);
      S.mean[j] = cs.mean;
      S.scale[j] = cs.scale;
      S.inv_s[j] = cs.factor == 0 ? 0.0 : 1.0 / cs.scale;
    }
  }

  // Coefficients theta_f = (w, b) in fold f's standardised coordinates; on the centred data the
  // scores are x'u + o with u = w / scale, o = b - m'u.
  std::vector<arma::vec> theta(F);
  for (std::uint32_t f = 0; f < F; ++f) {
    theta[f].zeros(d + 1);
    theta[f][d] = std::log(sc[f].positive / (sc[f].weight - sc[f].positive));
  }
  auto raw_of = [&](std::uint32_t f, const arma::vec& th, double* u) {
    double o = th[d];
    for (arma::uword j = 0; j < d; ++j) {
      u[j] = th[j] * sc[f].inv_s[j];
      o -= sc[f].m[j] * u[j];
    }
    return o;
  };

  // One pass: the data part of the gradient (sum_i c_i (p_i - y_i) (x_i, 1) in fold f's
  // standardised coordinates) at at[f] for every fold in `which`. Per block of rows, the scores of
  // all those folds are one product (A x e times e x len), the residuals one loop, the gradients
  // one product; the rows' own fold gets residual 0.
  std::vector<arma::mat> cG(chunks);
  std::vector<arma::vec> cL(chunks);
  // Fold f's probabilities on its own rows: from the last pass that evaluated it (candidate), and at
  // theta[f] (accepted).
  std::vector<std::vector<double>> candidate(held_out ? F : 0), accepted(held_out ? F : 0);
  for (std::uint32_t f = 0; f < candidate.size(); ++f) {
    candidate[f].resize(group_begin[f + 1] - group_begin[f]);
    accepted[f].resize(candidate[f].size());
  }
  auto gradients = [&](const std::vector<std::uint32_t>& which, const std::vector<arma::vec>& at,
                       std::vector<arma::vec>& out, std::vector<double>* losses) {
    const arma::uword A = which.size();
    arma::mat U(e, A);  // column a: (u, o) of fold which[a]
    for (arma::uword a = 0; a < A; ++a) U(d, a) = raw_of(which[a], at[which[a]], U.colptr(a));
    std::vector<arma::uword> slot(F, A);  // fold f's column in U (A: not evaluated)
    for (arma::uword a = 0; a < A; ++a) slot[which[a]] = a;
    over_chunks(R, 2.0 * static_cast<double>(n * e * A), [&](arma::uword c) {
      const arma::uword own = slot[R.group[c]];
      arma::mat& G = cG[c];
      G.zeros(e, A);
      cL[c].zeros(A);
      arma::mat Zt, Res;
      std::vector<double> loss(losses ? block_rows : 0);
      for (arma::uword start = R.begin[c]; start < R.begin[c + 1]; start += block_rows) {
        const arma::uword len = std::min(block_rows, R.begin[c + 1] - start);
        const arma::mat Xb(R.x.get() + start * e, len, e, false, true);  // the block, len x e
        Zt = Xb * U;  // len x A: a fold's scores contiguous
        Res.set_size(len, A);
        for (arma::uword a = 0; a < A; ++a) {
          if (a == own) {
            Res.col(a).zeros();
            if (held_out) probabilities(Zt.colptr(a), len, candidate[R.group[c]].data() + (start - group_begin[R.group[c]]));
            continue;
          }
          residuals(Zt.colptr(a), len, R.y.data() + start, R.c.empty() ? nullptr : R.c.data() + start, Res.colptr(a),
                    losses ? loss.data() : nullptr);
          if (losses) {
            double sum = 0;
            for (arma::uword i = 0; i < len; ++i) sum += loss[i];
            cL[c][a] += sum;
          }
        }
        G += Xb.t() * Res;
      }
    });
    for (arma::uword a = 0; a < A; ++a) {
      const std::uint32_t f = which[a];
      arma::vec G(e, arma::fill::zeros);
      double loss = 0;
      for (arma::uword c = 0; c < chunks; ++c) {
        G += cG[c].col(a);
        loss += cL[c][a];
      }
      if (losses) (*losses)[f] = loss;
      const double Rs = G[d];
      arma::vec& v = out[f];
      v.set_size(d + 1);
      for (arma::uword j = 0; j < d; ++j) v[j] = sc[f].inv_s[j] * (G[j] - sc[f].m[j] * Rs);
      v[d] = Rs;
    }
  };

  // sum D (x, 1)(x, 1)' over fold f's training rows ([A v; v' h], lower triangle) in fold f's
  // coordinates: sum D (x - m)(x - m)' = A - v m' - m v' + h m m', scaled by 1 / scale on both sides.
  auto to_fold = [&](std::uint32_t f, arma::mat S, arma::mat& H) {
    S = arma::symmatl(S);
    const arma::mat A = S.submat(0, 0, d - 1, d - 1);
    const arma::vec v = S.submat(0, d, d - 1, d);
    const double h = S(d, d);
    const arma::vec& m = sc[f].m;
    const arma::mat Hc = A - v * m.t() - m * v.t() + h * (m * m.t());
    const arma::vec vc = v - h * m;
    H.set_size(d + 1, d + 1);
    H.submat(0, 0, d - 1, d - 1) = Hc % (sc[f].inv_s * sc[f].inv_s.t());
    H.submat(0, d, d - 1, d) = vc % sc[f].inv_s;
    H.submat(d, 0, d, d - 1) = H.submat(0, d, d - 1, d).t();
    H(d, d) = h;
  };
  // Per chunk: sum_i D_i (x_i, 1)(x_i, 1)' with D at the raw coefficients u (and offset u[d]),
  // over the chunks `use` allows.
  std::vector<arma::mat> cA(chunks);
  auto weighted_grams = [&](const arma::vec& u, const std::function<bool(arma::uword)>& use) {
    over_chunks(R, static_cast<double>(n * e2), [&](arma::uword c) {
      if (!use(c)) return;
      cA[c].zeros(e, e);
      arma::mat W(block_rows, e);
      arma::vec z, q(block_rows);
      for (arma::uword start = R.begin[c]; start < R.begin[c + 1]; start += block_rows) {
        const arma::uword len = std::min(block_rows, R.begin[c + 1] - start);
        const arma::mat Xb(R.x.get() + start * e, len, e, false, true);  // the block, len x e
        z = Xb * u;
        for (arma::uword i = 0; i < len; ++i) {
          const double p = sigmoid(z[i]);
          q[i] = std::sqrt(wt(start + i) * p * (1 - p));
        }
        for (arma::uword j = 0; j < e; ++j) {  // W = diag(q) X, len x e with leading dimension block_rows
          const double* x = Xb.colptr(j);
          double* w = W.colptr(j);
          for (arma::uword i = 0; i < len; ++i) w[i] = x[i] * q[i];
        }
        blas::syrk_lower_add_t(static_cast<int>(e), static_cast<int>(len), W.memptr(), static_cast<int>(block_rows),
                               cA[c].memptr(), static_cast<int>(e));
      }
    });
  };
  // One pass for every fold: per fold of rows g, S_g at the mean of the folds' raw coefficients;
  // fold f's data Hessian is the sum over g != f.
  std::vector<arma::mat> Hdata(F), B(F);
  auto hessians = [&]() {
    arma::vec u(e, arma::fill::zeros), uf(d);
    for (std::uint32_t f = 0; f < F; ++f) {
      u[d] += raw_of(f, theta[f], uf.memptr());
      u.head(d) += uf;
    }
    u /= F;
    weighted_grams(u, [](arma::uword) { return true; });
    std::vector<arma::mat> gA(F, arma::mat(e, e, arma::fill::zeros));
    for (arma::uword c = 0; c < chunks; ++c) gA[R.group[c]] += cA[c];
    for (std::uint32_t f = 0; f < F; ++f) {
      arma::mat S(e, e, arma::fill::zeros);
      for (std::uint32_t g = 0; g < F; ++g)
        if (g != f) S += gA[g];
      to_fold(f, S, Hdata[f]);
    }
  };
  // Fold f's own exact data Hessian at theta[f] (a pass over its training rows): for a fold the
  // shared matrix does not serve (far from the other folds' coefficients, or ill-conditioned).
  auto exact_hessian = [&](std::uint32_t f) {
    arma::vec u(e);
    u[d] = raw_of(f, theta[f], u.memptr());
    weighted_grams(u, [&](arma::uword c) { return R.group[c] != f; });
    arma::mat S(e, e, arma::fill::zeros);
    for (arma::uword c = 0; c < chunks; ++c)
      if (R.group[c] != f) S += cA[c];
    to_fold(f, S, B[f]);
  };

  // The penalty (make_problem, as fit_path): F = C' L + l2 |w|^2 / 2 + l1 |w|_1 with C' = C /
  // factor. Without an L1 part the step is Newton's with the Newton matrix C' B + l2 diag(1, .., 1,
  // 0) and is taken when it shrinks |gradient|_2; with one, it is the proximal Newton step
  // (prox_newton_direction on the same matrix) with prox_newton_solve's line search on F.
  fit_settings at = s;
  at.C = Cs[0];
  const bool lasso = make_problem(at, arma::vec()).terms.l1 > 0;
  std::vector<std::vector<fit_path::point>> result(F, std::vector<fit_path::point>(Cs.size()));
  std::vector<std::uint32_t> all(F);
  for (std::uint32_t f = 0; f < F; ++f) all[f] = f;
  std::vector<arma::vec> dg(F), trial(F), dg_trial(F), g(F), step(F);
  std::vector<double> loss(F, 0.0), loss_trial(F, 0.0), merit(F, 0.0), predicted(F, 0.0);
  std::vector<arma::mat> L(F);
  gradients(all, theta, dg, lasso ? &loss : nullptr);
  accepted.swap(candidate);
  hessians();
  // B[f], fold f's estimate of its data Hessian: the shared matrix (or its own exact one), corrected
  // by a BFGS update after every accepted step with the secant pair (the step, the change of the
  // exact data gradient, which does not depend on C: the pairs of one C serve the next).
  B = Hdata;
  bool fresh = true;  // no step taken since the shared Newton matrices' pass
  // Folds on their own exact Hessians (own), and whether it is at their current point (own_fresh);
  // how many times in a row a fold gained too little right after a shared refresh (stalls).
  std::vector<char> own(F, 0), own_fresh(F, 0);
  std::vector<int> stalls(F, 0);
  const int max_iter = std::max(1, s.max_iter);
  // A step "gains too little" when it shrinks the convergence measure by less than 1/ratio_cap:
  // 20x when a Hessian pass costs about two gradient passes (d + 1 = 51, 10 folds), less where it
  // costs more (a Hessian pass is (d + 1)^2 multiply-adds per row, a gradient pass 2 (d + 1) K).
  const double hessian_cost = static_cast<double>(e) / (2.0 * F);
  const double ratio_cap = std::min(0.5, 0.025 * std::max(2.0, hessian_cost));
  for (std::size_t k = 0; k < Cs.size(); ++k) {
    at.C = Cs[k];
    const problem pb = make_problem(at, arma::vec());
    const double C = pb.C, l2 = pb.terms.l2;
    arma::vec l1(d + 1, arma::fill::value(pb.terms.l1));
    l1[d] = 0;  // the intercept is not penalised
    // The smooth part's gradient C' data + l2 (w, 0), the convergence measure (the pseudo-gradient
    // with an L1 part), the objective F.
    auto smooth_gradient = [&](const arma::vec& data, const arma::vec& th) {
      arma::vec out = C * data;
      out.head(d) += l2 * th.head(d);
      return out;
    };
    auto measure = [&](const arma::vec& grad, const arma::vec& th) {
      return lasso ? arma::norm(owlqn_pseudo_gradient(th, grad, l1), "inf") : arma::norm(grad, "inf");
    };
    auto objective = [&](double data_loss, const arma::vec& th) {
      return C * data_loss + l2 * 0.5 * arma::dot(th.head(d), th.head(d)) + arma::dot(l1, arma::abs(th));
    };
    auto newton_matrix = [&](std::uint32_t f) {
      arma::mat M = C * B[f];
      for (arma::uword j = 0; j < d; ++j) M(j, j) += l2;
      return M;
    };
    std::vector<arma::mat> M(F);
    // The step from theta[f] (g[f] its smooth gradient); false when there is none to take.
    auto prepare = [&](std::uint32_t f) {
      if (!lasso) {
        const arma::vec u = arma::solve(arma::trimatl(L[f]), -g[f], arma::solve_opts::fast);
        step[f] = arma::solve(arma::trimatu(L[f].t()), u, arma::solve_opts::fast);
        return true;
      }
      prox_newton_direction(M[f], g[f], l1, theta[f], step[f]);
      double pred = 0;
      for (arma::uword j = 0; j <= d; ++j)
        pred += g[f][j] * step[f][j] + l1[j] * (std::fabs(theta[f][j] + step[f][j]) - std::fabs(theta[f][j]));
      predicted[f] = pred;
      return pred < 0;
    };
    auto renew = [&](std::uint32_t f) {  // the Newton matrix at this C, then the step
      if (lasso) {
        M[f] = newton_matrix(f);
        return prepare(f);
      }
      return arma::chol(L[f], newton_matrix(f), "lower") && prepare(f);
    };
    const double tol = s.tol;
    std::vector<char> done(F, 0);
    std::vector<int> iterations(F, 0);
    std::vector<double> t(F, 1.0), norm(F, 0.0);
    for (std::uint32_t f = 0; f < F; ++f) {
      g[f] = smooth_gradient(dg[f], theta[f]);
      norm[f] = measure(g[f], theta[f]);
      if (!std::isfinite(norm[f])) return false;
      if (norm[f] <= tol * C * sc[f].weight) {
        done[f] = 1;
        continue;
      }
      if (lasso) merit[f] = objective(loss[f], theta[f]);
      if (!renew(f)) return false;
    }
    for (;;) {
      std::vector<std::uint32_t> active;
      for (std::uint32_t f = 0; f < F; ++f)
        if (!done[f]) active.push_back(f);
      if (active.empty()) break;
      for (std::uint32_t f : active) trial[f] = theta[f] + t[f] * step[f];
      gradients(active, trial, dg_trial, lasso ? &loss_trial : nullptr);
      bool slow = false;  // a fold on the shared matrices gained too little
      const bool fresh_before = fresh;  // the shared matrices are at the point the steps start from
      for (std::uint32_t f : active) {
        bool slow_here = false;
        const arma::vec gt = smooth_gradient(dg_trial[f], trial[f]);
        const double after = measure(gt, trial[f]);
        if (!std::isfinite(after)) return false;
        const bool met = after <= tol * C * sc[f].weight;
        bool accept;
        double merit_trial = 0;
        if (!lasso) {
          accept = met || arma::norm(gt, 2) < arma::norm(g[f], 2);
        } else {  // prox_newton_solve's test: Armijo on F, or below F's rounding noise the measure
          merit_trial = objective(loss_trial[f], trial[f]);
          const double noise = 1e-12 * std::max(1.0, std::fabs(merit[f]));
          const double eps_f = 4 * std::numeric_limits<double>::epsilon() * std::fabs(merit[f]);
          accept = std::isfinite(merit_trial) &&
                   (merit_trial <= merit[f] + 1e-4 * t[f] * predicted[f] + eps_f ||
                    (t[f] == 1.0 && -predicted[f] <= noise && merit_trial <= merit[f] + noise && after < norm[f]));
        }
        if (accept) {
          slow_here = after > ratio_cap * norm[f];
          own_fresh[f] = 0;
          if (held_out) accepted[f].swap(candidate[f]);
          bfgs_update(B[f], trial[f] - theta[f], dg_trial[f] - dg[f]);
          theta[f] = trial[f];
          dg[f] = dg_trial[f];
          loss[f] = loss_trial[f];
          merit[f] = merit_trial;
          g[f] = gt;
          norm[f] = after;
          t[f] = 1.0;
          fresh = false;
          if (++iterations[f] > max_iter) return false;
          if (met) {
            done[f] = 1;
            continue;
          }
          if (!renew(f)) return false;
        } else {
          slow_here = true;
          t[f] *= 0.5;
          if (t[f] < 1e-6) return false;
        }
        if (!slow_here) {
          if (fresh_before) stalls[f] = 0;
          continue;
        }
        // Too little gained: the shared matrices are refreshed (below) unless they are fresh
        // already. A fold that gains too little right after two refreshes in a row (not a far
        // start, which the next refresh mends) goes on its own exact Hessian, refreshed as they are.
        if (!own[f] && (!fresh_before || ++stalls[f] < 2)) {
          slow = true;
          continue;
        }
        if (own[f] && own_fresh[f]) continue;  // its exact Hessian is at this point: halve on
        own[f] = 1;
        exact_hessian(f);
        own_fresh[f] = 1;
        t[f] = 1.0;
        if (!renew(f)) return false;
      }
      if (slow && !fresh) {
        hessians();
        fresh = true;
        for (std::uint32_t f = 0; f < F; ++f) {
          if (!own[f]) B[f] = Hdata[f];
          if (done[f] || own[f]) continue;
          t[f] = 1.0;
          if (!renew(f)) return false;
        }
      }
    }
    for (std::uint32_t f = 0; f < F; ++f) {
      fit_path::point& p = result[f][k];
      p.C = Cs[k];
      p.l1_ratio = s.l1_weight();
      p.report.status = "converged";
      p.report.solver = lasso ? "proxnewton" : "newton";
      p.report.iterations = iterations[f];
      p.report.gradient_norm = pb.factor * norm[f];
      p.report.tolerance = pb.factor * tol * C * sc[f].weight;
      to_original_scale(arma::mat(theta[f]), true, sc[f].mean, sc[f].scale, p.coefficients, p.intercepts);
      for (double w : p.coefficients[0]) p.nonzero += w != 0;
    }
    if (held_out) {  // scoring 10 folds of 10,000 rows was 5% of the benchmark's run, on one thread
      const int T = std::min<int>(detail::threads_for_work(static_cast<double>(n) * 16), static_cast<int>(F));
      run_parallel(T, [&](int t) {
        for (std::uint32_t f = static_cast<std::uint32_t>(t); f < F; f += static_cast<std::uint32_t>(T))
          on_held_out(label[f], k, accepted[f]);
      });
    }
    if (on_value) on_value(k + 1);
  }
  points.assign(F, {});
  for (std::uint32_t f = 0; f < F; ++f) points[label[f]] = std::move(result[f]);
  return true;
}

}  // namespace logreg
