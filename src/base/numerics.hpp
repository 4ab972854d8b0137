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

// sigmoid(z), sigmoid(-z) and log(1 + exp(-|z|)) from one exp (the passes over the data need all
// three per row): the same bits as sigmoid(z), sigmoid(-z) and log1p_exp(+-z) - max(+-z, 0).
struct logistic_parts {
  double p, one_minus_p, log1p_e;
  explicit logistic_parts(double z) {
    const double e = std::exp(-std::fabs(z)), q = 1.0 + e;
    const double high = 1.0 / q, low = e / q;  // sigmoid(|z|), sigmoid(-|z|)
    p = z >= 0 ? high : low;
    one_minus_p = z > 0 ? low : high;
    log1p_e = std::log1p(e);
  }
  // log(1 + exp(-m)) for the margin m = +-z: log1p_exp(-m).
  double loss(double m) const { return (-m > 0 ? -m : 0.0) + log1p_e; }
};

// Negative log-likelihood of one row with margin m = s * score, s in {-1, +1}: log(1 + exp(-m)).
inline double margin_loss(double margin) { return log1p_exp(-margin); }

}  // namespace logreg
