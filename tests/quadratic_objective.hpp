// A test objective with a known minimum, for the solver tests.
#pragma once
#include <armadillo>

#include "optim/objective.hpp"

namespace test {

// f(x) = 1/2 (x - c)' A (x - c): the minimum is c.
class quadratic final : public logreg::objective {
 public:
  quadratic(arma::mat A, arma::vec c) : A_(std::move(A)), c_(std::move(c)) {}
  arma::uword n_vars() const override { return c_.n_elem; }
  double value_gradient(const arma::vec& x, arma::vec& g) override {
    g = A_ * (x - c_);
    return 0.5 * arma::dot(x - c_, g);
  }
  void hessian(const arma::vec&, arma::mat& H) override { H = A_; }

 private:
  arma::mat A_;
  arma::vec c_;
};

}  // namespace test
