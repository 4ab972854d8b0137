// The binary logistic loss (scikit-learn's and LIBLINEAR's data term):
//
//   L(w, b) = sum_i c_i log(1 + exp(-s_i (x~_i.w + b)))
//
// s_i in {-1, +1}, c_i >= 0 row weights (all 1 by default), x~_i the design's (standardised)
// observation i. theta = [w; b] (b only with an intercept).
//
//   gradient: g_w = X~ r,  g_b = sum r,              r_i = c_i (p_i - y_i), p_i = sigmoid(z_i)
//   Hessian:  H_ww = X~ D X~', H_wb = X~ D 1, H_bb = sum D,   D_ii = c_i p_i (1 - p_i)
#pragma once
#include <armadillo>
#include <vector>

#include "data/design.hpp"
#include "objective/loss.hpp"

namespace logreg {

class logistic_loss final : public loss {
 public:
  // y01[i] = 1 for the positive class. weights may be empty (all 1). X must outlive the loss.
  logistic_loss(const design& X, const arma::vec& y01, const arma::vec& weights, bool fit_intercept);

  const variable_layout& layout() const override { return layout_; }
  double value_gradient(const arma::vec& theta, arma::vec& g) override;
  void hessian(const arma::vec& theta, arma::mat& H) override;
  double weight_sum() const override { return weight_sum_; }
  double hessian_cost() const override { return X_.gram_work() / X_.pass_work(); }

  const design& data() const { return X_; }
  // Linear scores z = X~' w + b for theta (one pass; for checks).
  arma::vec scores(const arma::vec& theta) const;

 private:
  const design& X_;
  double weight(arma::uword i) const { return c_.is_empty() ? 1.0 : c_[i]; }

  arma::vec y_, c_;  // c_: row weights, empty when all are 1
  variable_layout layout_;
  double weight_sum_;
  arma::vec D_, D_theta_;                     // Hessian weights from the last value_gradient(), and their theta
  std::vector<arma::vec> partial_g_;          // per chunk, kept between passes
  std::vector<gram_workspace> workspaces_;    // per thread, kept between Hessians
  std::vector<arma::mat> partial_H_;          // per chunk, kept between Hessians
  std::vector<arma::vec> partial_hwb_;
};

}  // namespace logreg
