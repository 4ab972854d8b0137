// Applying a model to CSV rows: streaming prediction (bounded memory, one output row per input row,
// in input order) and scoring of labelled data for evaluation.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "io/csv_reader.hpp"
#include "data/row_encoder.hpp"
#include "logreg/model.hpp"
#include "io/number_parser.hpp"
#include "logreg/progress.hpp"

namespace logreg {

struct predict_options {
  csv_dialect dialect;
  std::vector<std::string> keep;  // input columns copied verbatim to the output, first
  double threshold = 0.5;         // label = positive when probability >= threshold
  bool proba_only = false;        // drop the label column
  bool all_probabilities = false; // binary models: probability_<class> for both classes
  std::string output_name = "<stdout>";  // for messages
  unknown_mode unknown = unknown_mode::zero;  // a level not seen in training: all indicators 0, or an error
  std::vector<std::string> na_values;   // with override_na_values: replaces the model's missing-value markers
  bool override_na_values = false;
};

struct prediction_summary {
  std::size_t rows = 0;
  encode_counts counts;  // per input column of the model: unseen levels, imputed cells
};

// Writes a header, then one row per input row: the kept columns, `label`, `probability`.
prediction_summary predict_csv(const model& m, const std::string& input, std::FILE* out,
                               const predict_options& options, const progress_callbacks& progress = {});

struct scored_rows {
  // Binary models:
  std::vector<std::uint8_t> is_positive;  // the true label is the model's positive class
  // Models of K > 2 classes:
  std::vector<std::uint32_t> truth;       // index of the true label in the model's classes
  // Binary: the probability of the positive class per row; else K probabilities per row (row-major).
  std::vector<double> probability;
  std::vector<double> weights;  // per row, when a weight column was given
  encode_counts counts;         // per input column of the model: unseen levels, imputed cells
};

// Reads labelled rows (the model's target column must be present, holding the model's classes).
// weight_column: "" or a column of non-negative row weights (for weighted metrics).
scored_rows score_labelled_csv(const model& m, const std::string& input, csv_dialect dialect,
                               const progress_callbacks& progress = {}, const std::string& weight_column = "",
                               unknown_mode unknown = unknown_mode::zero,
                               const std::vector<std::string>* na_values = nullptr);

}  // namespace logreg
