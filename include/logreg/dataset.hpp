// Labelled training data, loaded from CSV.
//
// Orientation, once for the whole project: X is d x n, one COLUMN per observation (per CSV row).
// A row of the file is then contiguous in memory: parsing writes sequentially, and a block of
// observations is a contiguous column block for BLAS (X_b' w, X_b r, SYRK of X_b).
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

#include "logreg/column_selection.hpp"
#include "logreg/csv_reader.hpp"
#include "logreg/progress.hpp"

namespace logreg {

struct labelled_data {
  std::string source;
  std::string target_name;
  std::vector<std::string> feature_names;
  arma::mat X;                               // d x n
  std::vector<std::string> labels;           // distinct target texts, in order of first appearance
  std::vector<std::uint32_t> label_index;    // per observation: index into labels
  arma::vec weights;                         // per observation, from column_selection::weight (else empty)
  std::size_t bytes = 0;                     // size of the input read
};

// Reads a headered CSV. Throws data_error naming file, line, column and cause for bad cells,
// unknown column names, an empty file or a header without rows.
// Regular files are parsed by thread_count() threads (parallel_csv_loader.hpp) unless
// allow_parallel is false; the result is the same either way, bit for bit.
labelled_data load_labelled_csv(const std::string& path, const column_selection& columns,
                                csv_dialect dialect = {}, const progress_callbacks& progress = {},
                                bool allow_parallel = true);

}  // namespace logreg
