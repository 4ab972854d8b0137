#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/inspect.hpp"
#include "logreg/error.hpp"
#include "logreg/inference.hpp"
#include "predict/predictor.hpp"

namespace logreg::cli {

namespace {
const command_spec spec{
    "inspect",
    "logreg inspect -m MODEL [--level L] [--robust] [--json]",
    "Show a model: its coefficient table (estimates on the original scale of the features, standard errors, "
    "z, p-values, Wald intervals, odds ratios; per class for multinomial models), the fit statistics and the fit report.",
    {
        {"m,model", "the model to show", "MODEL", ""},
        {"level", "confidence level of the intervals, between 0 and 1", "L", "0.95"},
        {"robust", "HC0 (sandwich) standard errors instead of the model-based ones", "", ""},
        {"json", "print one JSON object: the model file's fields plus 'terms', 'coefficient_table' and 'statistics'",
         "", ""},
    },
    false};
}  // namespace

nlohmann::json number_or_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

std::string fmt(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

// R's format.pval with 3 digits: below machine epsilon, say so rather than print noise.
std::string format_p(double p) {
  if (!std::isfinite(p)) return "";
  if (p < 2.220446049250313e-16) return "<2e-16";
  return fmt("%.3g", p);
}

std::string percent(double x) { return fmt("%.4g", 100 * x) + " %"; }

std::string right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string number_cell(double x) { return std::isfinite(x) ? fmt("%.7g", x) : ""; }

std::string method_text(const model& m, bool exact, const std::string& covariance_type, double level_value) {
  const std::string level = fmt("%.4g", 100 * level_value) + "%";
  const bool hc0 = covariance_type == "HC0";
  if (exact)
    return std::string("maximum likelihood; ") +
           (hc0 ? "HC0 (sandwich, heteroskedasticity-consistent) standard errors"
                : "standard errors from the inverse of the observed information") +
           "; " + level + " Wald intervals";
  return "APPROXIMATE: an L2-penalised fit (C = " + format_double(m.settings.C) +
         "), so the estimates are shrunk towards 0; standard errors from " +
         (hc0 ? "the HC0 sandwich around the inverse penalised Hessian" : "the inverse of the penalised Hessian") +
         "; the tests and " + level + " intervals are approximations, not exact inference";
}

std::string statistics_text(const fit_statistics& s, bool exact, const std::string& null_model) {
  std::string out;
  if (!exact) out += "(at the penalised estimates, with the nominal number of parameters: approximate)\n";
  auto line = [&](const std::string& label, const std::string& value) {
    std::string l = label;
    l.resize(22, ' ');
    out += l + value + "\n";
  };
  line("observations", fmt("%.15g", s.nobs));
  line("log-likelihood", fmt("%.10g", s.log_likelihood) + " (null model: " + fmt("%.10g", s.null_log_likelihood) + ")");
  line("residual deviance", fmt("%.10g", s.deviance) + " on " + fmt("%.15g", s.df_residual) + " degrees of freedom");
  line("null deviance", fmt("%.10g", s.null_deviance) + " on " + fmt("%.15g", s.df_null) + " degrees of freedom");
  line("AIC", fmt("%.10g", s.aic));
  line("BIC", fmt("%.10g", s.bic));
  line("pseudo R-squared", fmt("%.6g", s.pseudo_r2) + " (McFadden)");
  if (s.lr_df > 0)
    line("LR test", fmt("%.8g", s.lr_statistic) + " on " + fmt("%.15g", s.lr_df) + " df, p " +
                        (s.lr_p_value < 2.220446049250313e-16 ? "< 2e-16" : "= " + format_p(s.lr_p_value)) +
                        " (against " + null_model + ")");
  return out;
}

nlohmann::json statistics_json(const fit_statistics& s) {
  return {{"nobs", s.nobs},
          {"parameters", s.parameters},
          {"log_likelihood", number_or_null(s.log_likelihood)},
          {"null_log_likelihood", number_or_null(s.null_log_likelihood)},
          {"deviance", number_or_null(s.deviance)},
          {"df_residual", s.df_residual},
          {"null_deviance", number_or_null(s.null_deviance)},
          {"df_null", s.df_null},
          {"aic", number_or_null(s.aic)},
          {"bic", number_or_null(s.bic)},
          {"pseudo_r2_mcfadden", number_or_null(s.pseudo_r2)},
          {"lr_test", {{"statistic", number_or_null(s.lr_statistic)}, {"df", s.lr_df}, {"p_value", number_or_null(s.lr_p_value)}}}};
}
std::string input_summary(const model& m) {
  if (file_version(m) == 1) return "";
  std::size_t categorical = 0;
  for (const input_column& c : m.encoding.columns) categorical += c.categorical;
  std::string s = "input        " + std::to_string(m.encoding.columns.size()) + " columns: " +
                  std::to_string(m.encoding.columns.size() - categorical) + " numeric, " + std::to_string(categorical) +
                  " categorical (" + std::to_string(m.features.size()) + " terms); missing cells: " +
                  to_string(m.encoding.missing);
  if (m.rows_dropped > 0) s += " (" + std::to_string(m.rows_dropped) + " training rows dropped)";
  return s + "\n";
}

std::string cv_line(const model& m) {
  if (!m.cross_validation) return "";
  const cv_summary& cv = *m.cross_validation;
  const cv_summary::row* chosen = nullptr;
  for (const cv_summary::row& r : cv.grid)
    if (r.C == cv.C && r.l1_ratio == cv.l1_ratio) chosen = &r;
  std::string s = "chosen by    " + std::to_string(cv.folds) + "-fold cross-validation (" + cv.fold_source + ") over " +
                  std::to_string(cv.grid.size()) + " values, metric " + cv.metric + ", rule " + cv.rule;
  if (chosen) s += ": " + fmt("%g", chosen->mean) + " +- " + fmt("%g", chosen->se);
  return s + "\n";
}

namespace {
// The heading of a categorical column's group of terms in the coefficient table.
std::string group_heading(const input_column& c) {
  std::string s = c.name + ": categorical, " + std::to_string(c.levels.size()) + " level" + (c.levels.size() == 1 ? "" : "s");
  s += c.drop_first ? ", reference '" + c.levels[0] + "'" : ", every level has a term";
  if (c.missing_level) s += ", and a term for missing cells";
  return s + "\n";
}
}  // namespace


std::string no_inference_reason() {
  return "(standard errors are stored for binary and multinomial models fitted without a penalty or with L2, with at most " +
         std::to_string(inference_max_parameters) + " parameters, by a logreg that has them)";
}

int run_inspect(const args_t& args) {
  parsed_args a;
  if (!parse(spec, args, a)) return 0;
  if (!a.has("model")) throw usage_error("inspect: -m/--model MODEL is required");
  double level = 0.95;
  if (a.has("level")) {
    level = parse_double("--level", a.get("level"));
    if (!(level > 0 && level < 1))
      throw usage_error("--level: expected a number between 0 and 1 (e.g. 0.95), got '" + a.get("level") + "'");
  }
  const bool robust = a.has("robust");
  const std::string path = a.get("model");
  const model m = load_model(path);
  if (!m.binary()) return inspect_classes(m, path, level, robust, a.has("json"));
  if (robust && !m.inference)
    throw data_error(path + ": the model holds no inference data, so no robust standard errors " + no_inference_reason());
  const inference_table t = make_inference_table(m, level, robust);

  if (a.has("json")) {
    nlohmann::json j = to_json(m);
    nlohmann::json rows = nlohmann::json::array();
    const feature_encoding enc = input_encoding(m);
    std::vector<std::pair<std::string, nlohmann::json>> origin;  // per feature: input column, level (or null)
    for (const input_column& c : enc.columns) {
      if (!c.categorical) {
        origin.push_back({c.name, nullptr});
        continue;
      }
      for (std::size_t l = c.drop_first ? 1 : 0; l < c.levels.size(); ++l) origin.push_back({c.name, c.levels[l]});
      if (c.missing_level) origin.push_back({c.name, missing_level_name});
    }
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      const coefficient_row& r = t.rows[i];
      const bool intercept = m.settings.fit_intercept && i == 0;
      const std::size_t j = i - (m.settings.fit_intercept ? 1 : 0);
      rows.push_back({{"term", r.term},
                      {"column", intercept || j >= origin.size() ? nlohmann::json(nullptr) : nlohmann::json(origin[j].first)},
                      {"level", intercept || j >= origin.size() ? nlohmann::json(nullptr) : origin[j].second},
                      {"estimate", number_or_null(r.estimate)},
                      {"odds_ratio", number_or_null(r.odds_ratio)},
                      {"aliased", r.aliased},
                      {"std_error", number_or_null(r.std_error)},
                      {"z", number_or_null(r.z)},
                      {"p_value", number_or_null(r.p_value)},
                      {"ci_lower", number_or_null(r.ci_lower)},
                      {"ci_upper", number_or_null(r.ci_upper)},
                      {"odds_ratio_ci_lower", number_or_null(r.odds_ratio_lower)},
                      {"odds_ratio_ci_upper", number_or_null(r.odds_ratio_upper)}});
    }
    j["terms"] = rows;
    j["zero_coefficients"] = static_cast<std::size_t>(std::count(m.coefficients.begin(), m.coefficients.end(), 0.0));
    if (t.available) {
      j["coefficient_table"] = {{"level", t.level},
                                {"covariance_type", t.covariance_type},
                                {"exact", t.exact},
                                {"has_standard_errors", t.has_covariance},
                                {"method", method_text(m, t.exact, t.covariance_type, t.level)},
                                {"condition_number", number_or_null(t.condition_number)}};
      j["statistics"] = statistics_json(t.statistics);
    } else {
      j["coefficient_table"] = {{"level", t.level}, {"has_standard_errors", false},
                                {"method", "estimates only: the model holds no inference data"}};
      j["statistics"] = nullptr;
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }

  char buf[512];
  std::string out;
  out += "model        " + path + " (" + model::format_name + " version " + std::to_string(file_version(m)) + ", binary)\n";
  out += "target       '" + m.target + "': positive class '" + m.positive_class() + "', negative class '" +
         m.negative_class() + "'\n";
  std::snprintf(buf, sizeof buf, "trained on   %zu rows (%.0f '%s', %.0f '%s')\n", m.n_rows,
                m.class_counts.size() > 1 ? m.class_counts[1] : 0.0, m.positive_class().c_str(),
                m.class_counts.size() > 0 ? m.class_counts[0] : 0.0, m.negative_class().c_str());
  out += buf;
  out += input_summary(m);
  std::snprintf(buf, sizeof buf, "settings     penalty %s%s, intercept %s, standardized %s, solver %s, tol %g, max-iter %d\n",
                to_string(m.settings.penalty).c_str(),
                m.settings.penalty == penalty_kind::none ? "" : (", C " + format_double(m.settings.C)).c_str(),
                m.settings.fit_intercept ? "yes" : "no", m.settings.standardize ? "yes" : "no",
                to_string(m.settings.solver).c_str(), m.settings.tol, m.settings.max_iter);
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
  out += "threshold    " + format_double(m.threshold) + "\n";
  out += "zeros        " + std::to_string(std::count(m.coefficients.begin(), m.coefficients.end(), 0.0)) + " of " +
         std::to_string(m.coefficients.size()) + " coefficients are exactly 0\n\n";

  // Terms of a categorical column are grouped under a heading and indented.
  const feature_encoding enc = input_encoding(m);
  const std::vector<std::size_t> first_term = enc.term_offsets();
  const std::size_t skip = m.settings.fit_intercept ? 1 : 0;
  std::vector<std::string> heading(t.rows.size());
  std::vector<bool> indented(t.rows.size(), false);
  for (std::size_t c = 0; c < enc.columns.size(); ++c) {
    if (!enc.columns[c].categorical) continue;
    for (std::size_t j = first_term[c]; j < first_term[c + 1] && j + skip < t.rows.size(); ++j) indented[j + skip] = true;
    if (first_term[c] + skip < t.rows.size()) heading[first_term[c] + skip] = group_heading(enc.columns[c]);
  }
  std::size_t w = 11;
  for (std::size_t i = 0; i < t.rows.size(); ++i) w = std::max(w, t.rows[i].term.size() + (indented[i] ? 2 : 0));
  auto term_cell = [&](const std::string& name) {
    std::string s = name;
    s.resize(w + 2, ' ');
    return s;
  };
  auto row_start = [&](std::size_t i) {
    return heading[i] + term_cell((indented[i] ? "  " : "") + t.rows[i].term);
  };
  if (!t.has_covariance) {
    if (!t.available)
      out += "Coefficients: estimates only: this model holds no inference data\n" + no_inference_reason() + "\n";
    else
      out += "Coefficients: estimates only (the information matrix was singular: no standard errors)\n";
    out += term_cell("term") + right("estimate", 14) + right("odds ratio", 14) + "\n";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      const coefficient_row& r = t.rows[i];
      out += row_start(i) + (r.aliased ? right("aliased", 14) : right(number_cell(r.estimate), 14) + right(number_cell(r.odds_ratio), 14)) + "\n";
    }
  } else {
    out += "Coefficients: " + method_text(m, t.exact, t.covariance_type, t.level) + "\n";
    const std::string lo = percent((1 - t.level) / 2), hi = percent((1 + t.level) / 2);
    out += term_cell("term") + right("estimate", 14) + right("std. error", 14) + right("z value", 10) +
           right("Pr(>|z|)", 10) + right(lo, 14) + right(hi, 14) + right("odds ratio", 14) + right(lo, 14) +
           right(hi, 14) + "\n";
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      const coefficient_row& r = t.rows[i];
      if (r.aliased) {
        out += row_start(i) + right("aliased", 14) + "\n";
        continue;
      }
      out += row_start(i) + right(number_cell(r.estimate), 14) + right(number_cell(r.std_error), 14) +
             right(std::isfinite(r.z) ? fmt("%.3f", r.z) : "", 10) + right(format_p(r.p_value), 10) +
             right(number_cell(r.ci_lower), 14) + right(number_cell(r.ci_upper), 14) +
             right(number_cell(r.odds_ratio), 14) + right(number_cell(r.odds_ratio_lower), 14) +
             right(number_cell(r.odds_ratio_upper), 14) + "\n";
    }
  }
  std::vector<std::string> aliased;
  for (const coefficient_row& r : t.rows)
    if (r.aliased) aliased.push_back(r.term);
  if (!aliased.empty()) {
    std::string names;
    for (const std::string& n : aliased) names += (names.empty() ? "'" : ", '") + n + "'";
    out += "aliased: " + names + (aliased.size() == 1 ? " is an exact linear combination" : " are exact linear combinations") +
           " of other columns (or constant): dropped from the fit, as R's NA; 0 in the model\n";
  }

  if (t.available)
    out += "\n" + statistics_text(t.statistics, t.exact,
                                  m.settings.fit_intercept ? "the intercept-only model" : "p = 1/2 for every row");
  std::cout << out;
  return 0;
}

}  // namespace logreg::cli
