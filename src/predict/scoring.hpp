// A model's probabilities for observations of a design (design.hpp) holding the model's terms:
// what predict, eval and the public predict_proba() compute, from any kind of design (a parsed CSV
// row, a block of libsvm rows, a matrix), bit for bit alike — the design's exact_scores add each
// row's terms in order from the intercept, wherever the row is.
#pragma once
#include <armadillo>

#include "data/design.hpp"
#include "logreg/model.hpp"

namespace logreg {

// Observations [lo, lo + len): binary models P(positive class), one per observation; models of K > 2
// classes K probabilities per observation (row-major: out[i * K + k]), softmax or, for one-vs-rest,
// the K sigmoids normalised to sum to 1.
void model_probabilities(const model& m, const design& X, arma::uword lo, arma::uword len, double* out);

}  // namespace logreg
