#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "commands.hpp"
#include "logreg/error.hpp"
#include "logreg/predictor.hpp"

namespace logreg::cli {

namespace {
const command_spec spec{
    "inspect",
    "logreg inspect -m MODEL [--json]",
    "Show a model: its coefficients (on the original scale of the features), odds ratios and fit report.",
    {
        {"m,model", "the model to show", "MODEL", ""},
        {"json", "print one JSON object: the model file's fields plus a 'terms' table", "", ""},
    },
    false};

struct term {
  std::string name;
  double estimate;
};

std::vector<term> terms_of(const model& m) {
  std::vector<term> t;
  if (m.settings.fit_intercept || m.intercept != 0) t.push_back({"(Intercept)", m.intercept});
  for (std::size_t j = 0; j < m.features.size(); ++j) t.push_back({m.features[j], m.coefficients[j]});
  return t;
}
}  // namespace

int run_inspect(const args_t& args) {
  parsed_args a;
  if (!parse(spec, args, a)) return 0;
  if (!a.has("model")) throw usage_error("inspect: -m/--model MODEL is required");
  const std::string path = a.get("model");
  const model m = load_model(path);
  const std::vector<term> terms = terms_of(m);

  if (a.has("json")) {
    nlohmann::json j = to_json(m);
    nlohmann::json rows = nlohmann::json::array();
    for (const term& t : terms) {
      const double odds = std::exp(t.estimate);
      rows.push_back({{"term", t.name},
                      {"estimate", t.estimate},
                      {"odds_ratio", std::isfinite(odds) ? nlohmann::json(odds) : nlohmann::json(nullptr)}});
    }
    j["terms"] = rows;
    std::cout << j.dump(2) << "\n";
    return 0;
  }

  char buf[512];
  std::string out;
  out += "model        " + path + " (" + model::format_name + " version " + std::to_string(model::format_version) + ", binary)\n";
  out += "target       '" + m.target + "': positive class '" + m.positive_class() + "', negative class '" +
         m.negative_class() + "'\n";
  std::snprintf(buf, sizeof buf, "trained on   %zu rows (%.0f '%s', %.0f '%s')\n", m.n_rows,
                m.class_counts.size() > 1 ? m.class_counts[1] : 0.0, m.positive_class().c_str(),
                m.class_counts.size() > 0 ? m.class_counts[0] : 0.0, m.negative_class().c_str());
  out += buf;
  std::snprintf(buf, sizeof buf, "settings     penalty %s%s, intercept %s, standardized %s, solver %s, tol %g, max-iter %d\n",
                to_string(m.settings.penalty).c_str(),
                m.settings.penalty == penalty_kind::none ? "" : (", C " + format_double(m.settings.C)).c_str(),
                m.settings.fit_intercept ? "yes" : "no", m.settings.standardize ? "yes" : "no",
                to_string(m.settings.solver).c_str(), m.settings.tol, m.settings.max_iter);
  out += buf;
  std::snprintf(buf, sizeof buf, "fit          %s after %d %s iterations: objective %.12g, max|gradient| %.3g (tolerance %.3g)\n",
                m.report.status.c_str(), m.report.iterations, m.report.solver.c_str(), m.report.objective,
                m.report.gradient_norm, m.report.tolerance);
  out += buf;
  if (!m.report.converged()) out += "WARNING      the fit did not converge: these are not the optimal coefficients\n";
  out += "threshold    " + format_double(m.threshold) + "\n\n";

  std::size_t w = 11;
  for (const term& t : terms) w = std::max(w, t.name.size());
  std::string head = "term";
  head.resize(w + 2, ' ');
  std::snprintf(buf, sizeof buf, "%s%16s  %14s\n", head.c_str(), "coefficient", "odds ratio");
  out += buf;
  for (const term& t : terms) {
    std::string name = t.name;
    name.resize(w + 2, ' ');
    std::snprintf(buf, sizeof buf, "%s%16.8g  %14.6g\n", name.c_str(), t.estimate, std::exp(t.estimate));
    out += buf;
  }
  std::cout << out;
  return 0;
}

}  // namespace logreg::cli
