#include "predict/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/numerics.hpp"

namespace logreg {

void model_probabilities(const model& m, const design& X, arma::uword lo, arma::uword len, double* out) {
  if (m.binary()) {
    X.exact_scores(lo, len, m.coefficients.data(), m.intercept, out);
    for (arma::uword i = 0; i < len; ++i) out[i] = sigmoid(out[i]);
    return;
  }
  const std::size_t K = m.classes.size();
  std::vector<double> z(K * len);  // class k's scores at z[k * len, (k + 1) * len)
  for (std::size_t k = 0; k < K; ++k)
    X.exact_scores(lo, len, m.class_coefficients[k].data(), m.class_intercepts[k], z.data() + k * len);
  const bool ovr = m.kind == "ovr";
  for (arma::uword i = 0; i < len; ++i) {
    double* p = out + i * K;
    double top = -INFINITY;
    for (std::size_t k = 0; k < K; ++k) {
      p[k] = z[k * len + i];
      top = std::max(top, p[k]);
    }
    double sum = 0;
    for (std::size_t k = 0; k < K; ++k) {
      p[k] = ovr ? sigmoid(p[k]) : std::exp(p[k] - top);  // softmax, shifted: never overflows
      sum += p[k];
    }
    for (std::size_t k = 0; k < K; ++k) p[k] /= sum;
  }
}

}  // namespace logreg
