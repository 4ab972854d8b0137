#include "logreg/multiclass_inference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "stats/distributions.hpp"

namespace logreg {

multiclass_inference_table make_multiclass_inference_table(const model& m, double level, bool robust) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  multiclass_inference_table t;
  t.level = level;
  const std::size_t K = m.classes.size(), d = m.features.size();
  const bool intercept = m.settings.fit_intercept;
  // Class k's coefficients, minus those of class `base` (none: -1).
  auto block = [&](std::size_t k, std::ptrdiff_t base) {
    class_table c;
    c.label = m.classes[k];
    auto add = [&](const std::string& name, double estimate) {
      coefficient_row r;
      r.term = name;
      r.estimate = estimate;
      r.std_error = r.z = r.p_value = r.ci_lower = r.ci_upper = nan;
      r.odds_ratio = r.odds_ratio_lower = r.odds_ratio_upper = nan;
      if (base >= 0) r.odds_ratio = std::exp(estimate);
      c.rows.push_back(r);
    };
    const auto b = static_cast<std::size_t>(base);
    if (intercept) add("(Intercept)", m.class_intercepts[k] - (base >= 0 ? m.class_intercepts[b] : 0.0));
    for (std::size_t j = 0; j < d; ++j)
      add(m.features[j], m.class_coefficients[k][j] - (base >= 0 ? m.class_coefficients[b][j] : 0.0));
    return c;
  };

  if (!m.inference || m.inference->parameterization.empty()) {
    for (std::size_t k = 0; k < K; ++k) t.classes.push_back(block(k, -1));
    return t;
  }
  const inference_data& inf = *m.inference;
  t.available = true;
  t.exact = inf.exact;
  t.condition_number = inf.condition_number;
  t.parameterization = inf.parameterization;
  t.reference_class = inf.reference_class;
  t.covariance_type = robust ? "HC0" : inf.covariance_type;
  const std::ptrdiff_t base =
      inf.parameterization == "reference"
          ? std::find(m.classes.begin(), m.classes.end(), inf.reference_class) - m.classes.begin()
          : -1;
  for (const std::string& label : inf.equations)
    t.classes.push_back(block(static_cast<std::size_t>(std::find(m.classes.begin(), m.classes.end(), label) - m.classes.begin()), base));

  const std::vector<double>& cov = t.covariance_type == "HC0" ? inf.covariance_hc0 : inf.covariance;
  const std::size_t p = inf.parameters.size(), N = p * inf.equations.size();
  t.has_covariance = N > 0 && cov.size() == N * N;
  const double zq = normal_quantile(0.5 + level / 2);
  if (t.has_covariance)
    for (std::size_t e = 0; e < t.classes.size(); ++e)
      for (std::size_t i = 0; i < p && i < t.classes[e].rows.size(); ++i) {
        coefficient_row& r = t.classes[e].rows[i];
        const std::size_t at = e * p + i;
        set_wald_statistics(r, cov[at * N + at], zq);
        if (base < 0) r.odds_ratio_lower = r.odds_ratio_upper = nan;
      }
  // The model has K - 1 free blocks whatever the parameterisation (the softmax is unchanged by a
  // common shift); the null model one intercept per class but one.
  const double blocks = static_cast<double>(K - 1);
  t.statistics = make_fit_statistics(inf.log_likelihood, inf.null_log_likelihood, inf.nobs,
                                     blocks * static_cast<double>(p), intercept ? blocks : 0.0);
  return t;
}

}  // namespace logreg
