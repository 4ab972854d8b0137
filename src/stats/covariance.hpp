// The covariance of the estimates and the likelihoods, estimated at the end of a fit while the data
// are at hand; stored in the model (inference_data) for `inspect`.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "data/design.hpp"
#include "logreg/model.hpp"

namespace logreg {

// theta = [w; b] was fitted on the design X (its standardised coordinates: x = mean + scale * x~;
// empty: not standardised). C > 0 for the L2 objective
// C * sum_i c_i log(1 + exp(-s_i z_i)) + ||w||^2 / 2, 0 without a penalty. parameter_names are
// "(Intercept)" (when fitted) and then the d feature names.
//
// With H = sum_i c_i p_i (1 - p_i) x~_i x~_i' (x~ = [x; 1]), the observed information of the
// log-likelihood, and for L2 H + I/C on the w block (the penalised information, i.e. the Laplace
// approximation under the prior w ~ N(0, C I)):
//   covariance      H^-1
//   covariance_hc0  H^-1 (sum_i c_i (y_i - p_i)^2 x~_i x~_i') H^-1   (statsmodels' cov_type='HC0')
// both computed in X's space (well conditioned when standardised) and carried to the original
// scale by the Jacobian of w = v / scale, b = b_z - sum_j w_j mean_j. The weights c_i count as
// frequencies (nobs = sum c_i). One pass over X. penalty_weights (per feature, empty: all 1) weight
// the L2 term as in penalized_objective.hpp.
inference_data estimate_inference(const design& X, const arma::vec& y01, const arma::vec& weights,
                                  const arma::vec& theta, bool fit_intercept, double C,
                                  const std::vector<double>& mean, const std::vector<double>& scale,
                                  const std::vector<std::string>& parameter_names,
                                  const arma::vec& penalty_weights = {}, std::string* not_representable = nullptr);

// The first row i of R = J V J' (V in X's space, R on the original scale) whose variance does not
// fit in doubles: infinite, or positive in V but lost to underflow (the covariance of a feature of
// extreme magnitude divides by scale^2). SIZE_MAX when every variance fits. The estimates then store
// no covariance, and not_representable (when given) receives the parameter's name.
arma::uword unrepresentable_variance(const arma::mat& J, const arma::mat& V, const arma::mat& R);

// Inverts the symmetric positive definite H after scaling it to unit diagonal (so that the units of
// the parameters do not matter); condition_number is that of the scaled matrix (infinity when it is
// singular). False, with Hinv untouched, when H cannot be inverted.
bool inverse_at_unit_diagonal(const arma::mat& H, arma::mat& Hinv, double& condition_number);

}  // namespace logreg
