#include "objective/penalized_objective.hpp"

namespace logreg {

penalized_objective::penalized_objective(loss& L, double C, penalty p) : L_(L), C_(C), p_(std::move(p)) {
  if (!p_.scale.is_empty()) lambda_ = 1.0 / arma::square(p_.scale);
}

double penalized_objective::value_gradient(const arma::vec& theta, arma::vec& g) {
  double f = C_ * L_.value_gradient(theta, g);
  g *= C_;
  if (p_.l2 > 0 && L_.layout().features > 0) {
    const variable_layout& v = L_.layout();
    const arma::uword d = v.features;
    for (arma::uword k = 0; k < v.classes; ++k) {
      const arma::uword at = k * v.block();
      const arma::vec w = theta.subvec(at, at + d - 1);
      const double l2 = p_.l2;
      if (lambda_.is_empty()) {
        f += (l2 == 1 ? 0.5 * arma::dot(w, w) : 0.5 * l2 * arma::dot(w, w));
        g.subvec(at, at + d - 1) += l2 == 1 ? w : arma::vec(l2 * w);
      } else {
        f += (l2 == 1 ? 0.5 * arma::dot(lambda_ % w, w) : 0.5 * l2 * arma::dot(lambda_ % w, w));
        g.subvec(at, at + d - 1) += l2 == 1 ? arma::vec(lambda_ % w) : arma::vec(l2 * (lambda_ % w));
      }
    }
  }
  return f;
}

void penalized_objective::hessian(const arma::vec& theta, arma::mat& H) {
  L_.hessian(theta, H);
  H *= C_;
  if (p_.l2 > 0) {
    const variable_layout& v = L_.layout();
    for (arma::uword k = 0; k < v.classes; ++k)
      for (arma::uword j = 0; j < v.features; ++j)
        H(k * v.block() + j, k * v.block() + j) += p_.l2 * (lambda_.is_empty() ? 1.0 : lambda_[j]);
  }
}

arma::vec penalized_objective::l1_weights() const {
  const variable_layout& v = L_.layout();
  arma::vec out(v.n_vars(), arma::fill::value(p_.l1));
  for (arma::uword k = 0; k < v.classes; ++k) {
    const arma::uword at = k * v.block();
    if (!p_.scale.is_empty() && v.features > 0) out.subvec(at, at + v.features - 1) /= p_.scale;
    if (v.intercept) out(at + v.features) = 0;
  }
  return out;
}

}  // namespace logreg
