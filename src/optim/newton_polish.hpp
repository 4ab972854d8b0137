// The Newton polish: full Newton steps with the exact Hessian from a point where a first-order
// solver (L-BFGS, OWL-QN) met its gradient tolerance, to the optimum's last digits.
//
// A gradient test leaves the error H^-1 g, which on ill-conditioned problems (correlated features)
// is far larger than the gradient: max|g| <= 1e-10 C n left 5 significant digits on scikit-learn's
// digits. Near the optimum Newton's method converges quadratically, and one Hessian is good for
// several steps there (chord steps: each one evaluation, the error shrinking by the Hessian's
// relative change), so the polish costs about one Hessian and two or three passes.
//
//   minimise F(theta) = f(theta) + sum_k l1_k |theta_k|      (l1 empty or all 0: F = f)
//
// The steps move only the free variables: every one when F is smooth; with an L1 part, the
// non-zero variables and those with l1_k == 0, with their signs fixed (on that face F is smooth).
// The variables at 0 stay there. A step is taken when
//   - it is shorter than a tenth of the previous one (quadratic convergence; a step that no longer
//     shrinks is rounding noise and ends the polish untaken),
//   - no variable with l1_k > 0 changes sign or reaches 0 (else the face is wrong: the polish ends),
//   - at the new point F is not above F at the start beyond its rounding (1e-12 |F|) and the
//     pseudo-gradient's max|.| (over all variables, so also the optimality of the zeros) is not
//     above its value at the start, which met the tolerance: a polished point meets it too.
// Otherwise the polish ends at the last point taken. It ends too when a step is below 1e-13 of
// theta (relative, 2-norm), i.e. at the resolution of doubles.
//
// `invariant`: directions along which f is constant (columns, n_vars rows; may be empty), such as
// the common shift of the multinomial intercepts: the Hessian is singular along them, so s u u' is
// added for each (s: the Hessian's largest diagonal entry) on the free variables, which keeps the
// step out of them (the gradient is 0 along them).
#pragma once
#include <armadillo>

#include "optim/objective.hpp"
#include "optim/solver.hpp"

namespace logreg {

struct polish_report {
  int steps = 0;        // Newton steps taken
  int hessians = 0;     // Hessians computed
  int evaluations = 0;  // objective + gradient evaluations
  double objective = 0;      // F at the end
  double gradient_norm = 0;  // max|pseudo-gradient| at the end
};

// theta: the converged point on entry, the polished one on return (unchanged when no step is taken).
polish_report newton_polish(objective& f, const arma::vec& l1, const arma::mat& invariant, arma::vec& theta,
                            const solver_options& options, int max_steps = 6);

}  // namespace logreg
