// The optimisation problem as solvers see it: a smooth convex function of a parameter vector.
// Solvers know nothing of data, losses or penalties; losses know nothing of solvers.
#pragma once
#include <armadillo>

namespace logreg {

class objective {
 public:
  virtual ~objective() = default;
  virtual arma::uword n_vars() const = 0;
  // f(theta), with its gradient written to g, from one pass over the data.
  virtual double value_gradient(const arma::vec& theta, arma::vec& g) = 0;
  // The exact Hessian at theta (n_vars x n_vars, symmetric).
  virtual void hessian(const arma::vec& theta, arma::mat& H) = 0;
  // Size of a "unit" gradient: the convergence test is max|g| <= tol * gradient_scale().
  virtual double gradient_scale() const { return 1.0; }
};

}  // namespace logreg
