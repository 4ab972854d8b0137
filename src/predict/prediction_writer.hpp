// What scored rows turn into, for every input format: predict's CSV text (kept columns, label,
// probabilities) or eval's labels and probabilities, one row at a time in input order.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/row_encoder.hpp"
#include "logreg/model.hpp"
#include "predict/predictor.hpp"

namespace logreg {

// The output of a block of rows.
struct prediction_sink {
  encode_counts counts;                   // CSV: unseen levels, imputed cells
  std::string text;                       // predict
  std::vector<std::uint8_t> is_positive;  // eval, binary models
  std::vector<std::uint32_t> truth;       // eval, K > 2 classes
  std::vector<double> probability;        // eval
  std::vector<double> weights;            // eval --weight
  std::size_t rows = 0;
};

class prediction_writer {
 public:
  // predict: the options; eval: null.
  prediction_writer(const model& m, const predict_options* predict);

  // The header of predict's output: the kept columns, `label`, the probabilities.
  std::string header(const std::vector<std::string>& kept_names) const;

  // One row: its kept cells, its label text (eval) and its probabilities (model_probabilities: one
  // for binary models, else K). False, with a message, when the label is not one of the classes.
  bool emit(prediction_sink& out, const std::string_view* kept, std::size_t n_kept, std::string_view label,
            const double* p, std::string& error) const;

 private:
  const model& m_;
  const predict_options* predict_;
  std::vector<std::string> class_fields_;  // the labels as CSV fields
};

}  // namespace logreg
