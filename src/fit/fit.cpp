#include "fit/fit.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <cstring>
#include <numeric>

#include "fit/collinearity.hpp"
#include "fit/separation.hpp"
#include "fit/solve.hpp"
#include "logreg/error.hpp"
#include "logreg/inference.hpp"
#include "objective/logistic_loss.hpp"
#include "objective/multinomial_loss.hpp"
#include "stats/covariance.hpp"
#include "stats/multinomial_covariance.hpp"

namespace logreg {

namespace {

std::string format_g(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

std::string not_checked_warning() {
  return "without a penalty the classes may be separated (the estimates then do not exist), but fits with more than " +
         std::to_string(separation_max_variables - 1) + " features are not checked for it; consider --penalty l2";
}

// C x the total row weight scales the objective and its gradient: far from 1 they leave the range
// of doubles (a --weight column of 1e308 makes the objective infinite before the first step).
void check_objective_range(const fit_settings& settings, const arma::vec& weights, const design& X) {
  const double C = settings.penalty == penalty_kind::none ? 1.0 : settings.C;
  const double total =
      C * (weights.is_empty() ? static_cast<double>(X.total_obs()) : detail::total(X.chunks(), weights));
  if (total <= 1e250 && total >= 1e-250) return;
  const bool large = !(total < 1e-250);
  throw data_error("the objective is out of the range of doubles: C x the sum of the row weights " +
                   (std::isfinite(total) ? "is " + format_g(total) : std::string("overflows")) +
                   (large ? " (above 1e+250). Scale the --weight column down (without a penalty only the ratios of the "
                            "weights matter) or lower --C"
                          : " (below 1e-250). Scale the --weight column up (without a penalty only the ratios of the "
                            "weights matter) or raise --C"));
}

// --no-standardize puts the L2 penalty on the raw coefficients: lambda_j = 1 / scale_j^2 in the
// solver's coordinates, which overflows for a standard deviation below about 1e-154.
void check_raw_penalty(const fit_settings& settings, const std::vector<double>& scale,
                       const std::vector<std::string>& names) {
  if (settings.standardize || settings.l2_weight() == 0) return;
  for (std::size_t j = 0; j < scale.size(); ++j)
    if (!std::isfinite(1.0 / (scale[j] * scale[j])))
      throw data_error("--no-standardize: the standard deviation of '" + names[j] + "' is " + format_g(scale[j]) +
                       ", so the L2 penalty on its raw coefficient (1 / " + format_g(scale[j]) +
                       "^2 in standardised units) is out of the range of doubles; rescale the feature or drop "
                       "--no-standardize");
}

// A fit whose objective, gradient or coefficients are not finite cannot make a model: an error, so
// that nothing is written (JSON has no infinity; the file would hold null).
void require_finite(const fit_report& report, const arma::vec& theta) {
  if (std::isfinite(report.objective) && std::isfinite(report.gradient_norm) && std::isfinite(report.tolerance) &&
      theta.is_finite())
    return;
  throw data_error("the fit diverged: the objective or its gradient became infinite or NaN (objective " +
                   format_g(report.objective) + ", max|gradient| " + format_g(report.gradient_norm) + " after " +
                   std::to_string(report.iterations) + " " + report.solver +
                   " iterations), so there is no model to write. With --no-standardize, features of extreme "
                   "magnitude (the penalty weighs 1 / scale^2) are the usual cause: rescale them or drop "
                   "--no-standardize");
}

// The model's numbers on the original scale must be finite: a coefficient w = v / scale of a
// feature with a tiny standard deviation (below about 1e-300) may not be.
void require_finite_model(const design_fit& out, const std::vector<std::string>& names) {
  for (const std::vector<double>& row : out.coefficients)
    for (std::size_t j = 0; j < row.size(); ++j)
      if (!std::isfinite(row[j]))
        throw data_error("the coefficient of '" + names[j] + "' is not finite on the original scale (the feature's "
                         "standard deviation is " + format_g(out.scale.empty() ? 1.0 : out.scale[j]) +
                         "), so there is no model to write: rescale the feature to units nearer 1");
  for (double b : out.intercepts)
    if (!std::isfinite(b))
      throw data_error("the intercept is not finite on the original scale, so there is no model to write: rescale "
                       "the features whose mean is large next to their standard deviation");
}

// The warning when the covariance on the original scale does not fit in doubles (covariance.hpp).
std::string unrepresentable_warning(const std::string& parameter) {
  return "the covariance of the estimates does not fit in doubles on the original scale of '" + parameter +
         "' (a feature of extreme magnitude: the covariance divides by its scale squared), so the model holds no "
         "standard errors; rescale such features to units nearer 1 for them";
}

// Large problems: first solve the same problem on every k-th observation (the loss weighted by k,
// so that loss and penalty keep their balance), loosely, and start the full solve there. Close to
// the optimum Newton converges quadratically, so the full data need two or three passes fewer; the
// answer is the full problem's optimum all the same (the tolerance is on the full gradient). A
// subsample fit that fails (e.g. separable by chance) is discarded.
// The rows `rows` (of the whole fit, increasing) of a design split among MPI ranks, gathered on
// every rank in rank order (= row order): the subsample the warm start fits, on every rank alike,
// the design that subset() makes in one process.
void gather_rows(const design& X, const arma::uvec& rows, const arma::vec& y01, const arma::vec& weights,
                 std::unique_ptr<design>& Xs, arma::vec& ys, arma::vec& ws) {
  const arma::uword lo = X.shard().offset, hi = lo + X.n_obs();
  std::vector<arma::uword> here;
  for (arma::uword r : rows)
    if (r >= lo && r < hi) here.push_back(r - lo);
  const arma::uvec local(here);
  detail::communicator& w = *detail::world();
  Xs = X.unpack_rows(w.allgather(X.pack_rows(local)));
  auto gather = [&](const arma::vec& v) {
    const arma::vec mine = v.elem(local);
    std::vector<double> all;
    for (const std::string& part : w.allgather(std::string(reinterpret_cast<const char*>(mine.memptr()),
                                                           mine.n_elem * sizeof(double)))) {
      const std::size_t at = all.size();
      all.resize(at + part.size() / sizeof(double));
      if (!part.empty()) std::memcpy(all.data() + at, part.data(), part.size());
    }
    return arma::vec(all);
  };
  ys = gather(y01);
  if (!weights.is_empty()) ws = gather(weights);
}

void warm_start(const design& X, const arma::vec& y01, const arma::vec& weights, bool intercept, const problem& pb,
                solver_kind kind, arma::vec& theta) {
  const arma::uword n = X.total_obs(), d = X.n_terms();
  const arma::uword m = std::max<arma::uword>(20000, 20 * d);
  if (n < 8 * m) return;
  const arma::uword step = n / m;
  const arma::uvec rows = arma::regspace<arma::uvec>(0, step, n - 1);
  std::unique_ptr<design> Xs;
  arma::vec ys, ws;
  if (X.shard().active && detail::world_size() > 1) {  // (one process reading several files: all rows here)
    gather_rows(X, rows, y01, weights, Xs, ys, ws);
  } else {
    Xs = X.subset(rows);
    ys = y01.elem(rows);
    if (!weights.is_empty()) ws = weights.elem(rows);
  }
  const double k = static_cast<double>(n) / static_cast<double>(rows.n_elem);
  logistic_loss sub(*Xs, ys, ws, intercept);
  penalized_objective f(sub, pb.C * k, pb.terms);
  arma::vec start = theta;
  solver_options opts;
  opts.tol = 1e-6;
  opts.max_iter = 50;
  const solver_report rep = kind == solver_kind::newton ? newton_solve(f, start, opts) : lbfgs_solve(f, start, opts);
  if (rep.reason == stop_reason::converged && start.is_finite() && arma::abs(sub.scores(start)).max() < 30) theta = start;
}

design_fit fit_binary(design& X, const arma::vec& y01, const arma::vec& weights, const fit_settings& settings,
                      const std::vector<std::string>& names, const progress_callbacks& progress) {
  design_fit out;
  const arma::uword d = X.n_terms();
  // The solver always works on standardised terms (well conditioned, whatever the raw scales).
  // --no-standardize asks for the penalty on the raw coefficients w = v / scale: the same problem,
  // written in standardised coordinates with per-term penalty weights (solve.hpp). The model then
  // stores no standardisation, only the raw-scale coefficients.
  std::vector<double> mean, scale;
  X.standardize(settings.fit_intercept, mean, scale);
  check_raw_penalty(settings, scale, names);
  const bool penalised = settings.penalty != penalty_kind::none;

  // Without a penalty a term that is an exact linear combination of others (or constant, with an
  // intercept) has no identified coefficient: it is dropped before the fit, as R's glm does
  // ("aliased"). With a penalty the problem is well posed and every term stays.
  std::vector<arma::uword> kept(d);
  std::iota(kept.begin(), kept.end(), arma::uword{0});
  // The check forms a d x d matrix: skipped (with a warning) when that outweighs the data, as for
  // wide sparse input.
  const bool check_collinear = d <= 2000 || static_cast<double>(d) * static_cast<double>(d) <= X.pass_work();
  if (!penalised && !check_collinear)
    out.warnings.push_back("without a penalty, features that are exact linear combinations of others have no unique "
                           "coefficient, but fits with more than 2000 features that hold fewer values than d x d are "
                           "not checked for them; consider --penalty l2");
  if (!penalised && check_collinear) {
    const collinearity_result c = find_aliased_columns(X, settings.fit_intercept, names, mean, scale);
    for (const aliased_column& a : c.aliased) {
      out.aliased.push_back(names[a.index]);
      out.warnings.push_back(a.relation + ": without a penalty its coefficient is not identified, so '" +
                             names[a.index] + "' is dropped from the fit (shown as aliased; 0 in the model)");
    }
    if (!c.aliased.empty()) {
      kept = c.kept;
      X.keep_terms(kept);
    }
  }
  const arma::uword dk = kept.size();
  std::vector<std::string> kept_names;
  std::vector<double> kept_mean, kept_scale;
  for (arma::uword j : kept) {
    kept_names.push_back(names[j]);
    kept_mean.push_back(mean[j]);
    kept_scale.push_back(scale[j]);
  }
  const arma::vec kept_scale_vec(kept_scale);

  const problem pb = make_problem(settings, kept_scale_vec);
  arma::vec theta;
  {  // the loss (its per-observation arrays and scratch) is gone before the covariance pass
    logistic_loss L(X, y01, weights, settings.fit_intercept);
    theta.zeros(L.n_vars());
    if (settings.fit_intercept) {  // start from the intercept-only fit: log-odds of the class rates
      // sums in chunk order: the same on every rank of a split fit
      const detail::chunking ch = X.chunks();
      const double pos = weights.is_empty() ? detail::total(ch, y01)
                                            : detail::total(ch, [&](arma::uword i) { return weights[i] * y01[i]; });
      const double all = weights.is_empty() ? static_cast<double>(X.total_obs()) : detail::total(ch, weights);
      if (pos > 0 && pos < all) theta(dk) = std::log(pos / (all - pos));
    }
    const solve_outcome solved =
        solve(L, pb, settings, progress, theta, out.report, [&](penalized_objective&, solver_kind kind, arma::vec& start) {
          warm_start(X, y01, weights, settings.fit_intercept, pb, kind, start);
        });
    require_finite(out.report, theta);
    if (!penalised) {
      if (L.n_vars() <= separation_max_variables) check_separation(L, theta, y01, kept_names, out.report);
      else out.warnings.push_back(not_checked_warning());
    }
    if (solved.rep.reason != stop_reason::converged)
      out.warnings.push_back(non_convergence_warning(out.report, solved.rep.reason, solved.suggest_newton));
  }

  // Back to the original scale: w_j = v_j / scale_j, b = b_z - sum_j w_j mean_j; aliased terms get 0.
  std::vector<double> coefficients(d, 0.0);
  double b = settings.fit_intercept ? theta(dk) : 0.0;
  for (arma::uword t = 0; t < dk; ++t) {
    const arma::uword j = kept[t];
    const double w = theta(t) / scale[j];
    coefficients[j] = w;
    b -= w * mean[j];
  }
  out.coefficients = {std::move(coefficients)};
  out.intercepts = {b};
  if (settings.standardize) {
    out.mean = mean;
    out.scale = scale;
  }

  // What inference needs, while the data are at hand (two more passes over them).
  if (settings.l1_weight() == 0 && dk + (settings.fit_intercept ? 1 : 0) <= inference_max_parameters) {
    std::vector<std::string> parameters;
    if (settings.fit_intercept) parameters.push_back("(Intercept)");
    parameters.insert(parameters.end(), kept_names.begin(), kept_names.end());
    std::string lost;
    inference_data inf = estimate_inference(X, y01, weights, theta, settings.fit_intercept, penalised ? settings.C : 0.0,
                                            kept_mean, kept_scale, parameters,
                                            settings.standardize ? arma::vec() : arma::vec(1.0 / arma::square(kept_scale_vec)),
                                            &lost);
    inf.aliased = out.aliased;
    if (!lost.empty()) {  // no inference data
      out.warnings.push_back(unrepresentable_warning(lost));
      return out;
    }
    if (inf.covariance.empty()) {
      out.warnings.push_back("the information matrix is singular: the model holds no standard errors (are some "
                             "features constant or collinear within the rows of one class?)");
    } else if (!penalised && inf.condition_number > ill_conditioned) {
      out.warnings.push_back("the information matrix is near-singular (condition number " + format_g(inf.condition_number) +
                             " after scaling to unit diagonal): some features are nearly collinear, so their estimates "
                             "and standard errors are unstable. Consider removing or combining them, or --penalty l2.");
    }
    out.inference = std::move(inf);
  }
  return out;
}

// The covariance of a multinomial fit's estimates (multinomial_covariance.hpp), unless it would have
// more than inference_max_parameters rows: the contrasts against the first class without a penalty,
// every class's block with L2. Warns, as the binary fit does, when the information matrix is
// (near-)singular.
std::optional<inference_data> multinomial_inference(const design& X, const std::vector<std::uint32_t>& y,
                                                    const arma::vec& weights, const arma::mat& theta_z,
                                                    const fit_settings& settings, const std::vector<double>& mean,
                                                    const std::vector<double>& scale,
                                                    const std::vector<std::string>& class_names,
                                                    const std::vector<std::string>& names,
                                                    std::vector<std::string>& warnings) {
  const bool penalised = settings.penalty != penalty_kind::none;
  const arma::uword K = theta_z.n_cols, q = theta_z.n_rows;
  if ((penalised ? K : K - 1) * q > inference_max_parameters || names.size() != X.n_terms()) return std::nullopt;
  std::vector<std::string> parameters;
  if (settings.fit_intercept) parameters.push_back("(Intercept)");
  parameters.insert(parameters.end(), names.begin(), names.end());
  const arma::vec s(scale);
  std::string lost;
  inference_data inf = estimate_multinomial_inference(X, y, weights, theta_z, settings.fit_intercept,
                                                      penalised ? settings.C : 0.0, mean, scale, class_names, parameters,
                                                      settings.standardize ? arma::vec() : arma::vec(1.0 / arma::square(s)),
                                                      &lost);
  if (!lost.empty()) {
    warnings.push_back(unrepresentable_warning(lost));
    return std::nullopt;
  }
  if (inf.covariance.empty()) {
    warnings.push_back("the information matrix is singular: the model holds no standard errors (are some features "
                       "constant or collinear, or collinear within the rows of some classes?)");
  } else if (!penalised && inf.condition_number > ill_conditioned) {
    warnings.push_back("the information matrix is near-singular (condition number " + format_g(inf.condition_number) +
                       " after scaling to unit diagonal): some features are nearly collinear, so their estimates "
                       "and standard errors are unstable. Consider removing or combining them, or --penalty l2.");
  }
  return inf;
}

design_fit fit_multiclass(design& X, const std::vector<std::uint32_t>& y, arma::uword K, const arma::vec& weights,
                          const fit_settings& settings, const std::vector<std::string>& names,
                          const std::vector<std::string>& classes, const progress_callbacks& progress) {
  design_fit out;
  const arma::uword d = X.n_terms();
  std::vector<double> mean, scale;
  X.standardize(settings.fit_intercept, mean, scale);
  check_raw_penalty(settings, scale, names);
  const bool penalised = settings.penalty != penalty_kind::none;
  const problem pb = make_problem(settings, arma::vec(scale));
  const arma::uword block = d + (settings.fit_intercept ? 1 : 0);
  arma::mat theta_z(block, K, arma::fill::zeros);  // column k: class k's [w; b] in the fitted space

  if (settings.multiclass == multiclass_kind::multinomial) {
    arma::vec theta;
    {  // the loss is gone before the covariance pass (which has a loss of its own)
      multinomial_loss L(X, y, K, weights, settings.fit_intercept);
      theta.zeros(L.n_vars());
      const solve_outcome solved = solve(L, pb, settings, progress, theta, out.report);
      require_finite(out.report, theta);
      if (!penalised && solved.rep.reason != stop_reason::max_iterations) {
        if (L.n_vars() <= separation_max_variables) check_multinomial_separation(L, theta, y);
        else out.warnings.push_back(not_checked_warning());
      }
    }
    theta_z = arma::reshape(theta, block, K);
    // Softmax is unchanged when the same vector is added to every class's [w; b]: the unpenalised
    // intercepts (and, without a penalty, the coefficients) are identified only up to that. Centre
    // them to sum to 0 over the classes, the solution scikit-learn's solvers keep (they start from
    // 0 and the gradient's sum over classes is 0). With L2 the coefficients already sum to 0.
    const arma::vec centre = arma::mean(theta_z, 1);
    if (settings.fit_intercept) theta_z.row(d) -= centre(d);
    if (!penalised && d > 0) theta_z.head_rows(d).each_col() -= centre.head(d);
    if (settings.l1_weight() == 0 && classes.size() == K)
      out.inference = multinomial_inference(X, y, weights, theta_z, settings, mean, scale, classes, names, out.warnings);
  } else {
    // One binary model per class against all the others. The report: the worst status, the most
    // iterations, the sum of the K objectives and the largest gradient.
    bool first = true;
    for (arma::uword k = 0; k < K; ++k) {
      arma::vec yk, wk;
      one_vs_rest_problem(y, k, weights, settings, yk, wk, X.shard());
      logistic_loss L(X, yk, wk, settings.fit_intercept);
      arma::vec theta(L.n_vars(), arma::fill::zeros);
      fit_report r;
      solve(L, pb, settings, progress, theta, r);
      require_finite(r, theta);
      if (!penalised) {
        if (L.n_vars() <= separation_max_variables) check_separation(L, theta, yk, names, r);
        else if (first) out.warnings.push_back(not_checked_warning());
      }
      merge_one_vs_rest_report(out.report, r, first);
      first = false;
      theta_z.col(k) = theta;
    }
  }
  if (!out.report.converged()) {
    char numbers[128];
    std::snprintf(numbers, sizeof numbers, "max|gradient| %.3g > tolerance %.3g", out.report.gradient_norm,
                  out.report.tolerance);
    out.warnings.push_back("the fit did not converge (" + out.report.status + " after " +
                           std::to_string(out.report.iterations) + " " + out.report.solver + " iterations; " + numbers +
                           "): the coefficients are not the optimum. To fix: raise --max-iter or loosen --tol.");
  }
  to_original_scale(theta_z, settings.fit_intercept, mean, scale, out.coefficients, out.intercepts);
  if (settings.standardize) {
    out.mean = mean;
    out.scale = scale;
  }
  return out;
}

}  // namespace

void one_vs_rest_problem(const std::vector<std::uint32_t>& y, arma::uword k, const arma::vec& weights,
                         const fit_settings& settings, arma::vec& yk, arma::vec& wk, const detail::shard& shard) {
  yk.set_size(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) yk[i] = y[i] == k ? 1.0 : 0.0;
  // class_weight "balanced" balances each binary problem (as scikit-learn does for ovr):
  // n / (2 n_k) for the class, n / (2 (n - n_k)) for the rest.
  wk = weights;
  if (settings.class_weight == "balanced") {
    // of the whole fit when it is split among MPI ranks
    const double nk = detail::sum_over_ranks(shard.active, arma::accu(yk));
    const double n = shard.active ? static_cast<double>(shard.total) : static_cast<double>(yk.n_elem);
    if (wk.is_empty()) wk.ones(yk.n_elem);
    for (arma::uword i = 0; i < yk.n_elem; ++i) wk[i] *= yk[i] > 0.5 ? n / (2 * nk) : n / (2 * (n - nk));
  }
}

void merge_one_vs_rest_report(fit_report& all, const fit_report& r, bool first) {
  const int most = first ? r.iterations : std::max(all.iterations, r.iterations);
  const int polish = first ? r.polish_steps : std::max(all.polish_steps, r.polish_steps);
  const double objective = (first ? 0.0 : all.objective) + r.objective;
  const double gradient = first ? r.gradient_norm : std::max(all.gradient_norm, r.gradient_norm);
  if (first || (all.converged() && !r.converged())) all = r;
  all.iterations = most;
  all.polish_steps = polish;
  all.objective = objective;
  all.gradient_norm = gradient;
}

void to_original_scale(const arma::mat& theta_z, bool fit_intercept, const std::vector<double>& mean,
                       const std::vector<double>& scale, std::vector<std::vector<double>>& coefficients,
                       std::vector<double>& intercepts) {
  // Class by class: w_j = v_j / scale_j, b = b_z - sum_j w_j mean_j.
  const arma::uword K = theta_z.n_cols, d = mean.size();
  coefficients.assign(K, std::vector<double>(d, 0.0));
  intercepts.assign(K, 0.0);
  for (arma::uword k = 0; k < K; ++k) {
    double b = fit_intercept ? theta_z(d, k) : 0.0;
    for (arma::uword j = 0; j < d; ++j) {
      const double w = theta_z(j, k) / scale[j];
      coefficients[k][j] = w;
      b -= w * mean[j];
    }
    intercepts[k] = b;
  }
}

design_fit fit_design(design& X, const std::vector<std::uint32_t>& y, arma::uword K, const arma::vec& weights,
                      const fit_settings& settings, const std::vector<std::string>& names,
                      const std::vector<std::string>& classes, const progress_callbacks& progress) {
  validate(settings);
  check_objective_range(settings, weights, X);
  const auto t0 = std::chrono::steady_clock::now();
  design_fit out;
  if (K == 2) {
    arma::vec y01(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) y01[i] = y[i] == 1 ? 1.0 : 0.0;
    out = fit_binary(X, y01, weights, settings, names, progress);
  } else {
    out = fit_multiclass(X, y, K, weights, settings, names, classes, progress);
  }
  require_finite_model(out, names);
  out.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace logreg
