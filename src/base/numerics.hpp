// Overflow-free building blocks of the logistic model, valid for scores of any size.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace logreg {

// 1 / (1 + exp(-z)), never evaluating exp of a positive number.
inline double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

// exp(x) for x <= 0 (below -708 it returns exp(-708), about 3e-308), within about 1 ulp: x = k ln 2
// + r with |r| <= ln 2 / 2, e^r by its Taylor series to r^13 (the rest below 1e-17 relative), times
// 2^k built in the exponent bits. Plain arithmetic, so that a loop of it vectorises; std::exp
// is a call per value. (tests/test_numerics.cpp: against std::exp.)
inline double exp_nonpositive(double x) {
  x = std::max(x, -708.0);
  constexpr double shifter = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
  const double t = x * 1.4426950408889634 + shifter;
  const double kd = t - shifter;
  const double r = (x - kd * 6.93147180369123816490e-01) - kd * 1.90821492927058770002e-10;
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  std::int64_t bits;  // t's bits are the shifter's plus k
  std::memcpy(&bits, &t, sizeof bits);
  bits = (bits - 0x4338000000000000 + 1023) << 52;
  double two_k;
  std::memcpy(&two_k, &bits, sizeof two_k);
  return p * two_k;
}

// log(1 + t) for t in [0, 1]: 2 atanh(s) with s = t / (2 + t) <= 1/3 (no cancellation for small
// t), its odd series to s^35 (the rest below 2e-18 relative). Plain arithmetic, as exp_nonpositive.
// (tests/test_fold_fits.cpp: against std::log1p.)
inline double log1p_unit(double t) {
  const double s = t / (2.0 + t), q = s * s;
  double p = 1.0 / 35;  // written out, so that a loop of it vectorises
  p = p * q + 1.0 / 33;
  p = p * q + 1.0 / 31;
  p = p * q + 1.0 / 29;
  p = p * q + 1.0 / 27;
  p = p * q + 1.0 / 25;
  p = p * q + 1.0 / 23;
  p = p * q + 1.0 / 21;
  p = p * q + 1.0 / 19;
  p = p * q + 1.0 / 17;
  p = p * q + 1.0 / 15;
  p = p * q + 1.0 / 13;
  p = p * q + 1.0 / 11;
  p = p * q + 1.0 / 9;
  p = p * q + 1.0 / 7;
  p = p * q + 1.0 / 5;
  p = p * q + 1.0 / 3;
  p = p * q + 1.0;
  return 2.0 * s * p;
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
