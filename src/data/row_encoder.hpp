// Applying a feature_encoding (logreg/encoding.hpp) to the cells of one CSV row: what the loaders
// and the predictor use to turn text into the model's terms.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "logreg/encoding.hpp"

namespace logreg {

// Sorts levels as input_column::levels are sorted; sets numeric when all are numbers.
void sort_levels(std::vector<std::string>& levels, bool& numeric);

// Why a row could not be encoded.
struct encode_problem {
  std::size_t column = 0;  // index into feature_encoding::columns
  std::string message;
};

// Counts kept while encoding rows (per input column).
struct encode_counts {
  std::vector<std::size_t> unknown;   // cells whose level was not seen in training (--unknown zero)
  std::vector<std::size_t> imputed;   // missing cells filled in
  void add(const encode_counts& other);
  std::size_t total_unknown() const;
  std::size_t total_imputed() const;
};

class row_encoder {
 public:
  row_encoder(const feature_encoding& encoding, unknown_mode unknown);

  bool is_missing(std::string_view cell) const;

  // cells[c] is the text of input column c (encoding.columns[c]); writes n_terms() values to x.
  // false with `problem` set when a cell cannot be encoded (a missing cell without imputation, text
  // in a numeric column, an unseen level under --unknown error).
  bool encode(const std::string_view* cells, double* x, encode_counts& counts, encode_problem& problem) const;

  encode_counts make_counts() const;
  std::size_t n_terms() const { return n_terms_; }
  const feature_encoding& encoding() const { return enc_; }

 private:
  const feature_encoding& enc_;
  unknown_mode unknown_;
  std::size_t n_terms_;
  std::vector<std::size_t> offset_;
  std::vector<std::unordered_map<std::string, std::size_t>> level_term_;  // level text -> term (or SIZE_MAX: reference)
  std::vector<std::vector<std::pair<double, std::size_t>>> level_value_;  // numeric levels: value -> term
  std::vector<std::string> na_;
  bool na_numeric_ = false;  // a missing-value marker reads as a number (or NaN): test it first
  std::string missing_message(std::string_view cell) const;
};

}  // namespace logreg
