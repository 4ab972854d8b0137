// Proximal Newton for L1 (and elastic net) on problems with few variables: the approach of glmnet
// and LIBLINEAR's newGLMNET (Yuan, Ho & Lin 2012, "An improved GLMNET for L1-regularized logistic
// regression").
//
//   minimise  F(theta) = f(theta) + sum_k l1_k |theta_k|
//
// Each iteration builds the quadratic model of the smooth part f at theta from its exact gradient
// g and Hessian H, and minimises that model plus the L1 term by cyclic coordinate descent
// (soft-thresholding; exact zeros) in the n_vars-dimensional space: no pass over the data, O(n^2)
// per sweep. A backtracking line search on F along the direction d found that way keeps every step
// a descent. Near the optimum the steps are Newton steps on the face of the non-zero variables, so
// the convergence is quadratic: a handful of passes where OWL-QN takes a hundred. Each iteration
// costs one Hessian and one evaluation per trial step: worth it when a Hessian is cheap (few
// variables, many rows), which is where the smooth fits use Newton too.
//
// Converged, as OWL-QN, when the pseudo-gradient's max|.| <= options.tol * f.gradient_scale(); the
// report's objective is F, gradient_norm the pseudo-gradient's max|.|. Variables with l1_k == 0
// (intercepts) are not penalised.
#pragma once
#include <armadillo>

#include "optim/objective.hpp"
#include "optim/solver.hpp"

namespace logreg {

solver_report prox_newton_solve(objective& f, const arma::vec& l1, arma::vec& theta, const solver_options& options);

// The inner problem, exposed for tests: d minimising g'd + d'Hd/2 + sum_k l1_k |theta_k + d_k| by
// cyclic coordinate descent, until no coordinate moves by more than `tol` (relative to
// max(1, |theta_k + d_k|)) or after max_sweeps sweeps. Returns the number of sweeps.
int prox_newton_direction(const arma::mat& H, const arma::vec& g, const arma::vec& l1, const arma::vec& theta,
                          arma::vec& d, double tol = 1e-13, int max_sweeps = 1000);

}  // namespace logreg
