// Applying a model trained on libsvm input (model::input_format "libsvm") to libsvm rows: the same
// output as predict_csv and score_labelled_csv (predictor.hpp), streamed in blocks parsed by all
// threads, so memory stays bounded. Each row's score is the intercept plus its non-zeros times
// their coefficients, added in index order: the same bits as the same row given densely as CSV.
// Indices above the model's features are ignored (as LIBLINEAR does): the model knows nothing of
// them, which is what a coefficient of 0 says.
#pragma once
#include <cstdio>
#include <string>

#include "logreg/model.hpp"
#include "predict/predictor.hpp"
#include "logreg/progress.hpp"

namespace logreg {

// Throws data_error "<model_name>: ..." unless the model was trained on libsvm input.
void check_libsvm_model(const model& m, const std::string& model_name);

// Writes the header, then one row per data line: `label`, `probability` (or the columns of
// options: proba_only, all_probabilities, threshold). options.keep and options.dialect do not
// apply. Returns the number of rows written.
std::size_t predict_libsvm(const model& m, const std::string& input, std::FILE* out, const predict_options& options,
                           const progress_callbacks& progress = {});

// The labels (the first token of each line must be one of the model's classes) and probabilities.
scored_rows score_labelled_libsvm(const model& m, const std::string& input, const progress_callbacks& progress = {});

}  // namespace logreg
