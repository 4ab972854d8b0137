// Fitting K > 2 classes on an in-memory matrix (d x n, one column per observation): multinomial
// (softmax, scikit-learn's parameterisation) or one-vs-rest.
#pragma once
#include <armadillo>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "logreg/model.hpp"
#include "logreg/progress.hpp"
#include "logreg/settings.hpp"

namespace logreg {

struct multiclass_fit_result {
  std::vector<std::vector<double>> coefficients;  // K x d, original feature scale
  std::vector<double> intercepts;                 // K
  std::vector<double> mean, scale;                // the standardisation applied (empty when off)
  fit_report report;                              // ovr: the worst of the K fits
  std::optional<inference_data> inference;        // multinomial without a penalty or with L2 (multinomial_covariance.hpp)
  std::vector<std::string> warnings;
};

// y[i] in [0, K). X is standardised in place when settings.standardize. class_names (the K labels)
// name the equations of the inference data; without them none is estimated.
multiclass_fit_result fit_multiclass(arma::mat& X, const std::vector<std::uint32_t>& y, arma::uword K,
                                     const arma::vec& weights, const fit_settings& settings,
                                     const progress_callbacks& progress = {},
                                     const std::vector<std::string>& feature_names = {},
                                     const std::vector<std::string>& class_names = {});

}  // namespace logreg
