#include "logreg/inference.hpp"

#include <cmath>
#include <limits>

#include "stats/distributions.hpp"

namespace logreg {

inference_table make_inference_table(const model& m, double level, bool robust) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  inference_table t;
  t.level = level;
  std::vector<coefficient_row> rows;
  auto add = [&](const std::string& name, double estimate) {
    coefficient_row r;
    r.term = name;
    r.estimate = estimate;
    r.std_error = r.z = r.p_value = r.ci_lower = r.ci_upper = r.odds_ratio_lower = r.odds_ratio_upper = nan;
    r.odds_ratio = std::exp(estimate);
    t.rows.push_back(r);
  };
  if (m.settings.fit_intercept || m.intercept != 0) add("(Intercept)", m.intercept);
  for (std::size_t j = 0; j < m.features.size(); ++j) add(m.features[j], m.coefficients[j]);
  if (!m.inference) return t;

  const inference_data& inf = *m.inference;
  t.available = true;
  t.exact = inf.exact;
  t.condition_number = inf.condition_number;
  t.covariance_type = robust ? "HC0" : inf.covariance_type;
  const std::vector<double>& cov = t.covariance_type == "HC0" ? inf.covariance_hc0 : inf.covariance;
  const std::size_t p = inf.parameters.size();
  t.has_covariance = cov.size() == p * p && p > 0;

  // Rows: aliased ones first marked, then the errors of each estimated parameter by name.
  for (coefficient_row& r : t.rows)
    for (const std::string& a : inf.aliased)
      if (r.term == a) {
        r.aliased = true;
        r.estimate = r.odds_ratio = nan;
      }
  const double zq = normal_quantile(0.5 + level / 2);
  if (t.has_covariance) {
    std::size_t next = 0;  // parameters are in row order, aliased rows skipped
    for (coefficient_row& r : t.rows) {
      if (r.aliased) continue;
      while (next < p && inf.parameters[next] != r.term) ++next;
      if (next == p) break;
      set_wald_statistics(r, cov[next * p + next], zq);
      ++next;
    }
  }

  t.statistics = make_fit_statistics(inf.log_likelihood, inf.null_log_likelihood, inf.nobs, static_cast<double>(p),
                                     m.settings.fit_intercept ? 1.0 : 0.0);
  return t;
}

void set_wald_statistics(coefficient_row& r, double variance, double zq) {
  r.std_error = variance >= 0 ? std::sqrt(variance) : std::numeric_limits<double>::quiet_NaN();
  r.z = r.estimate / r.std_error;
  r.p_value = normal_two_sided_p(r.z);
  r.ci_lower = r.estimate - zq * r.std_error;
  r.ci_upper = r.estimate + zq * r.std_error;
  r.odds_ratio_lower = std::exp(r.ci_lower);
  r.odds_ratio_upper = std::exp(r.ci_upper);
}

fit_statistics make_fit_statistics(double llf, double llnull, double nobs, double k, double k0) {
  fit_statistics s;
  s.nobs = nobs;
  s.parameters = k;
  s.log_likelihood = llf;
  s.null_log_likelihood = llnull;
  s.deviance = -2 * llf;
  s.df_residual = nobs - k;
  s.null_deviance = -2 * llnull;
  s.df_null = nobs - k0;
  s.aic = s.deviance + 2 * k;
  s.bic = s.deviance + k * std::log(nobs);
  s.pseudo_r2 = 1 - llf / llnull;
  s.lr_statistic = 2 * (llf - llnull);
  s.lr_df = k - k0;
  s.lr_p_value = s.lr_df > 0 ? chi_square_upper_tail(s.lr_statistic, s.lr_df) : std::numeric_limits<double>::quiet_NaN();
  return s;
}

}  // namespace logreg
