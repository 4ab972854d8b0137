// A loss: the data term of an objective, sum_i c_i l_i(theta), over the observations of a design
// (design.hpp), with its gradient and Hessian in theta — the coefficients in the design's
// (standardised) coordinates and the intercepts. A loss knows nothing of C, of penalties or of
// solvers: penalized_objective.hpp composes it with those into what a solver minimises.
//
// Sums over observations go through the design's fixed chunks, each chunk's partial sum kept
// apart and added in chunk order: the same bits for any number of threads.
#pragma once
#include <armadillo>

namespace logreg {

// How theta is laid out: `classes` blocks (1 for a binary loss) of `features` coefficients, each
// followed by its intercept when there is one. Penalties apply to the coefficients only.
struct variable_layout {
  arma::uword features = 0;
  arma::uword classes = 1;
  bool intercept = true;
  arma::uword block() const { return features + (intercept ? 1 : 0); }
  arma::uword n_vars() const { return classes * block(); }
};

class loss {
 public:
  virtual ~loss() = default;
  virtual const variable_layout& layout() const = 0;
  arma::uword n_vars() const { return layout().n_vars(); }
  // sum_i c_i l_i(theta), with its gradient written to g, from one pass over the data.
  virtual double value_gradient(const arma::vec& theta, arma::vec& g) = 0;
  // The exact Hessian at theta (n_vars x n_vars, symmetric).
  virtual void hessian(const arma::vec& theta, arma::mat& H) = 0;
  // sum_i c_i: the size of a "unit" gradient (the convergence test's yardstick).
  virtual double weight_sum() const = 0;
  // The cost of one hessian() in value_gradient() passes, roughly (from the design's work
  // estimates): what the Newton polish weighs against the iterations a fit took (fit/solve.hpp).
  virtual double hessian_cost() const = 0;
};

}  // namespace logreg
