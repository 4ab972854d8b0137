// The coefficient table and the fit statistics of a model, from what training stored
// (inference_data): what R's summary(glm) and statsmodels' Logit.summary() show.
#pragma once
#include <string>
#include <vector>

#include "logreg/model.hpp"

namespace logreg {

// Above this condition number of the information matrix (scaled to unit diagonal), the estimates
// of strongly correlated terms are unstable: train and inspect warn.
inline constexpr double ill_conditioned = 1e8;

struct coefficient_row {
  std::string term;
  bool aliased = false;  // dropped before the fit (exactly collinear); every number below is NaN
  double estimate = 0;   // NaN when aliased (the model stores 0 for prediction)
  double std_error = 0, z = 0, p_value = 0;  // NaN when the model holds no covariance
  double ci_lower = 0, ci_upper = 0;         // Wald: estimate -/+ z_{(1+level)/2} * std_error
  double odds_ratio = 0, odds_ratio_lower = 0, odds_ratio_upper = 0;  // exp of the above
};

struct fit_statistics {
  double nobs = 0;
  double parameters = 0;  // estimated: the intercept and the features not aliased (per equation, K - 1 of them, for K classes)
  double log_likelihood = 0, null_log_likelihood = 0;
  double deviance = 0, df_residual = 0;            // -2 llf on nobs - parameters
  double null_deviance = 0, df_null = 0;           // -2 llnull on nobs - 1 (K classes: nobs - (K - 1); nobs without an intercept)
  double aic = 0, bic = 0;                         // -2 llf + 2 k, -2 llf + k log(nobs)
  double pseudo_r2 = 0;                            // McFadden: 1 - llf / llnull
  double lr_statistic = 0, lr_df = 0, lr_p_value = 0;  // 2 (llf - llnull) against chi-square(lr_df)
};

struct inference_table {
  bool available = false;  // the model holds inference data (else: estimates and odds ratios only)
  bool has_covariance = false;
  bool exact = true;       // false: a penalised fit, the errors are approximate
  std::string covariance_type;  // nonrobust | HC0
  double level = 0.95;
  double condition_number = 0;
  std::vector<coefficient_row> rows;  // (Intercept) first when fitted, then the features in order
  fit_statistics statistics;
};

// level in (0, 1); robust: HC0 errors whatever the model's default (train --robust sets it).
// Binary models (multiclass_inference.hpp has the table of multinomial ones).
inference_table make_inference_table(const model& m, double level = 0.95, bool robust = false);

// The standard error sqrt(variance), z, the two-sided p-value, the Wald interval r.estimate -/+
// zq * std_error (zq = z_{(1+level)/2}) and the exp of its bounds.
void set_wald_statistics(coefficient_row& r, double variance, double zq);

// The statistics of a fit with k estimated parameters and log-likelihood llf, against a null model
// with k0 parameters and log-likelihood llnull (k0 = 0: nothing estimated).
fit_statistics make_fit_statistics(double llf, double llnull, double nobs, double k, double k0);

}  // namespace logreg
