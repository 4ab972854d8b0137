#include <cmath>
#include <limits>

#include "optim/solver.hpp"

namespace logreg {

namespace {
constexpr double eps = std::numeric_limits<double>::epsilon();
}  // namespace

arma::vec newton_direction(const arma::mat& H, const arma::vec& g) {
  arma::mat L, Hm;
  const double top = std::max(arma::abs(H.diag()).max(), 1e-300);
  double mu = 0;
  for (int attempt = 0; attempt < 30; ++attempt) {
    Hm = H;
    if (mu > 0) Hm.diag() += mu;
    if (arma::chol(L, Hm, "lower")) {
      // Plain triangular solves: Armadillo's default would estimate the condition number and, below
      // eps, swap in an approximate (SVD) solution that zeroes the well-determined components too
      // (a raw-scale penalty of 1e36 on one feature, --no-standardize, left every other step 0).
      const arma::vec y = arma::solve(arma::trimatl(L), -g, arma::solve_opts::fast);
      return arma::solve(arma::trimatu(L.t()), y, arma::solve_opts::fast);
    }
    mu = (mu == 0) ? top * 1e-12 : mu * 10;
  }
  return -g;  // steepest descent as the last resort
}

solver_report newton_solve(objective& f, arma::vec& theta, const solver_options& options) {
  solver_report rep;
  arma::vec g, g_new, trial;
  double fx = f.value_gradient(theta, g);
  rep.evaluations = 1;
  const double scale = f.gradient_scale();
  arma::mat H;
  double previous_norm = INFINITY;
  double met_estimate = INFINITY;  // the step test's last estimate, at met_theta
  arma::vec met_theta;             // the last point that met the gradient test (empty: none yet)
  solver_report met_rep;
  for (;;) {
    rep.objective = fx;
    rep.gradient_norm = arma::norm(g, "inf");
    if (!std::isfinite(fx) || !std::isfinite(rep.gradient_norm)) {
      rep.reason = stop_reason::diverged;
      return rep;
    }
    if (rep.gradient_norm <= options.tol * scale) {
      // The step test (solver_options::step_tol), from the last Hessian.
      double estimate = 0;
      if (options.step_tol > 0 && !H.is_empty()) {
        arma::mat Hu = H;
        const double top = std::max(arma::abs(H.diag()).max(), 1e-300);
        for (arma::uword c = 0; c < options.invariant.n_cols; ++c) {
          const arma::vec u = arma::normalise(options.invariant.col(c));
          Hu += top * (u * u.t());
        }
        estimate = arma::norm(newton_direction(Hu, g), 2) / std::max(arma::norm(theta, 2), 1.0);
      }
      if (!(estimate > options.step_tol) || !(estimate < 0.1 * met_estimate) || rep.iterations >= options.max_iter) {
        rep.reason = stop_reason::converged;
        return rep;
      }
      met_estimate = estimate;
      met_theta = theta;
      met_rep = rep;
      met_rep.reason = stop_reason::converged;
      H.reset();  // a fresh Hessian for the next step
    } else if (!met_theta.is_empty()) {
      // a step past the tolerance made the gradient worse: back to the point that met it
      theta = met_theta;
      met_rep.iterations = rep.iterations;
      met_rep.evaluations = rep.evaluations;
      return met_rep;
    }
    if (rep.iterations >= options.max_iter) {
      rep.reason = stop_reason::max_iterations;
      return rep;
    }
    if (!options.reuse_hessian || H.is_empty() || rep.gradient_norm > 0.01 * previous_norm) f.hessian(theta, H);
    previous_norm = rep.gradient_norm;
    const arma::vec p = newton_direction(H, g);
    const double slope = arma::dot(g, p);
    // Armijo backtracking from the full Newton step. Close to the optimum the predicted decrease
    // -slope/2 falls below the rounding noise of f (a sum over n rows), so f can no longer judge a
    // step; there the full step is taken when f stays within the noise and the gradient shrinks,
    // which is what the quadratic convergence of Newton's method promises.
    const double noise = 1e-12 * std::max(1.0, std::fabs(fx));
    const double g_norm = arma::norm(g, "inf");
    double t = 1.0;
    bool accepted = false;
    double f_new = fx;
    for (int k = 0; k < 60; ++k) {
      trial = theta + t * p;
      f_new = f.value_gradient(trial, g_new);
      ++rep.evaluations;
      if (std::isfinite(f_new) && f_new <= fx + 1e-4 * t * slope + 4 * eps * std::fabs(fx)) {
        accepted = true;
        break;
      }
      if (k == 0 && std::isfinite(f_new) && -slope <= noise && f_new <= fx + noise &&
          arma::norm(g_new, "inf") < g_norm) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted || slope >= 0) {
      if (!met_theta.is_empty()) {  // past the tolerance: theta met it at the top of this iteration
        rep.reason = stop_reason::converged;
        return rep;
      }
      rep.reason = stop_reason::line_search_failed;
      return rep;
    }
    const bool moved = arma::any(trial != theta);
    theta = trial;
    g = g_new;
    fx = f_new;
    ++rep.iterations;
    if (options.on_iteration) options.on_iteration({rep.iterations, fx, arma::norm(g, "inf"), t});
    if (!moved) {  // precision exhausted before the tolerance was met
      rep.objective = fx;
      rep.gradient_norm = arma::norm(g, "inf");
      rep.reason = rep.gradient_norm <= options.tol * scale ? stop_reason::converged : stop_reason::line_search_failed;
      return rep;
    }
  }
}

}  // namespace logreg
