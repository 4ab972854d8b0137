// For the solver tests: the binary logistic objective C * loss + (l2 ? ||w||^2 / 2 : 0) on a dense
// X (d x n), composed as the fits compose it (logistic_loss + penalized_objective).
#pragma once
#include <armadillo>

#include "data/dense_design.hpp"
#include "objective/logistic_loss.hpp"
#include "objective/penalized_objective.hpp"

namespace test {

class logistic_objective final : public logreg::objective {
 public:
  logistic_objective(const arma::mat& X, const arma::vec& y01, const arma::vec& weights, double C, bool l2,
                     bool intercept)
      : X_(X.memptr(), X.n_rows, X.n_cols), loss_(X_, y01, weights, intercept), f_(loss_, C, ridge(l2)) {}

  arma::uword n_vars() const override { return f_.n_vars(); }
  double value_gradient(const arma::vec& theta, arma::vec& g) override { return f_.value_gradient(theta, g); }
  void hessian(const arma::vec& theta, arma::mat& H) override { f_.hessian(theta, H); }
  double gradient_scale() const override { return f_.gradient_scale(); }

 private:
  static logreg::penalty ridge(bool l2) {
    logreg::penalty p;
    p.l2 = l2 ? 1.0 : 0.0;
    return p;
  }
  logreg::dense_design X_;
  logreg::logistic_loss loss_;
  logreg::penalized_objective f_;
};

}  // namespace test
