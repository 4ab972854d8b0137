// The few distribution functions inference needs, in double precision (tested against scipy).
#pragma once

namespace logreg {

// Upper tail of the standard normal: P(Z > x) = erfc(x / sqrt 2) / 2, accurate far into the tail.
double normal_upper_tail(double x);

// Two-sided p-value of a z statistic: P(|Z| > |z|) = erfc(|z| / sqrt 2).
double normal_two_sided_p(double z);

// The standard normal quantile: x with P(Z <= x) = p, for 0 < p < 1 (Acklam's rational
// approximation refined by one Halley step on erfc: close to full double precision).
double normal_quantile(double p);

// Regularised upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a), a > 0, x >= 0
// (series for x < a + 1, Lentz's continued fraction otherwise).
double gamma_upper_regularized(double a, double x);

// Upper tail of the chi-square distribution with df degrees of freedom: Q(df / 2, x / 2).
double chi_square_upper_tail(double x, double df);

}  // namespace logreg
