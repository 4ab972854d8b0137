#include "fit/binary_fit.hpp"

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "fit/collinearity.hpp"
#include "stats/covariance.hpp"
#include "logreg/error.hpp"
#include "logreg/inference.hpp"
#include "objective/logistic_objective.hpp"
#include "optim/owlqn_solver.hpp"
#include "optim/solver.hpp"

namespace logreg {

solver_kind automatic_solver(arma::uword d) {
  // Newton costs n d^2 per iteration and converges in a handful; L-BFGS costs 2 n d per iteration
  // and needs tens to hundreds. Up to a few hundred features Newton is as fast and far more exact.
  return d <= 300 ? solver_kind::newton : solver_kind::lbfgs;
}

// z = (x - mean) / scale, per feature (a row of X). Population standard deviation, as
// scikit-learn's StandardScaler; a constant feature gets scale 1 (its z is 0, never NaN).
void standardize_in_place(arma::mat& X, bool center, std::vector<double>& mean, std::vector<double>& scale) {
  const arma::uword d = X.n_rows, n = X.n_cols;
  arma::vec mu(d, arma::fill::zeros), ss(d, arma::fill::zeros);
  for (arma::uword i = 0; i < n; ++i) mu += X.col(i);
  mu /= static_cast<double>(n);
  for (arma::uword i = 0; i < n; ++i) ss += arma::square(X.col(i) - mu);
  arma::vec sd = arma::sqrt(ss / static_cast<double>(n));
  const double eps = std::numeric_limits<double>::epsilon();
  for (arma::uword j = 0; j < d; ++j)
    if (!(sd(j) > 10 * eps * std::max(1.0, std::fabs(mu(j))))) sd(j) = 1.0;
  if (!center) mu.zeros();
  const arma::vec inv = 1.0 / sd;
  for (arma::uword i = 0; i < n; ++i) {
    double* x = X.colptr(i);
    for (arma::uword j = 0; j < d; ++j) x[j] = (x[j] - mu[j]) * inv[j];
  }
  mean = arma::conv_to<std::vector<double>>::from(mu);
  scale = arma::conv_to<std::vector<double>>::from(sd);
}

// Without a penalty the likelihood has no maximum when a hyperplane separates the classes
// (completely, or quasi-completely: with ties on it). Newton then drives some margins to
// infinity while the gradient vanishes like exp(-margin), so "converged" alone proves nothing.
// A further Newton step betrays it: at a true optimum it moves no score; along a separating
// direction gradient and curvature vanish together, so the step stays large and keeps pushing the
// separated rows' margins up. A far-out row that is merely well classified does not move. The step
// itself points along the separating direction, which names the features involved.
void check_separation(logistic_objective& f, const arma::mat& X, bool standardized, const arma::vec& theta,
                      const arma::vec& y01, const std::vector<std::string>& names, const fit_report& report) {
  const arma::uword d = names.size();
  const arma::vec sd = standardized ? arma::vec(d, arma::fill::ones) : arma::vec(arma::stddev(X, 1, 1));
  check_separation(
      f, [&f](const arma::vec& t) { return f.scores(t); }, sd, theta, y01, names, report);
}

void check_separation(objective& f, const std::function<arma::vec(const arma::vec&)>& scores, const arma::vec& sd,
                      const arma::vec& theta, const arma::vec& y01, const std::vector<std::string>& names,
                      const fit_report& report) {
  if (report.status == "iteration_limit") return;  // not at a stationary point: nothing to conclude
  const arma::vec sign = 2 * y01 - 1;
  const arma::vec margin = scores(theta) % sign;
  arma::vec g;
  f.value_gradient(theta, g);
  arma::mat H;
  f.hessian(theta, H);
  const arma::vec step = newton_direction(H, g);
  // Rows already well classified whose margin a further Newton step still pushes up by more than
  // 0.01 (at a finite optimum the step moves no score by more than ~1e-8).
  const arma::vec moved = scores(step) % sign;  // X' step_w + step_b, signed by the row's class
  const arma::uword extreme = arma::accu((margin > 5.0) % (moved > 1e-2));
  if (extreme == 0) return;
  const arma::uword n = margin.n_elem;
  const bool complete = arma::accu(margin > 0) == n;
  // Name the features that carry the separating direction: largest standardised components.
  const arma::uword d = names.size();
  std::vector<std::pair<double, std::size_t>> weight;
  for (arma::uword j = 0; j < d; ++j) weight.push_back({std::fabs(step(j)) * sd(j), j});
  std::sort(weight.rbegin(), weight.rend());
  std::string involved;
  for (std::size_t k = 0; k < weight.size() && k < 5; ++k) {
    if (weight[k].first < 0.1 * weight[0].first) break;
    involved += (involved.empty() ? "'" : ", '") + names[weight[k].second] + "'";
  }
  throw data_error(std::string("the classes are ") + (complete ? "completely" : "quasi-completely") +
                   " separated by the features: " + std::to_string(extreme) + " of " + std::to_string(n) +
                   " rows are pushed towards probability 0 or 1 without end (features involved: " + involved +
                   "), so the maximum-likelihood estimates do not exist (they are infinite) and " +
                   "--penalty none cannot give a meaningful model. Use --penalty l2 (the default; " +
                   "--C sets its strength), or remove the separating features. (The " + report.solver +
                   " solver stopped after " + std::to_string(report.iterations) + " iterations.)");
}

std::string non_convergence_warning(const fit_report& report, stop_reason reason, bool suggest_newton) {
  char numbers[128];
  std::snprintf(numbers, sizeof numbers, "max|gradient| %.3g > tolerance %.3g", report.gradient_norm, report.tolerance);
  std::string advice = reason == stop_reason::max_iterations ? "raise --max-iter" : "loosen --tol";
  if (suggest_newton) advice += ", try --solver newton";
  return "the fit did not converge (" + report.status + " after " + std::to_string(report.iterations) + " " +
         report.solver + " iterations; " + numbers + "): the coefficients are not the optimum. To fix: " + advice + ".";
}

namespace {



// Keeps rows `kept` of the d x n matrix X, in place: the first kept.size() * n doubles of X's memory
// become the smaller matrix (column-major). Forward order is safe: every element is read before
// its position can be written (the write position never passes the read position).
void compact_rows(arma::mat& X, const std::vector<arma::uword>& kept) {
  const arma::uword d = X.n_rows, n = X.n_cols, k = kept.size();
  double* base = X.memptr();
  for (arma::uword i = 0; i < n; ++i)
    for (arma::uword t = 0; t < k; ++t) base[i * k + t] = base[i * d + kept[t]];
}

std::string format_g(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

}  // namespace

// Large problems: first solve the same problem on every k-th row (the loss weighted by k, so that
// loss and penalty keep their balance), loosely, and start the full solve there. Close to the
// optimum Newton converges quadratically, so the full data need two or three passes fewer; the
// answer is the full problem's optimum all the same (the tolerance is on the full gradient). A
// subsample fit that fails (e.g. separable by chance) is discarded.
void warm_start(const arma::mat& X, const arma::vec& y01, const arma::vec& weights, double C, bool ridge,
                const fit_settings& settings, const logistic_objective& full, solver_kind kind, arma::vec& theta) {
  const arma::uword n = X.n_cols, d = X.n_rows;
  const arma::uword m = std::max<arma::uword>(20000, 20 * d);
  if (n < 8 * m) return;
  const arma::uword step = n / m;
  const arma::uvec rows = arma::regspace<arma::uvec>(0, step, n - 1);
  const arma::mat Xs = X.cols(rows);
  const arma::vec ys = y01.elem(rows);
  const arma::vec ws = weights.is_empty() ? arma::vec() : arma::vec(weights.elem(rows));
  const double k = static_cast<double>(n) / static_cast<double>(rows.n_elem);
  logistic_objective sub(Xs, ys, ws, C * k, ridge, settings.fit_intercept);
  sub.set_penalty_weights(full.penalty_weights());
  arma::vec start = theta;
  solver_options opts;
  opts.tol = 1e-6;
  opts.max_iter = 50;
  const solver_report rep = kind == solver_kind::newton ? newton_solve(sub, start, opts) : lbfgs_solve(sub, start, opts);
  if (rep.reason == stop_reason::converged && start.is_finite() && arma::abs(sub.scores(start)).max() < 30) theta = start;
}

binary_solve solve_binary(objective& f, arma::uword d, const arma::vec& y01, const arma::vec& weights,
                          const fit_settings& settings, const arma::vec& scale, const progress_callbacks& progress,
                          arma::vec& theta, fit_report& report,
                          const std::function<void(solver_kind&, arma::vec&)>& before_solve) {
  const double R = settings.l1_weight(), ridge = settings.l2_weight();
  const double factor = ridge > 0 ? ridge : 1.0;  // reported objective = factor * minimised objective
  theta.zeros(f.n_vars());
  if (settings.fit_intercept) {  // start from the intercept-only fit: log-odds of the class rates
    const double pos = weights.is_empty() ? arma::accu(y01) : arma::dot(weights, y01);
    const double all = weights.is_empty() ? static_cast<double>(y01.n_elem) : arma::accu(weights);
    if (pos > 0 && pos < all) theta(d) = std::log(pos / (all - pos));
  }
  solver_options opts;
  opts.tol = settings.tol;
  opts.max_iter = settings.max_iter;
  opts.on_iteration = progress.on_iteration;
  solver_kind kind = settings.solver == solver_kind::automatic ? automatic_solver(d) : settings.solver;
  binary_solve out;
  if (R > 0) {  // L1 or elastic net: OWL-QN (exact zeros); the intercept is not penalised
    arma::vec l1(f.n_vars(), arma::fill::value(R / factor));
    if (!settings.standardize) l1.head(d) /= scale;
    if (settings.fit_intercept) l1(d) = 0;
    out.rep = owlqn_solve(f, l1, theta, opts);
    kind = solver_kind::lbfgs;
  } else {
    if (before_solve) before_solve(kind, theta);
    out.rep = kind == solver_kind::newton ? newton_solve(f, theta, opts) : lbfgs_solve(f, theta, opts);
  }
  report.status = to_string(out.rep.reason);
  report.solver = R > 0 ? "owlqn" : to_string(kind);
  report.iterations = out.rep.iterations;
  report.objective = factor * out.rep.objective;
  report.gradient_norm = factor * out.rep.gradient_norm;
  report.tolerance = factor * settings.tol * f.gradient_scale();
  out.suggest_newton = kind == solver_kind::lbfgs && R == 0;
  return out;
}

binary_fit_result fit_binary(arma::mat& X, const arma::vec& y01, const arma::vec& weights,
                             const fit_settings& settings, const std::vector<std::string>& feature_names,
                             const progress_callbacks& progress) {
  validate(settings);
  const auto t0 = std::chrono::steady_clock::now();
  binary_fit_result out;
  const arma::uword d = X.n_rows, n = X.n_cols;
  // The solver always works on standardised features (well conditioned, whatever the raw scales).
  // --no-standardize asks for the penalty on the raw coefficients w = v / scale: the same problem,
  // written in standardised coordinates with per-feature penalty weights 1 / scale^2 (L2) and
  // 1 / scale (L1). The model then stores no standardisation, only the raw-scale coefficients.
  std::vector<double> mean, scale;
  standardize_in_place(X, settings.fit_intercept, mean, scale);
  const bool penalised = settings.penalty != penalty_kind::none;
  const bool l2 = penalised;  // (the collinearity and separation checks apply only without a penalty)

  // Without a penalty a column that is an exact linear combination of others (or constant, with
  // an intercept) has no identified coefficient: it is dropped before the fit, as R's glm does
  // ("aliased"). With L2 the problem is well posed and every column stays.
  std::vector<arma::uword> kept(d);
  std::iota(kept.begin(), kept.end(), arma::uword{0});
  if (!l2) {
    const collinearity_result c = find_aliased_columns(X, settings.fit_intercept, feature_names, mean, scale);
    for (const aliased_column& a : c.aliased) {
      out.aliased.push_back(feature_names[a.index]);
      out.warnings.push_back(a.relation + ": without a penalty its coefficient is not identified, so '" +
                             feature_names[a.index] + "' is dropped from the fit (shown as aliased; 0 in the model)");
    }
    if (!c.aliased.empty()) {
      kept = c.kept;
      compact_rows(X, kept);
    }
  }
  const arma::uword dk = kept.size();
  const arma::mat Xk(X.memptr(), dk, n, false, true);  // X itself when nothing is aliased
  std::vector<std::string> kept_names;
  for (arma::uword j : kept) kept_names.push_back(feature_names[j]);

  // C * loss + R |w|_1 + (1 - R)/2 |w|^2 is minimised as (1/(1 - R)) of it when R < 1: the smooth
  // part is then C/(1 - R) * loss + |w|^2/2 (logistic_objective's form) plus R/(1 - R) |w|_1.
  // Without a penalty C only rescales the objective: it is 1.
  const double R = settings.l1_weight(), ridge = settings.l2_weight();
  const double factor = ridge > 0 ? ridge : 1.0;  // reported objective = factor * minimised objective
  const double C = penalised ? settings.C / factor : 1.0;
  logistic_objective f(Xk, y01, weights, C, ridge > 0, settings.fit_intercept);
  arma::vec kept_scale_vec(dk);
  for (arma::uword t = 0; t < dk; ++t) kept_scale_vec(t) = scale[kept[t]];
  if (!settings.standardize) f.set_penalty_weights(1.0 / arma::square(kept_scale_vec));
  arma::vec theta;
  const binary_solve solved =
      solve_binary(f, dk, y01, weights, settings, kept_scale_vec, progress, theta, out.report,
                   [&](solver_kind& kind, arma::vec& start) { warm_start(Xk, y01, weights, C, ridge > 0, settings, f, kind, start); });
  const solver_report& rep = solved.rep;
  if (!l2) check_separation(f, Xk, true, theta, y01, kept_names, out.report);
  if (rep.reason != stop_reason::converged)
    out.warnings.push_back(non_convergence_warning(out.report, rep.reason, solved.suggest_newton));
  // Back to the original scale: w_j = v_j / scale_j, b = b_z - sum_j w_j mean_j; aliased columns get 0.
  out.coefficients.assign(d, 0.0);
  double b = settings.fit_intercept ? theta(dk) : 0.0;
  std::vector<double> kept_mean, kept_scale;
  for (arma::uword t = 0; t < dk; ++t) {
    const arma::uword j = kept[t];
    const double w = theta(t) / scale[j];
    out.coefficients[j] = w;
    b -= w * mean[j];
    kept_mean.push_back(mean[j]);
    kept_scale.push_back(scale[j]);
  }
  out.intercept = b;
  if (settings.standardize) {
    out.mean = mean;
    out.scale = scale;
  }

  // What inference needs, while the data are at hand (one more pass over them).
  if (R == 0 && dk + (settings.fit_intercept ? 1 : 0) <= inference_max_parameters) {
    std::vector<std::string> parameters;
    if (settings.fit_intercept) parameters.push_back("(Intercept)");
    parameters.insert(parameters.end(), kept_names.begin(), kept_names.end());
    inference_data inf = estimate_inference(Xk, y01, weights, theta, settings.fit_intercept, l2 ? settings.C : 0.0,
                                            kept_mean, kept_scale, parameters,
                                            settings.standardize ? arma::vec() : arma::vec(1.0 / arma::square(kept_scale_vec)));
    inf.aliased = out.aliased;
    if (inf.covariance.empty()) {
      out.warnings.push_back("the information matrix is singular: the model holds no standard errors (are some "
                             "features constant or collinear within the rows of one class?)");
    } else if (!l2 && inf.condition_number > ill_conditioned) {
      out.warnings.push_back("the information matrix is near-singular (condition number " + format_g(inf.condition_number) +
                             " after scaling to unit diagonal): some features are nearly collinear, so their estimates "
                             "and standard errors are unstable. Consider removing or combining them, or --penalty l2.");
    }
    out.inference = std::move(inf);
  }
  out.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

void store_binary_fit(model& m, binary_fit_result& fit, const fit_settings& settings, std::size_t n, double n_positive) {
  m.coefficients = std::move(fit.coefficients);
  m.intercept = fit.intercept;
  m.mean = std::move(fit.mean);
  m.scale = std::move(fit.scale);
  m.settings = settings;
  m.report = fit.report;
  m.n_rows = n;
  m.class_counts = {static_cast<double>(n) - n_positive, n_positive};
}

}  // namespace logreg
