#include "fit/cross_validation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <numeric>

#include "base/cache_memory.hpp"
#include "base/parallel.hpp"
#include "base/splitmix64.hpp"
#include "data/dense_design.hpp"
#include "fit/fold_fits.hpp"
#include "fit/path.hpp"
#include "logreg/error.hpp"
#include "logreg/metrics.hpp"
#include "logreg/multiclass_metrics.hpp"
#include "predict/scoring.hpp"

namespace logreg {

namespace {

using detail::splitmix64;

double metric_of(cv_metric m, const binary_metrics& b) {
  switch (m) {
    case cv_metric::log_loss: return b.log_loss;
    case cv_metric::roc_auc: return b.roc_auc;
    case cv_metric::accuracy: return b.accuracy;
    case cv_metric::brier: return b.brier;
    case cv_metric::f1: return b.f1;
    case cv_metric::average_precision: return b.average_precision;
  }
  return NAN;
}

double metric_of(cv_metric m, const multiclass_metrics& r) {
  switch (m) {
    case cv_metric::log_loss: return r.log_loss;
    case cv_metric::roc_auc: return r.roc_auc_ovr_macro;
    case cv_metric::accuracy: return r.accuracy;
    case cv_metric::f1: return r.macro_f1;
    default: return NAN;
  }
}

// The grid of one l1 ratio: the given values of C, sorted, or `count` values log-spaced from the
// data's boundary C (where an L1 part first lets a coefficient leave 0) up by 1e4 (1e2 when there
// are fewer observations than terms), as glmnet's default path spans lambda.
std::vector<double> grid_of(const cv_request& cv, double boundary, bool wide) {
  std::vector<double> C = cv.C_grid;
  if (C.empty()) {
    const double lo = std::log10(boundary), hi = lo + (wide ? 2.0 : 4.0);
    for (std::size_t k = 0; k < cv.C_count; ++k)
      C.push_back(std::pow(10.0, cv.C_count == 1 ? lo : lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(cv.C_count - 1)));
  }
  std::sort(C.begin(), C.end());
  C.erase(std::unique(C.begin(), C.end()), C.end());
  return C;
}

// A model holding a fit's coefficients, enough to score rows (model_probabilities).
model scoring_model(const fit_path::point& p, const std::vector<std::string>& classes, const fit_settings& s) {
  model m;
  m.classes = classes;
  if (classes.size() == 2) {
    m.kind = "binary";
    m.coefficients = p.coefficients[0];
    m.intercept = p.intercepts[0];
  } else {
    m.kind = to_string(s.multiclass);
    m.class_coefficients = p.coefficients;
    m.class_intercepts = p.intercepts;
  }
  return m;
}

}  // namespace

std::vector<std::uint32_t> assign_folds(const std::vector<std::uint32_t>& classes, std::size_t n_classes,
                                        std::uint32_t K, std::uint64_t seed) {
  std::vector<std::vector<std::uint32_t>> rows(n_classes);
  for (std::size_t i = 0; i < classes.size(); ++i) rows[classes[i]].push_back(static_cast<std::uint32_t>(i));
  std::vector<std::uint32_t> fold(classes.size());
  std::uint32_t next = 0;
  for (std::size_t c = 0; c < n_classes; ++c) {
    splitmix64 rng{seed * 0x100000001b3ULL + c};
    std::vector<std::uint32_t>& r = rows[c];
    for (std::size_t i = r.size(); i > 1; --i) std::swap(r[i - 1], r[rng.below(i)]);  // Fisher-Yates
    for (std::uint32_t row : r) {
      fold[row] = next;
      next = (next + 1) % K;
    }
  }
  return fold;
}

cv_metric parse_cv_metric(const std::string& t) {
  if (t == "log-loss") return cv_metric::log_loss;
  if (t == "roc-auc") return cv_metric::roc_auc;
  if (t == "accuracy") return cv_metric::accuracy;
  if (t == "brier") return cv_metric::brier;
  if (t == "f1") return cv_metric::f1;
  if (t == "average-precision") return cv_metric::average_precision;
  throw usage_error("--metric: expected one of log-loss, roc-auc, accuracy, brier, f1, average-precision; got '" + t + "'");
}

std::string to_string(cv_metric m) {
  switch (m) {
    case cv_metric::log_loss: return "log-loss";
    case cv_metric::roc_auc: return "roc-auc";
    case cv_metric::accuracy: return "accuracy";
    case cv_metric::brier: return "brier";
    case cv_metric::f1: return "f1";
    case cv_metric::average_precision: return "average-precision";
  }
  return "?";
}

bool higher_is_better(cv_metric m) { return m != cv_metric::log_loss && m != cv_metric::brier; }

cv_rule parse_cv_rule(const std::string& t) {
  if (t == "best") return cv_rule::best;
  if (t == "1se") return cv_rule::one_se;
  throw usage_error("--rule: expected best or 1se; got '" + t + "'");
}

std::string to_string(cv_rule r) { return r == cv_rule::best ? "best" : "1se"; }

cv_result cross_validate(labelled_data& data, const train_request& train, const cv_request& cv,
                         const progress_callbacks& progress) {
  const fit_settings& s = train.settings;
  validate(s);
  if (s.penalty == penalty_kind::none)
    throw usage_error("cv: --penalty none has no C to choose; use --penalty l2, l1 or elasticnet");
  const labelled_classes lc = prepare_classes(data, train);
  const std::size_t n = lc.y.size(), K = lc.classes.size();
  if (K > 2 && (cv.metric == cv_metric::brier || cv.metric == cv_metric::average_precision))
    throw usage_error("--metric " + to_string(cv.metric) + ": defined for two classes only; the target has " +
                      std::to_string(K) + " (use log-loss, accuracy, f1 or roc-auc)");
  cv_result out;
  out.warnings = lc.warnings;
  out.metric = cv.metric;
  out.rule = cv.rule;
  out.classes = lc.classes;

  // The folds.
  std::uint32_t F = cv.folds;
  if (!data.fold_index.empty()) {
    F = static_cast<std::uint32_t>(data.fold_labels.size());
    out.fold.assign(data.fold_index.begin(), data.fold_index.end());
    if (F < 2)
      throw data_error(data.source + ": the fold column has one value ('" + data.fold_labels[0] +
                       "'); cross-validation needs at least two folds");
  } else {
    if (F < 2) throw usage_error("--folds: expected at least 2, got " + std::to_string(F));
    if (F > n)
      throw data_error(data.source + ": " + std::to_string(n) + " rows cannot make " + std::to_string(F) + " folds");
    out.fold = assign_folds(lc.y, K, F, cv.seed);
  }
  out.folds = F;

  // The data, raw, as a design to take rows from.
  dense_design dense_view(data.X.memptr(), data.X.n_rows, data.X.n_cols);
  const design& all = data.compact ? *data.compact : static_cast<const design&>(dense_view);
  const bool wide = all.n_terms() >= n;

  // The grid: per l1 ratio, its values of C (from the whole data's boundary when not given).
  std::vector<double> ratios = cv.l1_ratio_grid;
  if (ratios.empty() || s.penalty != penalty_kind::elasticnet) ratios = {s.l1_weight()};
  std::vector<std::vector<double>> grids;
  {
    std::unique_ptr<design> whole;
    std::unique_ptr<fit_path> whole_path;
    for (double R : ratios) {
      if (cv.C_grid.empty() && !whole_path) {
        whole = all.subset(arma::regspace<arma::uvec>(0, n - 1));
        whole_path = std::make_unique<fit_path>(*whole, lc.y, K, lc.weights, s);
      }
      grids.push_back(grid_of(cv, cv.C_grid.empty() ? whole_path->boundary_C(R) : 1.0, wide));
    }
  }
  for (std::size_t r = 0; r < ratios.size(); ++r)
    for (double C : grids[r]) {
      cv_point p;
      p.C = C;
      p.l1_ratio = ratios[r];
      out.grid.push_back(p);
    }
  const std::size_t G = out.grid.size();
  std::vector<std::vector<fit_path::point>> kept(cv.out_of_fold ? F : 0);

  // Each fold's rows, and a check that every fold's training rows hold every class (before any
  // fit, so that the message names the first such fold whatever the threads).
  // (A fold's training rows are the others: listed per fold where they are fitted, below.)
  std::vector<std::vector<arma::uword>> test_rows(F);
  std::vector<std::vector<double>> fold_count(F, std::vector<double>(K, 0.0));
  std::vector<double> count(K, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    test_rows[out.fold[i]].push_back(i);
    fold_count[out.fold[i]][lc.y[i]] += 1;
    count[lc.y[i]] += 1;
  }
  auto train_rows_of = [&](std::uint32_t f) {
    std::vector<arma::uword> rows;
    rows.reserve(n - test_rows[f].size());
    for (std::size_t i = 0; i < n; ++i)
      if (out.fold[i] != f) rows.push_back(i);
    return rows;
  };
  for (std::uint32_t f = 0; f < F; ++f) {
    if (test_rows[f].empty()) continue;  // a fold column value... every value has rows; kept for safety
    std::vector<double> seen(K, 0.0);
    for (std::size_t k = 0; k < K; ++k) seen[k] = count[k] - fold_count[f][k];
    const std::string name = data.fold_labels.empty() ? std::to_string(f + 1) : "'" + data.fold_labels[f] + "'";
    for (std::size_t k = 0; k < K; ++k)
      if (seen[k] == 0)
        throw data_error("cv: the rows outside fold " + name + " have no row of class '" + lc.classes[k] +
                         "'; use fewer folds or other fold values");
    // A fold's score is a weighted mean over its rows: undefined when they all weigh 0.
    if (!lc.weights.is_empty()) {
      double held = 0;
      for (arma::uword i : test_rows[f]) held += lc.weights[i];
      if (!(held > 0))
        throw data_error("cv: every row of fold " + name + " has weight 0 (" + std::to_string(test_rows[f].size()) +
                         " rows), so its score is undefined; give some of them weight, or use other folds");
    }
  }

  // Per fold and grid point: the score, the non-zero count and convergence, gathered in fold order
  // afterwards (the folds run concurrently, one per thread, each fit on its own thread: the same
  // numbers, bit for bit, as one fold after another).
  std::vector<std::vector<double>> scores(F, std::vector<double>(G, NAN)), nonzeros(F, std::vector<double>(G, 0.0));
  std::vector<std::vector<char>> converged(F, std::vector<char>(G, 1));
  const bool dense = !data.compact;
  std::size_t most_train = 0;
  for (const auto& rows : test_rows) most_train = std::max(most_train, n - rows.size());
  // The common case (two classes, dense, L2): every fold's fits at once (fold_fits.hpp); when it
  // does not apply or does not settle, fold by fold below.
  std::vector<std::vector<fit_path::point>> together;
  const bool ranked = cv.metric == cv_metric::roc_auc || cv.metric == cv_metric::average_precision;
  bool all_held_out = true;
  for (const auto& rows : test_rows) all_held_out = all_held_out && !rows.empty();
  // (Out of core it would copy the data into ordinary memory: not there. On small data, where the
  // fits fold by fold take hundredths of a second, its fixed costs do not pay: rows x (terms + 1)
  // x folds below 2 million, e.g. breast cancer's 569 x 30, 5 folds.)
  const double fused_work = static_cast<double>(n) * static_cast<double>(all.n_terms() + 1) * F;
  if (ratios.size() == 1 && all_held_out && !detail::cache_memory_enabled() && fused_work >= fold_fits_min_work() &&
      fold_fits_apply(s, K, dense, all.n_terms())) {
    std::vector<double> Cs;
    for (const cv_point& p : out.grid) Cs.push_back(p.C);
    fit_settings at = s;
    if (s.penalty == penalty_kind::elasticnet) at.l1_ratio = ratios[0];
    auto note = [&](std::size_t k) {
      if (!progress.on_note) return;
      char c[32];
      std::snprintf(c, sizeof c, "%.6g", Cs[k - 1]);
      progress.on_note("C = " + std::string(c) + " fitted in every fold (" + std::to_string(k) + " of " +
                       std::to_string(Cs.size()) + ")");
    };
    // Each fold's score at each C as soon as it is fitted, from the probabilities fold_fits gives.
    // (Each fold's truth and weights once, not per value of C.)
    std::vector<std::vector<std::uint8_t>> positive(F);
    std::vector<std::vector<double>> w_test(F);
    for (std::uint32_t f = 0; f < F; ++f)
      for (arma::uword i : test_rows[f]) {
        positive[f].push_back(lc.y[i] == 1);
        if (!lc.weights.is_empty()) w_test[f].push_back(lc.weights[i]);
      }
    auto score = [&](std::uint32_t f, std::size_t g, const std::vector<double>& prob) {
      scores[f][g] = metric_of(cv.metric, compute_binary_metrics(positive[f], prob, 0.5, w_test[f], ranked));
    };
    if (!fold_fits(data.X, lc.y, lc.weights, out.fold, F, Cs, at, together, note, score)) together.clear();
  }
  const bool fused = !together.empty();
  const int T = std::max(1, std::min<int>(thread_count(), static_cast<int>(F)));
  std::atomic<std::uint32_t> done{0};
  std::mutex note;
  run_parallel(T, [&](int t) {
    const serial_scope one_thread;  // the fold's passes stay on this thread
    // Dense data: one buffer per thread, refilled per fold (allocating 8 d n bytes per fold costs a
    // page fault per 4 kB, which in a VM is most of the copy's time).
    std::vector<double> buffer(dense && !fused ? most_train * all.n_terms() : 0);
    for (std::uint32_t f = static_cast<std::uint32_t>(t); f < F; f += static_cast<std::uint32_t>(T)) {
      if (test_rows[f].empty()) continue;
      std::vector<std::uint32_t> y_train;
      arma::uvec tr;
      if (!fused) {
        tr = arma::conv_to<arma::uvec>::from(train_rows_of(f));
        for (arma::uword i : tr) y_train.push_back(lc.y[i]);
      }
      const arma::uvec te = arma::conv_to<arma::uvec>::from(test_rows[f]);
      std::unique_ptr<design> Xtrain;
      if (fused) {
      } else if (dense) {
        const arma::uword d = all.n_terms();
        for (std::size_t r = 0; r < tr.n_elem; ++r) std::copy_n(data.X.colptr(tr[r]), d, buffer.data() + r * d);
        Xtrain = std::make_unique<dense_design>(buffer.data(), d, tr.n_elem);
      } else {
        Xtrain = all.subset(tr);
      }
      std::unique_ptr<design> Xtest = fused ? nullptr : all.subset(te);
      const arma::vec w_train = lc.weights.is_empty() || fused ? arma::vec() : arma::vec(lc.weights.elem(tr));
      std::unique_ptr<fit_path> fits;
      if (!fused) fits = std::make_unique<fit_path>(*Xtrain, y_train, K, w_train, s);
      // The held-out rows' truth and weights.
      std::vector<std::uint8_t> positive;
      std::vector<std::uint32_t> truth;
      std::vector<double> w_test;
      for (arma::uword i : test_rows[f]) {
        positive.push_back(lc.y[i] == 1);
        truth.push_back(lc.y[i]);
        if (!lc.weights.is_empty()) w_test.push_back(lc.weights[i]);
      }
      const std::size_t per_row = K == 2 ? 1 : K;
      std::vector<double> prob(te.n_elem * per_row);
      double last_ratio = NAN;
      for (std::size_t g = 0; g < G; ++g) {
        const cv_point& p = out.grid[g];
        if (!fused && p.l1_ratio != last_ratio) fits->restart();  // each l1 ratio's path starts afresh
        last_ratio = p.l1_ratio;
        const fit_path::point fit = fused ? together[f][g] : fits->fit(p.C, p.l1_ratio);
        if (!fused) {  // (fold_fits scored its fits as it went)
          const model m = scoring_model(fit, lc.classes, s);
          model_probabilities(m, *Xtest, 0, te.n_elem, prob.data());
          if (K == 2)
            scores[f][g] = metric_of(cv.metric, compute_binary_metrics(positive, prob, 0.5, w_test, ranked));
          else scores[f][g] = metric_of(cv.metric, compute_multiclass_metrics(truth, prob, K, w_test));
        }
        nonzeros[f][g] = static_cast<double>(fit.nonzero);
        converged[f][g] = fit.report.converged();
        if (cv.out_of_fold) kept[f].push_back(fit);
      }
      const std::uint32_t finished = ++done;
      if (progress.on_note) {
        const std::lock_guard<std::mutex> lock(note);
        progress.on_note(std::to_string(finished) + " of " + std::to_string(F) + (fused ? " folds scored" : " folds done"));
      }
    }
  });
  for (std::uint32_t f = 0; f < F; ++f) {
    if (test_rows[f].empty()) continue;
    for (std::size_t g = 0; g < G; ++g) {
      cv_point& p = out.grid[g];
      p.fold_scores.push_back(scores[f][g]);
      p.nonzero += nonzeros[f][g];  // summed (whole counts: exact), then one division
      p.converged = p.converged && converged[f][g];
    }
  }
  for (cv_point& p : out.grid) p.nonzero /= F;  // the mean count: 3, not 3.0000000000000004

  // Mean and standard error per grid point; the choice.
  const double sign = higher_is_better(cv.metric) ? 1.0 : -1.0;
  std::size_t best = 0;
  for (std::size_t g = 0; g < G; ++g) {
    cv_point& p = out.grid[g];
    const double k = static_cast<double>(p.fold_scores.size());
    p.mean = std::accumulate(p.fold_scores.begin(), p.fold_scores.end(), 0.0) / k;
    double ss = 0;
    for (double v : p.fold_scores) ss += (v - p.mean) * (v - p.mean);
    p.se = k > 1 ? std::sqrt(ss / (k - 1)) / std::sqrt(k) : 0.0;
    if (sign * p.mean > sign * out.grid[best].mean) best = g;  // ties: the first (the smallest C)
    if (!p.converged)
      out.warnings.push_back("at C = " + std::to_string(p.C) + " some folds' fits did not converge; raise --max-iter");
  }
  out.chosen = best;
  if (cv.rule == cv_rule::one_se) {
    // The most regularised value (the smallest C, of the chosen l1 ratio) within one se of the best.
    const double bound = out.grid[best].mean - sign * out.grid[best].se;
    for (std::size_t g = 0; g < G; ++g)
      if (out.grid[g].l1_ratio == out.grid[best].l1_ratio && sign * out.grid[g].mean >= sign * bound) {
        out.chosen = g;
        break;
      }
  }

  // Out-of-fold probabilities at the chosen values.
  if (cv.out_of_fold) {
    const std::size_t per_row = K == 2 ? 1 : K;
    out.oof.assign(n * per_row, NAN);
    for (std::uint32_t f = 0; f < F; ++f) {
      if (kept[f].empty()) continue;
      std::vector<arma::uword> rows;
      for (std::size_t i = 0; i < n; ++i)
        if (out.fold[i] == f) rows.push_back(i);
      std::unique_ptr<design> Xtest = all.subset(arma::conv_to<arma::uvec>::from(rows));
      const model m = scoring_model(kept[f][out.chosen], lc.classes, s);
      std::vector<double> prob(rows.size() * per_row);
      model_probabilities(m, *Xtest, 0, rows.size(), prob.data());
      for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t k = 0; k < per_row; ++k) out.oof[rows[r] * per_row + k] = prob[r * per_row + k];
    }
  }
  return out;
}

}  // namespace logreg
