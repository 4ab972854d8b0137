// Binary logistic regression objective, scikit-learn's and LIBLINEAR's:
//
//   f(w, b) = C * sum_i c_i * log(1 + exp(-s_i (x_i.w + b)))  +  (l2 ? ||w||^2 / 2 : 0)
//
// s_i in {-1, +1}, c_i >= 0 sample weights (all 1 by default). The intercept b is never penalised.
// theta = [w; b] (b present only with an intercept). X is d x n, one column per observation.
//
//   gradient: g_w = C X r + w,  g_b = C sum r,          r_i = c_i (p_i - y_i), p_i = sigmoid(z_i)
//   Hessian:  H_ww = C X D X' + I, H_wb = C X D 1, H_bb = C sum D,   D_ii = c_i p_i (1 - p_i)
#pragma once
#include <armadillo>
#include <vector>

#include "optim/objective.hpp"

namespace logreg {

class logistic_objective final : public objective {
 public:
  // y01[i] = 1 for the positive class. weights may be empty (all 1). X must outlive the objective.
  logistic_objective(const arma::mat& X, const arma::vec& y01, const arma::vec& weights, double C,
                     bool l2_penalty, bool fit_intercept);

  arma::uword n_vars() const override { return d_ + (intercept_ ? 1 : 0); }
  double value_gradient(const arma::vec& theta, arma::vec& g) override;
  void hessian(const arma::vec& theta, arma::mat& H) override;
  double gradient_scale() const override { return scale_; }

  // Per-feature weights of the L2 term: ||w||^2 / 2 becomes sum_j lambda_j w_j^2 / 2. Solving in
  // standardised coordinates v = scale * w with lambda_j = 1 / scale_j^2 is the raw-feature problem,
  // exactly, but far better conditioned.
  void set_penalty_weights(arma::vec lambda) { lambda_ = std::move(lambda); }
  const arma::vec& penalty_weights() const { return lambda_; }

  // Linear scores z = X' w + b for theta. Not thread-parallel: for checks, not for solver passes.
  arma::vec scores(const arma::vec& theta) const;

 private:
  const arma::mat& X_;
  arma::vec y_;
  arma::vec c_;  // sample weights (ones when none given)
  double C_;
  bool l2_, intercept_;
  arma::vec lambda_;  // empty: all 1
  arma::uword d_, n_;
  double scale_;
  arma::vec D_;        // Hessian weights c_i p_i (1 - p_i) from the last value_gradient() ...
  arma::vec D_theta_;  // ... and the theta they belong to
  std::vector<arma::mat> hessian_blocks_;  // per thread: a block of X scaled by sqrt(D), kept between calls
};

}  // namespace logreg
