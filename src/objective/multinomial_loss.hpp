// The multinomial (softmax) loss with scikit-learn's parameterisation: one coefficient vector and
// one intercept per class (K classes):
//
//   L(W, b) = sum_i c_i [ log sum_k exp(z_ik) - z_{i,y_i} ],   z_i = W' x~_i + b,   W is d x K
//
//   gradient: G_W = X~ R',  g_b = R 1,          R_ki = c_i (p_ik - [y_i = k])
//   Hessian:  block (a, b) = sum_i c_i p_ia ([a = b] - p_ib) [x~_i; 1][x~_i; 1]'
//
// theta holds K blocks of d (+ 1) values: class k's coefficients, then its intercept.
#pragma once
#include <armadillo>
#include <cstdint>
#include <vector>

#include "data/design.hpp"
#include "objective/loss.hpp"

namespace logreg {

class multinomial_loss final : public loss {
 public:
  // y[i] in [0, K): the class of observation i. weights may be empty (all 1). X must outlive the loss.
  multinomial_loss(const design& X, std::vector<std::uint32_t> y, arma::uword K, const arma::vec& weights,
                   bool fit_intercept);

  const variable_layout& layout() const override { return layout_; }
  double value_gradient(const arma::vec& theta, arma::vec& g) override;
  void hessian(const arma::vec& theta, arma::mat& H) override;
  double weight_sum() const override { return weight_sum_; }
  const design& data() const { return X_; }
  double hessian_cost() const override { return 0.5 * static_cast<double>(layout_.classes + 1) * X_.gram_work() / X_.pass_work(); }

  // Linear scores W' x~_i + b (K x n) for theta.
  arma::mat linear_scores(const arma::vec& theta) const;
  // Class probabilities (K x n) for theta.
  arma::mat probabilities(const arma::vec& theta) const;

 private:
  // The standardised scores of observations [lo, lo + len) into Z (K x len).
  void scores(const arma::mat& U, const arma::vec& offsets, arma::uword lo, arma::uword len, arma::mat& Z) const;
  void coefficients(const arma::vec& theta, arma::mat& U, arma::vec& offsets) const;

  const design& X_;
  std::vector<std::uint32_t> y_;
  double weight(arma::uword i) const { return c_.is_empty() ? 1.0 : c_[i]; }

  arma::vec c_;  // row weights, empty when all are 1
  variable_layout layout_;
  double weight_sum_;
  std::vector<gram_workspace> workspaces_;  // per thread, kept between Hessians
  std::vector<arma::mat> partial_H_;         // per chunk, kept between Hessians
  std::vector<arma::vec> partial_xv_;
};

}  // namespace logreg
