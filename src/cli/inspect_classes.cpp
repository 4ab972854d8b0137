// inspect for models of K > 2 classes: the model's coefficients (one column per class), then for
// multinomial models with inference data one coefficient table per class and the fit statistics.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/inspect.hpp"
#include "logreg/error.hpp"
#include "logreg/multiclass_inference.hpp"
#include "predict/predictor.hpp"

namespace logreg::cli {

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string missing_reason(const model& m) {
  if (m.kind == "ovr")
    return "(not available for one-vs-rest models: each class's binary fit has its own likelihood, and no one "
           "model's likelihood has their coefficients; train with --multiclass multinomial for the tables)";
  return no_inference_reason();
}

std::string parameterization_text(const multiclass_inference_table& t) {
  if (t.parameterization == "reference")
    return "reference class " + quoted(t.reference_class) +
           " (the first, as statsmodels' MNLogit): each table is one class against it, estimates beta_k - beta_" +
           t.reference_class + " of the model's coefficients, RRR = exp(estimate) the relative-risk ratio";
  return "symmetric: the model's own coefficients, one table per class (intercepts centred over the classes; the "
         "penalised Hessian inverted on that constraint); no reference class, so no relative-risk ratios";
}

nlohmann::json terms_json(const multiclass_inference_table& t) {
  nlohmann::json rows = nlohmann::json::array();
  const nlohmann::json reference = t.reference_class.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.reference_class);
  for (const class_table& c : t.classes)
    for (const coefficient_row& r : c.rows)
      rows.push_back({{"class", c.label},
                      {"reference_class", reference},
                      {"term", r.term},
                      {"estimate", number_or_null(r.estimate)},
                      {"std_error", number_or_null(r.std_error)},
                      {"z", number_or_null(r.z)},
                      {"p_value", number_or_null(r.p_value)},
                      {"ci_lower", number_or_null(r.ci_lower)},
                      {"ci_upper", number_or_null(r.ci_upper)},
                      {"relative_risk_ratio", number_or_null(r.odds_ratio)},
                      {"relative_risk_ratio_ci_lower", number_or_null(r.odds_ratio_lower)},
                      {"relative_risk_ratio_ci_upper", number_or_null(r.odds_ratio_upper)}});
  return rows;
}

// One table: class k (against the reference), with errors, tests, intervals and, with a
// reference class, the relative-risk ratios.
std::string class_table_text(const multiclass_inference_table& t, const class_table& c, std::size_t w) {
  auto term_cell = [&](const std::string& name) {
    std::string s = name;
    s.resize(w + 2, ' ');
    return s;
  };
  const bool ratios = !t.reference_class.empty();
  const std::string lo = percent((1 - t.level) / 2), hi = percent((1 + t.level) / 2);
  std::string out = "class " + quoted(c.label) + (ratios ? " vs reference " + quoted(t.reference_class) : "") + "\n";
  out += term_cell("term") + right("estimate", 14) + right("std. error", 14) + right("z value", 10) +
         right("Pr(>|z|)", 10) + right(lo, 14) + right(hi, 14);
  if (ratios) out += right("RRR", 14) + right(lo, 14) + right(hi, 14);
  out += "\n";
  for (const coefficient_row& r : c.rows) {
    out += term_cell(r.term) + right(number_cell(r.estimate), 14) + right(number_cell(r.std_error), 14) +
           right(std::isfinite(r.z) ? fmt("%.3f", r.z) : "", 10) + right(format_p(r.p_value), 10) +
           right(number_cell(r.ci_lower), 14) + right(number_cell(r.ci_upper), 14);
    if (ratios)
      out += right(number_cell(r.odds_ratio), 14) + right(number_cell(r.odds_ratio_lower), 14) +
             right(number_cell(r.odds_ratio_upper), 14);
    out += "\n";
  }
  return out;
}

}  // namespace

int inspect_classes(const model& m, const std::string& path, double level, bool robust, bool json_output) {
  const std::size_t K = m.classes.size(), d = m.features.size();
  if (robust && (!m.inference || m.inference->parameterization.empty()))
    throw data_error(path + ": the model holds no inference data, so no robust standard errors " + missing_reason(m));
  const multiclass_inference_table t = make_multiclass_inference_table(m, level, robust);
  std::size_t zeros = 0;
  for (const auto& row : m.class_coefficients)
    for (double w : row) zeros += w == 0.0;
  const std::string null_model = m.settings.fit_intercept ? "the intercept-only model"
                                                          : "p = 1/" + std::to_string(K) + " for every row";
  if (json_output) {
    nlohmann::json j = to_json(m);
    j["zero_coefficients"] = zeros;
    j["terms"] = terms_json(t);
    if (t.available) {
      j["coefficient_table"] = {{"level", t.level},
                                {"covariance_type", t.covariance_type},
                                {"exact", t.exact},
                                {"has_standard_errors", t.has_covariance},
                                {"method", method_text(m, t.exact, t.covariance_type, t.level)},
                                {"parameterization", t.parameterization},
                                {"reference_class", t.reference_class.empty() ? nlohmann::json(nullptr)
                                                                              : nlohmann::json(t.reference_class)},
                                {"condition_number", number_or_null(t.condition_number)}};
      j["statistics"] = statistics_json(t.statistics);
    } else {
      j["coefficient_table"] = {{"level", t.level}, {"has_standard_errors", false},
                                {"method", "estimates only: the model holds no inference data " + missing_reason(m)}};
      j["statistics"] = nullptr;
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::string out;
  out += "model        " + path + " (" + model::format_name + " version " + std::to_string(file_version(m)) + ", " +
         m.kind + ", " + std::to_string(K) + " classes)\n";
  out += "target       '" + m.target + "'\n";
  char buf[512];
  std::snprintf(buf, sizeof buf, "trained on   %zu rows\n", m.n_rows);
  out += buf;
  out += input_summary(m);
  std::snprintf(buf, sizeof buf, "settings     penalty %s, C %s, intercept %s, standardized %s, tol %g, max-iter %d\n",
                to_string(m.settings.penalty).c_str(), format_double(m.settings.C).c_str(),
                m.settings.fit_intercept ? "yes" : "no", m.settings.standardize ? "yes" : "no", m.settings.tol,
                m.settings.max_iter);
  out += buf;
  out += cv_line(m);
  std::snprintf(buf, sizeof buf, "fit          %s after %d %s iterations: objective %.12g, max|gradient| %.3g (tolerance %.3g)\n",
                m.report.status.c_str(), m.report.iterations, m.report.solver.c_str(), m.report.objective,
                m.report.gradient_norm, m.report.tolerance);
  out += buf;
  if (!m.report.converged()) out += "WARNING      the fit did not converge: these are not the optimal coefficients\n";
  if (t.available && t.exact && t.condition_number > ill_conditioned)
    out += "WARNING      the information matrix is near-singular (condition number " + fmt("%.3g", t.condition_number) +
           "): estimates and standard errors of nearly collinear features are unstable\n";
  std::snprintf(buf, sizeof buf, "zeros        %zu of %zu coefficients are exactly 0\n\n", zeros, K * d);
  out += buf;
  std::size_t w = 11;
  for (const std::string& f : m.features) w = std::max(w, f.size());
  std::string head = "term";
  head.resize(w + 2, ' ');
  out += head;
  for (const std::string& c : m.classes) {
    std::snprintf(buf, sizeof buf, "%16s", c.substr(0, 15).c_str());
    out += buf;
  }
  out += "\n";
  auto row = [&](const std::string& name, auto value_of) {
    std::string n = name;
    n.resize(w + 2, ' ');
    out += n;
    for (std::size_t k = 0; k < K; ++k) {
      std::snprintf(buf, sizeof buf, "%16.8g", value_of(k));
      out += buf;
    }
    out += "\n";
  };
  if (m.settings.fit_intercept) row("(Intercept)", [&](std::size_t k) { return m.class_intercepts[k]; });
  for (std::size_t j = 0; j < d; ++j) row(m.features[j], [&](std::size_t k) { return m.class_coefficients[k][j]; });

  out += "\n";
  if (!t.available) {
    out += "Coefficients: estimates only (above): this model holds no inference data\n" + missing_reason(m) + "\n";
  } else if (!t.has_covariance) {
    out += "Coefficients: estimates only (above): the information matrix was singular: no standard errors\n";
  } else {
    out += "Coefficients: " + method_text(m, t.exact, t.covariance_type, t.level) + "\n";
    out += "Parameterization: " + parameterization_text(t) + "\n";
    for (const class_table& c : t.classes) out += "\n" + class_table_text(t, c, w);
  }
  if (t.available) out += "\n" + statistics_text(t.statistics, t.exact, null_model);
  std::cout << out;
  return 0;
}

}  // namespace logreg::cli
