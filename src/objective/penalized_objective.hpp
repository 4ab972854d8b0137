// What a solver minimises: C times a loss plus a penalty, composed in this one place.
//
//   F(theta) = C * L(theta) + l2 * sum_j lambda_j w_j^2 / 2   [+ l1 * sum_j mu_j |w_j|, for OWL-QN]
//
// over every class's coefficients w (intercepts are never penalised). lambda_j = 1 / scale_j^2 and
// mu_j = 1 / scale_j put the penalty on the raw coefficients w_j / scale_j (--no-standardize: the
// solver still works in standardised coordinates); without scales they are 1. The smooth part is
// the objective (objective.hpp); the L1 part goes to OWL-QN as per-variable weights (l1_weights()).
#pragma once
#include <armadillo>

#include "objective/loss.hpp"
#include "optim/objective.hpp"

namespace logreg {

struct penalty {
  double l2 = 0;     // weight of sum_j lambda_j w_j^2 / 2 (0: none)
  double l1 = 0;     // weight of sum_j mu_j |w_j| (0: none)
  arma::vec scale;   // per feature: lambda_j = 1 / scale_j^2, mu_j = 1 / scale_j (empty: all 1)
};

class penalized_objective final : public objective {
 public:
  // L must outlive the objective.
  penalized_objective(loss& L, double C, penalty p);

  arma::uword n_vars() const override { return L_.n_vars(); }
  double value_gradient(const arma::vec& theta, arma::vec& g) override;
  void hessian(const arma::vec& theta, arma::mat& H) override;
  // The convergence test's unit: C * sum of row weights.
  double gradient_scale() const override { return C_ * L_.weight_sum(); }

  // Per variable: l1 * mu_j on coefficients, 0 on intercepts (OWL-QN's weights).
  arma::vec l1_weights() const;
  const penalty& terms() const { return p_; }
  loss& data_term() { return L_; }

 private:
  loss& L_;
  double C_;
  penalty p_;
  arma::vec lambda_;  // 1 / scale^2, or empty
};

}  // namespace logreg
