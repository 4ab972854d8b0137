// A fitted model and its versioned JSON file (docs/model-format.md).
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "logreg/settings.hpp"

namespace logreg {

struct fit_report {
  std::string status;        // converged | iteration_limit | line_search_failed | diverged
  std::string solver;        // the solver that ran: newton | lbfgs
  int iterations = 0;
  double objective = 0;      // final objective, in the space the solver worked in
  double gradient_norm = 0;  // max|gradient| at the end
  double tolerance = 0;      // the convergence threshold on max|gradient| that applied
  double seconds = 0;
  bool converged() const { return status == "converged"; }
};

struct model {
  static constexpr const char* format_name = "logreg-model";
  static constexpr int format_version = 1;

  std::string target;
  std::vector<std::string> classes;      // binary: {negative, positive}
  std::vector<std::string> features;     // input columns, in coefficient order
  std::vector<double> coefficients;      // on the original scale of the features
  double intercept = 0;
  // Standardisation used during the fit (z = (x - mean) / scale); empty when off.
  std::vector<double> mean, scale;
  double threshold = 0.5;
  fit_settings settings;
  fit_report report;
  std::size_t n_rows = 0;
  std::vector<double> class_counts;      // rows per class, in `classes` order

  const std::string& positive_class() const { return classes.at(1); }
  const std::string& negative_class() const { return classes.at(0); }
};

nlohmann::json to_json(const model& m);
// Throws data_error "<source>: ..." for a malformed file, a different format or an unknown version.
model model_from_json(const nlohmann::json& j, const std::string& source);

// Writes to a temporary file beside `path`, flushes it to disk, then renames it over `path`:
// an interrupted or failed run never leaves a partial file or destroys an existing model.
void save_model(const model& m, const std::string& path);
model load_model(const std::string& path);

}  // namespace logreg
