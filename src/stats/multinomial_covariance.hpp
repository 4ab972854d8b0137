// The covariance of a multinomial (softmax) fit's estimates and its likelihoods, estimated at the
// end of the fit while the data are at hand; stored in the model (inference_data) for `inspect`.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

#include "data/design.hpp"
#include "logreg/model.hpp"

namespace logreg {

// theta (q x K, q = d + 1 with an intercept, else d; column k = class k's [w_k; b_k]) was fitted on
// the design X (its standardised coordinates: x = mean + scale * x~), y[i] in [0, K), row
// weights c_i (empty: 1; they count as frequencies, nobs = sum c_i). classes are the K labels and
// parameter_names the q names of a block ("(Intercept)" first when fitted).
//
// H = the Hessian of the negative log-likelihood, blocks (a, b) = sum_i c_i p_ia ([a = b] - p_ib)
// x~_i x~_i' (x~ = [x; 1]); s_i = the score of row i, blocks (y_ik - p_ik) x~_i.
//
// C = 0 (no penalty): the reference parameterisation of statsmodels' MNLogit, with classes[0] as
//   the reference: the parameters are the contrasts beta_k - beta_0 (k = 1..K-1), whose likelihood
//   is the softmax with class 0's score fixed at 0, so its Hessian is H without class 0's blocks.
//   covariance = that Hessian's inverse; covariance_hc0 = H^-1 (sum_i c_i s_i s_i') H^-1.
// C > 0 (L2, C * loss + sum_j lambda_j |w_kj|^2 / 2): the symmetric parameterisation, one block per
//   class, approximate (exact = false): the penalised information H + lambda / C on the weights.
//   A common shift of the intercepts leaves the softmax and the penalty unchanged, so that matrix
//   is singular along u (1 on every intercept). The covariance is taken under the constraint the
//   stored intercepts satisfy, sum_k b_k = 0 on the original scale: a generalised inverse (the
//   pseudo-inverse in X's space, (H + alpha u u')^-1 - u u' / alpha with u normalised and alpha of
//   the size of H's intercept entries), carried to the original scale and projected along u onto
//   that constraint (I - u u' / K on each side). This is the pseudo-inverse of the penalised
//   information in the original coordinates, whatever coordinates the solver used.
// Both are computed in X's space (well conditioned) and carried to the original scale block by
// block with the Jacobian of w = v / scale, b = b_z - sum_j w_j mean_j.
inference_data estimate_multinomial_inference(const design& X, const std::vector<std::uint32_t>& y,
                                              const arma::vec& weights, const arma::mat& theta, bool fit_intercept,
                                              double C, const std::vector<double>& mean,
                                              const std::vector<double>& scale,
                                              const std::vector<std::string>& classes,
                                              const std::vector<std::string>& parameter_names,
                                              const arma::vec& penalty_weights = {},
                                              std::string* not_representable = nullptr);

}  // namespace logreg
