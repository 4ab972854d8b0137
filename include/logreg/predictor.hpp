// Applying a model to CSV rows: streaming prediction (bounded memory, one output row per input row,
// in input order) and scoring of labelled data for evaluation.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "logreg/csv_reader.hpp"
#include "logreg/model.hpp"
#include "logreg/number_parser.hpp"
#include "logreg/progress.hpp"

namespace logreg {

struct predict_options {
  csv_dialect dialect;
  std::vector<std::string> keep;  // input columns copied verbatim to the output, first
  double threshold = 0.5;         // label = positive when probability >= threshold
  bool proba_only = false;        // drop the label column
  bool all_probabilities = false; // binary models: probability_<class> for both classes
  std::string output_name = "<stdout>";  // for messages
};

// Writes a header, then one row per input row: the kept columns, `label`, `probability`.
// Returns the number of rows written.
std::size_t predict_csv(const model& m, const std::string& input, std::FILE* out, const predict_options& options,
                        const progress_callbacks& progress = {});

struct scored_rows {
  // Binary models:
  std::vector<std::uint8_t> is_positive;  // the true label is the model's positive class
  // Models of K > 2 classes:
  std::vector<std::uint32_t> truth;       // index of the true label in the model's classes
  // Binary: the probability of the positive class per row; else K probabilities per row (row-major).
  std::vector<double> probability;
  std::vector<double> weights;  // per row, when a weight column was given
};

// Reads labelled rows (the model's target column must be present, holding the model's classes).
// weight_column: "" or a column of non-negative row weights (for weighted metrics).
scored_rows score_labelled_csv(const model& m, const std::string& input, csv_dialect dialect,
                               const progress_callbacks& progress = {}, const std::string& weight_column = "");

}  // namespace logreg
