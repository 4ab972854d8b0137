// Applying a model to numbers in memory. X is d x n, one column per observation (fit.hpp), whose d
// rows are the model's features (model::features, in that order: for a model trained on CSV
// columns with categorical levels, the encoded terms).
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "logreg/model.hpp"

namespace logreg {

// K x n: row k is the probability of model.classes[k] (binary models: row 0 the negative class,
// row 1 the positive one). The same numbers, bit for bit, as `logreg predict` for the same rows.
arma::mat predict_proba(const model& m, const arma::mat& X);
arma::mat predict_proba(const model& m, const arma::sp_mat& X);

// The predicted class of each observation: binary models the positive class when its probability
// is >= threshold (default: the model's), otherwise the most probable class.
std::vector<std::string> predict_labels(const model& m, const arma::mat& X);
std::vector<std::string> predict_labels(const model& m, const arma::mat& X, double threshold);

}  // namespace logreg
