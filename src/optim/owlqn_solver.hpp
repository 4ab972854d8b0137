// OWL-QN (Andrew & Gao 2007, "Scalable training of L1-regularized log-linear models"):
//
//   minimise  F(theta) = f(theta) + sum_k l1_k |theta_k|
//
// for a smooth convex `objective` f and weights l1_k >= 0 (0 for unpenalised variables such as an
// intercept). L-BFGS run on the orthant-wise pseudo-gradient, with steps projected onto the current
// orthant, so that coefficients the penalty removes are exactly 0.
#pragma once
#include <armadillo>

#include "optim/objective.hpp"
#include "optim/solver.hpp"

namespace logreg {

// OWL-QN: L-BFGS on the orthant-wise pseudo-gradient with orthant projection; exact zeros.
// Converged when the pseudo-gradient's max|.| <= options.tol * f.gradient_scale().
//
// theta is the starting point on entry (n_vars elements) and the solution on return. The report's
// objective is F (with the L1 term), gradient_norm the pseudo-gradient's max|.|.
// Variables with l1_k == 0 are not held to an orthant: for them F is smooth and they move freely.
// Throws std::invalid_argument when l1 or theta does not have n_vars elements, some l1_k is
// negative or not finite, or memory < 1.
solver_report owlqn_solve(objective& f, const arma::vec& l1, arma::vec& theta, const solver_options& options,
                          int memory = 10);

// The pseudo-gradient of F at theta, given the gradient g of f there: for theta_k != 0 the
// derivative g_k + l1_k sign(theta_k); for theta_k == 0 the one-sided derivative that points
// downhill, g_k + l1_k if that is < 0, g_k - l1_k if that is > 0, else 0 (0 is optimal in k).
arma::vec owlqn_pseudo_gradient(const arma::vec& theta, const arma::vec& g, const arma::vec& l1);

}  // namespace logreg
