// A model's probabilities for one observation, given as its dense feature vector x (the model's
// terms): what predict, eval and the public predict_proba() compute, bit for bit alike.
#pragma once
#include <algorithm>
#include <cmath>
#include <vector>

#include "base/numerics.hpp"
#include "logreg/model.hpp"

namespace logreg {

// The linear score, summed in feature order: the same bits on every path and thread count.
inline double score(const std::vector<double>& w, double b, const double* x) {
  double z = b;
  for (std::size_t j = 0; j < w.size(); ++j) z += w[j] * x[j];
  return z;
}

// Class probabilities of a model of K > 2 classes, into p[0..K).
inline void class_probabilities(const model& m, const double* x, double* p) {
  const std::size_t K = m.classes.size();
  double top = -INFINITY;
  for (std::size_t k = 0; k < K; ++k) {
    p[k] = score(m.class_coefficients[k], m.class_intercepts[k], x);
    top = std::max(top, p[k]);
  }
  double sum = 0;
  for (std::size_t k = 0; k < K; ++k) {
    p[k] = m.kind == "ovr" ? sigmoid(p[k]) : std::exp(p[k] - top);  // softmax, shifted: never overflows
    sum += p[k];
  }
  for (std::size_t k = 0; k < K; ++k) p[k] /= sum;
}

}  // namespace logreg
