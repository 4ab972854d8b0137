// The binary logistic objective of logistic_objective.hpp on sparse data (csr_matrix: one row per
// observation, which is X (d x n) in compressed-column form), never forming a dense X:
//
//   f(w, b) = C * sum_i c_i * log(1 + exp(-y_i ((x_i - m).(s % w) + b)))  +  (l2 ? sum_j lambda_j w_j^2 / 2 : 0)
//
// with y_i = +1 / -1 here, s = col_scale and m = col_center (all 1 and all 0 when empty): the solver
// sees the standardised features (x_ij - m_j) s_j without them being formed. The centring is
// algebra on the parameters, not on the data: z_i = x_i.u + (b - m.u) with u = s % w, and the
// gradient s % (X'r - m sum r); so the stored zeros stay zeros while the solver works in the same
// well-conditioned coordinates as the dense fit. Every pass costs O(nnz + n) plus O(chunks * d) for
// the per-chunk partial gradients; the dense Hessian (Newton, small d only) costs
// O(sum_i nnz_i^2 + chunks * d^2).
//
// Deterministic: sums over observations go through fixed chunks (src/chunking.hpp), at most
// nnz / (2 d) of them so that the partial gradients never outweigh the data; the count depends on
// the data alone, so the bits are the same with any number of threads.
#pragma once
#include <armadillo>
#include <vector>

#include "io/libsvm_reader.hpp"
#include "optim/objective.hpp"

namespace logreg {

class sparse_logistic_objective final : public objective {
 public:
  // y01[i] = 1 for the positive class. weights may be empty (all 1). X must outlive the objective.
  sparse_logistic_objective(const csr_matrix& X, const arma::vec& y01, const arma::vec& weights, double C,
                            bool l2_penalty, bool fit_intercept, arma::vec col_scale = {},
                            arma::vec col_center = {});

  arma::uword n_vars() const override { return d_ + (intercept_ ? 1 : 0); }
  double value_gradient(const arma::vec& theta, arma::vec& g) override;
  void hessian(const arma::vec& theta, arma::mat& H) override;
  double gradient_scale() const override { return scale_; }

  // Per-feature weights of the L2 term, as logistic_objective::set_penalty_weights.
  void set_penalty_weights(arma::vec lambda) { lambda_ = std::move(lambda); }
  const arma::vec& penalty_weights() const { return lambda_; }

  // Linear scores z_i = (x_i - m).(s % w) + b for theta.
  arma::vec scores(const arma::vec& theta) const;

 private:
  arma::vec effective_weights(const arma::vec& theta) const;  // s % w
  double effective_intercept(const arma::vec& theta, const arma::vec& u) const;  // b - m.u

  const csr_matrix& X_;
  arma::vec y_, c_;
  double C_;
  bool l2_, intercept_;
  arma::vec s_;        // column scales (empty: 1)
  arma::vec m_;        // column centres (empty: 0)
  arma::vec lambda_;   // empty: all 1
  arma::uword d_, n_;
  double scale_;
  arma::uword chunks_;
  std::vector<arma::vec> partial_g_;  // one per chunk, kept between passes
  arma::vec D_, D_theta_;             // Hessian weights from the last value_gradient(), and their theta
};

}  // namespace logreg
