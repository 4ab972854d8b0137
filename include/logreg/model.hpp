// A fitted model and its versioned JSON file (docs/model-format.md).
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "logreg/encoding.hpp"
#include "logreg/settings.hpp"

namespace logreg {

struct fit_report {
  std::string status;        // converged | iteration_limit | line_search_failed | diverged
  std::string solver;        // the solver that ran: newton | lbfgs
  int iterations = 0;       // including the Newton polish steps
  double objective = 0;      // final objective, in the space the solver worked in
  double gradient_norm = 0;  // max|gradient| at the end
  double tolerance = 0;      // the convergence threshold on max|gradient| that applied
  double seconds = 0;
  int polish_steps = 0;      // of the iterations, Newton polish steps after L-BFGS / OWL-QN (fit/solve.hpp)
  bool converged() const { return status == "converged"; }
};

// What statistical inference needs, estimated at the end of training while the data are at hand
// (docs/model-format.md, "Inference fields"). Everything is on the original scale of the features.
// Absent from files written before it existed, and for fits with more than
// inference_max_parameters parameters (the matrices grow as the square).
struct inference_data {
  bool exact = true;  // false for a penalised fit: the covariance is the inverse penalised Hessian
  std::string covariance_type = "nonrobust";  // what inspect shows by default: nonrobust | HC0 (train --robust)
  std::vector<std::string> parameters;  // the covariances' rows: "(Intercept)" (if fitted), then the fitted features
  std::vector<std::string> aliased;     // features dropped before the fit: exact linear combinations of others
  // p x p, row-major, p = parameters.size(). Empty when the information matrix could not be inverted.
  std::vector<double> covariance;      // inverse of the (penalised) Hessian of the negative log-likelihood
  std::vector<double> covariance_hc0;  // sandwich H^-1 (sum_i c_i g_i g_i') H^-1 (White's HC0)
  double log_likelihood = 0;           // at the estimates
  double null_log_likelihood = 0;      // intercept only (without an intercept: probability 1/2 for every row)
  double nobs = 0;                     // rows (the sum of the weights: they count as frequencies)
  double condition_number = 0;         // of the information matrix scaled to unit diagonal
  // Multinomial models only (empty for binary ones): the covariances hold one block of `parameters`
  // per class in `equations`, equation-major. "reference": no penalty, the blocks are the contrasts
  // beta_k - beta_ref for every class but `reference_class` (statsmodels' MNLogit); "symmetric":
  // a penalised fit, one block per class, intercepts centred (multinomial_covariance.hpp).
  std::string parameterization;
  std::string reference_class;
  std::vector<std::string> equations;
};

inline constexpr std::size_t inference_max_parameters = 500;

// How `logreg cv` chose the model's C (and L1 ratio): stored with the model it refitted.
struct cv_summary {
  std::string metric;        // log-loss | roc-auc | accuracy | brier | f1 | average-precision
  std::string rule;          // best | 1se
  unsigned folds = 0;
  std::string fold_source;   // "stratified, seed S" or "column 'COL'"
  double C = 0, l1_ratio = 0;  // the chosen values
  struct row {
    double C = 0, l1_ratio = 0, mean = 0, se = 0, nonzero = 0;
  };
  std::vector<row> grid;
};

struct model {
  static constexpr const char* format_name = "logreg-model";
  // Version 2 adds "input" (the encoding of categorical columns and missing cells). A model that
  // needs none is still written as version 1, which older readers know.
  static constexpr int format_version = 2;

  // "binary": one score, sigmoid. "multinomial": one score per class, softmax. "ovr": one binary
  // model per class (that class against the rest), sigmoids normalised to sum to 1.
  std::string kind = "binary";
  std::string target;
  std::vector<std::string> classes;      // binary: {negative, positive}; otherwise every class, sorted
  std::vector<std::string> features;     // terms, in coefficient order: the input columns, or for an
                                         // encoding that is not plain, encoding.term_names()
  feature_encoding encoding;             // input columns -> terms (plain for a version 1 file)
  std::string input_format = "csv";      // what predict and eval read: "csv" or "libsvm" (features "1".."d")
  std::vector<double> coefficients;      // binary: on the original scale of the features
  double intercept = 0;                  // binary
  std::vector<std::vector<double>> class_coefficients;  // multinomial / ovr: one row per class
  std::vector<double> class_intercepts;                 // multinomial / ovr: one per class
  // Standardisation used during the fit (z = (x - mean) / scale); empty when off.
  std::vector<double> mean, scale;
  double threshold = 0.5;
  fit_settings settings;
  fit_report report;
  std::size_t n_rows = 0;
  std::size_t rows_dropped = 0;          // --missing drop: training rows left out
  std::vector<double> class_counts;      // rows per class, in `classes` order
  std::optional<inference_data> inference;
  std::optional<cv_summary> cross_validation;  // written by `logreg cv -m`

  bool binary() const { return kind == "binary"; }
  const std::string& positive_class() const { return classes.at(1); }
  const std::string& negative_class() const { return classes.at(0); }
};

// The model's encoding of input columns; for a model without one (version 1), every feature is a
// numeric input column of the same name.
feature_encoding input_encoding(const model& m);

// The format version the model is written with: 1 unless it needs "input" (an encoding that is not
// plain, a missing-value mode other than error).
int file_version(const model& m);

nlohmann::json to_json(const model& m);
// Throws data_error "<source>: ..." for a malformed file, a different format or an unknown version.
model model_from_json(const nlohmann::json& j, const std::string& source);

// Writes to a temporary file beside `path`, flushes it to disk, then renames it over `path`:
// an interrupted or failed run never leaves a partial file or destroys an existing model.
void save_model(const model& m, const std::string& path);
model load_model(const std::string& path);

}  // namespace logreg
