// Multinomial (softmax) logistic regression objective with scikit-learn's parameterisation: one
// weight vector and one intercept per class (K classes, all penalised alike, intercepts never):
//
//   f(W, b) = C * sum_i c_i [ log sum_k exp(z_ik) - z_{i,y_i} ]  +  l2 * ||W||_F^2 / 2,
//   z_i = W' x_i + b,   W is d x K.
//
//   gradient: G_W = C X R' + l2 W,  g_b = C R 1,     R_ki = c_i (p_ik - [y_i = k])
//   Hessian:  block (a, b) = C sum_i c_i p_ia ([a = b] - p_ib) [x_i; 1][x_i; 1]'  (+ l2 I on W)
//
// theta holds K blocks of d (+ 1) values: class k's weights, then its intercept.
// X is d x n, one column per observation (as everywhere in logreg).
#pragma once
#include <armadillo>
#include <cstdint>
#include <vector>

#include "optim/objective.hpp"

namespace logreg {

class multinomial_objective final : public objective {
 public:
  // y[i] in [0, K): the class of observation i. weights may be empty (all 1). l2 multiplies
  // ||W||^2 / 2 (0: no penalty; 1: scikit-learn's L2; 1 - R: the L2 part of an elastic net).
  multinomial_objective(const arma::mat& X, std::vector<std::uint32_t> y, arma::uword K, const arma::vec& weights,
                        double C, double l2, bool fit_intercept);

  arma::uword n_vars() const override { return K_ * block_; }
  double value_gradient(const arma::vec& theta, arma::vec& g) override;
  void hessian(const arma::vec& theta, arma::mat& H) override;
  double gradient_scale() const override { return scale_; }

  // Per-feature weights of the L2 term (the same for every class); see logistic_objective.
  void set_penalty_weights(arma::vec lambda) { lambda_ = std::move(lambda); }

  // Linear scores W' x_i + b (K x n) for theta.
  arma::mat linear_scores(const arma::vec& theta) const {
    arma::mat Z;
    scores(theta, 0, n_, Z);
    return Z;
  }

  // Class probabilities (K x n) for theta.
  arma::mat probabilities(const arma::vec& theta) const;

 private:
  // Z = W' X_b + b for observations [lo, lo + len): K x len.
  void scores(const arma::vec& theta, arma::uword lo, arma::uword len, arma::mat& Z) const;

  const arma::mat& X_;
  std::vector<std::uint32_t> y_;
  arma::uword K_, d_, n_, block_;
  arma::vec c_;
  double C_, l2_;
  arma::vec lambda_;  // empty: all 1
  bool intercept_;
  double scale_;
};

}  // namespace logreg
