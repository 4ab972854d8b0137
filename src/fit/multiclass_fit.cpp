#include "fit/multiclass_fit.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "fit/binary_fit.hpp"
#include "logreg/error.hpp"
#include "logreg/inference.hpp"
#include "objective/logistic_objective.hpp"
#include "stats/multinomial_covariance.hpp"
#include "objective/multinomial_objective.hpp"
#include "optim/owlqn_solver.hpp"
#include "optim/solver.hpp"

namespace logreg {

namespace {

// Runs the solver the settings ask for on f: OWL-QN when there is an L1 part (weight l1 on every
// variable but the intercepts), else Newton or L-BFGS. `variables_per_class` lays out theta.
solver_report solve(objective& f, arma::vec& theta, const fit_settings& settings, double l1, arma::uword block,
                    bool intercept, const arma::vec& l1_feature_weights, const progress_callbacks& progress,
                    std::string& solver_name) {
  solver_options opts;
  opts.tol = settings.tol;
  opts.max_iter = settings.max_iter;
  opts.on_iteration = progress.on_iteration;
  if (l1 > 0) {
    arma::vec weights(f.n_vars(), arma::fill::value(l1));
    const arma::uword d = block - (intercept ? 1 : 0);
    for (arma::uword k = 0; k < f.n_vars(); k += block) {
      if (!l1_feature_weights.is_empty()) weights.subvec(k, k + d - 1) %= l1_feature_weights;
      if (intercept) weights(k + d) = 0;
    }
    solver_name = "owlqn";
    return owlqn_solve(f, weights, theta, opts);
  }
  // Newton while its Hessian stays small (it is (K (d+1))^2 and costs K^2/2 passes to form).
  const solver_kind kind =
      settings.solver != solver_kind::automatic ? settings.solver : (f.n_vars() <= 200 ? solver_kind::newton : solver_kind::lbfgs);
  solver_name = to_string(kind);
  return kind == solver_kind::newton ? newton_solve(f, theta, opts) : lbfgs_solve(f, theta, opts);
}

std::string format_g(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

// The covariance of the estimates (multinomial_covariance.hpp), unless it would have more than
// inference_max_parameters rows: the contrasts against the first class without a penalty, every
// class's block with L2. Warns, as fit_binary does, when the information matrix is (near-)singular.
std::optional<inference_data> multinomial_inference(const arma::mat& X, const std::vector<std::uint32_t>& y,
                                                    const arma::vec& weights, const arma::mat& theta_z,
                                                    const fit_settings& settings, const std::vector<double>& mean,
                                                    const std::vector<double>& scale,
                                                    const std::vector<std::string>& class_names,
                                                    const std::vector<std::string>& feature_names,
                                                    std::vector<std::string>& warnings) {
  const bool penalised = settings.penalty != penalty_kind::none;
  const arma::uword K = theta_z.n_cols, q = theta_z.n_rows;
  if ((penalised ? K : K - 1) * q > inference_max_parameters || feature_names.size() != X.n_rows) return std::nullopt;
  std::vector<std::string> parameters;
  if (settings.fit_intercept) parameters.push_back("(Intercept)");
  parameters.insert(parameters.end(), feature_names.begin(), feature_names.end());
  const arma::vec s(scale);
  inference_data inf = estimate_multinomial_inference(X, y, weights, theta_z, settings.fit_intercept,
                                                      penalised ? settings.C : 0.0, mean, scale, class_names, parameters,
                                                      settings.standardize ? arma::vec() : arma::vec(1.0 / arma::square(s)));
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

void record(fit_report& report, const solver_report& rep, const std::string& solver, double factor, double tolerance) {
  report.status = to_string(rep.reason);
  report.solver = solver;
  report.iterations = rep.iterations;
  report.objective = factor * rep.objective;
  report.gradient_norm = factor * rep.gradient_norm;
  report.tolerance = factor * tolerance;
}

}  // namespace

multiclass_fit_result fit_multiclass(arma::mat& X, const std::vector<std::uint32_t>& y, arma::uword K,
                                     const arma::vec& weights, const fit_settings& settings,
                                     const progress_callbacks& progress, const std::vector<std::string>& feature_names,
                                     const std::vector<std::string>& class_names) {
  validate(settings);
  const auto t0 = std::chrono::steady_clock::now();
  multiclass_fit_result out;
  const arma::uword d = X.n_rows;
  // Always solved on standardised features; --no-standardize puts the penalty on the raw
  // coefficients through per-feature weights (see fit_binary).
  std::vector<double> mean, scale;
  standardize_in_place(X, settings.fit_intercept, mean, scale);
  const arma::vec s(scale);
  const arma::vec ridge_weights = settings.standardize ? arma::vec() : arma::vec(1.0 / arma::square(s));
  const arma::vec lasso_weights = settings.standardize ? arma::vec() : arma::vec(1.0 / s);
  const bool penalised = settings.penalty != penalty_kind::none;
  // As in fit_binary: with an elastic net (R < 1) the objective is minimised divided by (1 - R).
  const double R = settings.l1_weight(), ridge = settings.l2_weight();
  const double factor = ridge > 0 ? ridge : 1.0;
  const double C = penalised ? settings.C / factor : 1.0;
  const arma::uword block = d + (settings.fit_intercept ? 1 : 0);
  arma::mat theta_z(block, K, arma::fill::zeros);  // column k: class k's [w; b] in the fitted space

  if (settings.multiclass == multiclass_kind::multinomial) {
    multinomial_objective f(X, y, K, weights, C, ridge > 0 ? 1.0 : 0.0, settings.fit_intercept);
    f.set_penalty_weights(ridge_weights);
    arma::vec theta(f.n_vars(), arma::fill::zeros);
    std::string solver;
    const solver_report rep =
        solve(f, theta, settings, R / factor, block, settings.fit_intercept, lasso_weights, progress, solver);
    record(out.report, rep, solver, factor, settings.tol * f.gradient_scale());
    if (!penalised && rep.reason != stop_reason::max_iterations && f.n_vars() <= 2000) {
      // Separation, as in fit_binary: a further Newton step that keeps pushing well-classified
      // rows' margins (own score minus the best other) up means there is no finite optimum.
      arma::vec g;
      f.value_gradient(theta, g);
      arma::mat H;
      f.hessian(theta, H);
      const arma::vec step = newton_direction(H, g);
      const arma::mat Z = f.linear_scores(theta), dZ = f.linear_scores(step);
      arma::uword running = 0;
      for (arma::uword i = 0; i < Z.n_cols; ++i) {
        double margin = INFINITY, moved = INFINITY;
        for (arma::uword k = 0; k < K; ++k)
          if (k != y[i]) {
            margin = std::min(margin, Z(y[i], i) - Z(k, i));
            moved = std::min(moved, dZ(y[i], i) - dZ(k, i));
          }
        running += margin > 5 && moved > 1e-2;
      }
      if (running > 0)
        throw data_error("the classes are (quasi-)completely separated by the features: " + std::to_string(running) +
                         " of " + std::to_string(Z.n_cols) +
                         " rows are pushed towards probability 1 of their class without end, so the maximum-likelihood "
                         "estimates do not exist (they are infinite) and --penalty none cannot give a meaningful model. "
                         "Use --penalty l2 (the default; --C sets its strength).");
    }
    theta_z = arma::reshape(theta, block, K);
    // Softmax is unchanged when the same vector is added to every class's [w; b]: the unpenalised
    // intercepts (and, without a penalty, the weights) are identified only up to that. Centre
    // them to sum to 0 over the classes, the solution scikit-learn's solvers keep (they start from
    // 0 and the gradient's sum over classes is 0). With L2 the weights already sum to 0.
    const arma::vec centre = arma::mean(theta_z, 1);
    if (settings.fit_intercept) theta_z.row(d) -= centre(d);
    if (!penalised) theta_z.head_rows(d).each_col() -= centre.head(d);
    if (R == 0 && class_names.size() == K) out.inference = multinomial_inference(X, y, weights, theta_z, settings, mean, scale,
                                                                                class_names, feature_names, out.warnings);
  } else {
    // One binary model per class against all the others. The report: the worst status, the most
    // iterations, the sum of the K objectives and the largest gradient.
    bool first = true;
    double objective_sum = 0, gradient_max = 0;
    for (arma::uword k = 0; k < K; ++k) {
      arma::vec yk(y.size());
      for (std::size_t i = 0; i < y.size(); ++i) yk[i] = y[i] == k ? 1.0 : 0.0;
      // class_weight "balanced" balances each binary problem (as scikit-learn does for ovr):
      // n / (2 n_k) for the class, n / (2 (n - n_k)) for the rest.
      arma::vec wk = weights;
      if (settings.class_weight == "balanced") {
        const double nk = arma::accu(yk), n = static_cast<double>(yk.n_elem);
        if (wk.is_empty()) wk.ones(yk.n_elem);
        for (arma::uword i = 0; i < yk.n_elem; ++i) wk[i] *= yk[i] > 0.5 ? n / (2 * nk) : n / (2 * (n - nk));
      }
      logistic_objective f(X, yk, wk, C, ridge > 0, settings.fit_intercept);
      f.set_penalty_weights(ridge_weights);
      arma::vec theta(f.n_vars(), arma::fill::zeros);
      std::string solver;
      const solver_report rep =
          solve(f, theta, settings, R / factor, block, settings.fit_intercept, lasso_weights, progress, solver);
      fit_report r;
      record(r, rep, solver, factor, settings.tol * f.gradient_scale());
      if (!penalised) check_separation(f, X, true, theta, yk, feature_names, r);
      const int most = std::max(out.report.iterations, r.iterations);
      if (first || (out.report.converged() && !r.converged())) out.report = r;
      out.report.iterations = most;
      objective_sum += r.objective;
      gradient_max = std::max(gradient_max, r.gradient_norm);
      out.report.objective = objective_sum;
      out.report.gradient_norm = gradient_max;
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
  // Back to the original scale, class by class: w_j = v_j / scale_j, b = b_z - sum_j w_j mean_j.
  out.coefficients.assign(K, std::vector<double>(d, 0.0));
  out.intercepts.assign(K, 0.0);
  for (arma::uword k = 0; k < K; ++k) {
    double b = settings.fit_intercept ? theta_z(d, k) : 0.0;
    for (arma::uword j = 0; j < d; ++j) {
      const double w = theta_z(j, k) / scale[j];
      out.coefficients[k][j] = w;
      b -= w * mean[j];
    }
    out.intercepts[k] = b;
  }
  if (settings.standardize) {
    out.mean = mean;
    out.scale = scale;
  }
  out.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace logreg
