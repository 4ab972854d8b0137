// From the cells of a CSV row to the model's feature vector: numeric columns, categorical columns
// (one indicator per level), and missing values. The encoding is learnt from the training file,
// stored in the model, and applied identically by predict and eval.
//
// Terms: the entries of the feature vector, in input-column order. A numeric column is one term
// named like the column; a categorical column is one term per level, named "column=level", except
// the reference level when the first level is dropped; under --missing impute a categorical column
// that had missing cells in training gets a last term "column=(missing)".
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace logreg {

enum class missing_mode { error, drop, impute };
enum class unknown_mode { error, zero };

std::string to_string(missing_mode m);
std::string to_string(unknown_mode u);
missing_mode parse_missing(const std::string& text);  // throws usage_error naming --missing
unknown_mode parse_unknown(const std::string& text);  // throws usage_error naming --unknown

// Cells holding one of these (after trimming blanks) are missing; empty cells always are.
std::vector<std::string> default_na_values();

inline constexpr const char* missing_level_name = "(missing)";

struct input_column {
  std::string name;
  bool categorical = false;
  // Categorical: the levels seen in training, sorted (numerically when every level is a number,
  // else by bytes, as scikit-learn's OneHotEncoder and R's factor()).
  std::vector<std::string> levels;
  bool numeric_levels = false;  // every level is a number: a cell matches a level by value ("2.0" is "2")
  bool drop_first = false;      // levels[0] is the reference: it has no term
  bool missing_level = false;   // a term for missing cells, after the levels (--missing impute)
  bool has_impute = false;      // numeric under --missing impute: missing cells take `impute`
  double impute = 0;            // the training mean of the column's numbers

  std::size_t n_terms() const;
};

struct feature_encoding {
  std::vector<input_column> columns;
  missing_mode missing = missing_mode::error;
  std::vector<std::string> na_values = default_na_values();

  // Every column numeric and nothing to impute: the terms are the columns (a version 1 model).
  bool plain() const;
  std::size_t n_terms() const;
  std::vector<std::string> term_names() const;
  // Index of the first term of each column, and n_terms() at the end.
  std::vector<std::size_t> term_offsets() const;
};

}  // namespace logreg
