// Overflow-free building blocks of the logistic model, valid for scores of any size.
#pragma once
#include <cmath>

namespace logreg {

// 1 / (1 + exp(-z)), never evaluating exp of a positive number.
inline double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

// log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|)).
inline double log1p_exp(double z) {
  return (z > 0 ? z : 0.0) + std::log1p(std::exp(-std::fabs(z)));
}

// Negative log-likelihood of one row with margin m = s * score, s in {-1, +1}: log(1 + exp(-m)).
inline double margin_loss(double margin) { return log1p_exp(-margin); }

}  // namespace logreg
