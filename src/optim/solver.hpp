// Solvers: they see only an objective (value + gradient, Hessian) and return why they stopped.
#pragma once
#include <armadillo>
#include <functional>
#include <string>

#include "optim/objective.hpp"
#include "logreg/progress.hpp"

namespace logreg {

enum class stop_reason {
  converged,           // max|gradient| <= tol * gradient_scale
  max_iterations,      // the iteration limit was reached first
  line_search_failed,  // no step decreased the objective enough (often: precision exhausted)
  diverged,            // the objective became infinite or NaN
};

std::string to_string(stop_reason r);
stop_reason parse_stop_reason(const std::string& text);

struct solver_options {
  double tol = 1e-10;
  int max_iter = 1000;
  std::function<void(const iteration_info&)> on_iteration;
  // Newton: keep the Hessian from one iteration to the next while the gradient falls at least
  // a hundredfold per iteration (a chord step is then almost a Newton step, for one pass instead of
  // two); a slower fall brings a fresh Hessian. For many fits of nearby problems (cv, path): on
  // 100,000 x 50 with 10 folds and 20 values of C it saved 27 % of the passes.
  bool reuse_hessian = false;
  // Newton: when > 0, the gradient test is not enough: at a point that meets it, the Newton step
  // from the last Hessian, H^-1 g (no pass over the data), must also be at most step_tol relative
  // to max(||theta||_2, 1), else the iteration goes on while that estimate keeps shrinking tenfold
  // (a step that no longer shrinks, or a step that fails, ends it as converged at the best point).
  // A gradient test alone left 2e-6 relative error on digits at C = 100 (fit/solve.hpp).
  double step_tol = 0;
  // Directions along which the objective is constant (columns; may be empty), kept out of that
  // estimate (s u u^T added to H for each, as in newton_polish.hpp).
  arma::mat invariant;
};

struct solver_report {
  stop_reason reason = stop_reason::max_iterations;
  int iterations = 0;
  double objective = 0;
  double gradient_norm = 0;  // max|gradient| at the end
  int evaluations = 0;       // objective + gradient evaluations
  // L-BFGS and OWL-QN, when they converged: an estimate of the relative distance to the optimum,
  // ||g||_2 / c_min / max(||theta||_2, 1), with c_min the smallest curvature s'y / s's along the
  // steps they keep (for OWL-QN, g: the pseudo-gradient of the variables not at 0). The error a
  // gradient test leaves is H^-1 g; late steps follow the directions of least curvature, which
  // decide it. (Their own next step, H_k g, underestimated it 40-300 fold on ill-conditioned data.)
  // 0 without curvature pairs (converged where it started) and for Newton.
  double step_estimate = 0;
};

// The Newton direction p = -H^-1 g by Cholesky; while H is not numerically positive definite
// (e.g. a constant column without a penalty) mu I is added, mu growing tenfold from 1e-12 max|H_jj|.
arma::vec newton_direction(const arma::mat& H, const arma::vec& g);

// Newton's method with the exact Hessian (Cholesky; a growing multiple of I is added when the
// Hessian is not numerically positive definite) and a backtracking Armijo line search.
solver_report newton_solve(objective& f, arma::vec& theta, const solver_options& options);

// L-BFGS (two-loop recursion, `memory` pairs) with a line search satisfying the strong Wolfe conditions.
solver_report lbfgs_solve(objective& f, arma::vec& theta, const solver_options& options, int memory = 10);

}  // namespace logreg
