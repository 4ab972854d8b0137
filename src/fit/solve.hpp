// The one solve step of every fit (binary, multinomial, each one-vs-rest problem): the user's
// objective from the settings, the solver choice, the OWL-QN routing and the fit report.
//
// The user's objective is scikit-learn's, C * L + R ||w||_1 + (1 - R) / 2 ||w||^2 (R = l1_ratio: 1
// for l1, 0 for l2, no penalty term for none). When R < 1 it is minimised divided by (1 - R), so
// that its smooth part is C / (1 - R) * L + ||w||^2 / 2 (penalized_objective's form) plus
// R / (1 - R) ||w||_1; without a penalty C only rescales it and is 1. The report gives the user's
// objective and gradient (times 1 - R back).
#pragma once
#include <armadillo>
#include <functional>
#include <string>

#include "logreg/model.hpp"
#include "logreg/progress.hpp"
#include "logreg/settings.hpp"
#include "objective/loss.hpp"
#include "objective/penalized_objective.hpp"
#include "optim/solver.hpp"

namespace logreg {

// The solver `auto` picks, for every kind of fit: Newton while its Hessian is cheap next to the
// iterations it saves, L-BFGS above. One score (a binary or one-vs-rest fit): up to 301
// coefficients (300 features and the intercept; the Hessian costs n m^2 per iteration and Newton
// converges in a handful). K scores (multinomial): up to 200 coefficients in all, since its Hessian
// takes K(K+1)/2 Gram passes and L-BFGS needs few iterations on the softmax (on 200,000 x 50 with 5
// classes, 255 coefficients: Newton 6 iterations in 3.6 s, L-BFGS 26 in 2.7 s).
solver_kind automatic_solver(const variable_layout& v);

// Accuracy beyond the gradient test. On ill-conditioned data (correlated features) max|g| <= tol C n
// leaves an error H^-1 g far above the gradient (5 significant digits on scikit-learn's digits), so
// the default fit also bounds the estimated relative distance to the optimum by tol (1e-10):
//   - Newton: a step test at the end (solver_options::step_tol, from the last Hessian; further
//     Newton iterations while it fails and keeps shrinking);
//   - L-BFGS and OWL-QN: a Newton polish (optim/newton_polish.hpp) after convergence, when
//       the problem has at most polish_max_variables variables (a dense Hessian and its Cholesky),
//       the solver's estimate of the relative distance left (solver_report::step_estimate) is
//       above tol (on well-conditioned data the gradient test already leaves less: nothing
//       changes), and
//       a Hessian costs at most polish_cost_share of the evaluations the solver made
//       (loss::hessian_cost): ill-conditioned fits take many iterations, and there the polish (a
//       Hessian and two or three passes) is a small part of the fit; a fast fit is not slowed.
inline constexpr arma::uword polish_max_variables = 1000;
inline constexpr double polish_cost_share = 0.25;
bool polish_wanted(const loss& L, const solver_report& rep, double tol);

// The objective a loss is minimised with under these settings. raw_scale: the features' scales
// when !settings.standardize (the penalty then applies to the raw coefficients), else ignored.
struct problem {
  double C = 1;       // the loss's multiplier in the minimised objective
  double factor = 1;  // the user's objective = factor * the minimised one
  penalty terms;
  // One of the many warm-started fits along a grid of C (cv's folds, path; fit_path). solve() then
  //   - keeps Newton's Hessian while the gradient falls fast (solver_options::reuse_hessian);
  //   - skips the accuracy checks beyond the gradient test (Newton's step test, the Newton polish;
  //     above): a fold's score needs far fewer digits than a model, and the checks cost 7 % of a
  //     10-fold, 20-C cv (3.12 s -> 2.89 s); the model cv -m writes is train's fit;
  //   - fits L1 and elastic net by proximal Newton (optim/prox_newton_solver.hpp) instead of
  //     OWL-QN where the smooth fits would use Newton (few variables).
  bool along_path = false;
};
problem make_problem(const fit_settings& settings, const arma::vec& raw_scale);

struct solve_outcome {
  solver_report rep;
  bool suggest_newton = false;  // a smooth fit that ran L-BFGS (for the non-convergence advice)
};

// Minimises the problem's objective on L from theta (its starting point; the solution on return)
// and fills report (status, solver, iterations, objective, gradient, tolerance). before_solve may
// change the smooth solver's starting point (a warm start); it is not called for OWL-QN.
solve_outcome solve(loss& L, const problem& pb, const fit_settings& settings, const progress_callbacks& progress,
                    arma::vec& theta, fit_report& report,
                    const std::function<void(penalized_objective&, solver_kind, arma::vec&)>& before_solve = {});

// The warning for a fit that stopped without converging: what happened and what to change.
std::string non_convergence_warning(const fit_report& report, stop_reason reason, bool suggest_newton);

}  // namespace logreg
