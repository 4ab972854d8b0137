// The fast path of load_labelled_csv for regular files: the file is split into byte ranges at line
// ends, the threads parse the ranges straight into their columns of the final matrix (no
// intermediate strings, no second copy of the data), numbers by the converters of simd_number.hpp
// and decimal_conversion.hpp (the same doubles as fast_float).
//
// It handles the common, strict case only: one record per line (quoted fields, as R and pandas
// write them, but no line break inside the quotes; blank lines are skipped), one kind of line
// end, a number in every feature cell. Anything else makes it return false, and the
// caller reads the file again with the sequential csv_reader, which handles all of RFC 4180 and
// produces the exact error message (file, line, column). So both paths give identical results.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/buffer.hpp"
#include "data/dataset.hpp"
#include "data/row_encoder.hpp"
#include "io/text_hash.hpp"

namespace logreg::detail {

struct column_roles {
  std::size_t n_columns = 0;            // fields per record
  std::size_t target = 0;               // index of the label column
  std::vector<std::size_t> features;    // feature j is column features[j]
  std::size_t weight = SIZE_MAX;        // the sample-weight column, if any
  std::size_t fold = SIZE_MAX;          // cv's --fold-column, if any (load_parallel only)
};

// The record parser of the fast path: by default the best this CPU has (SSE4.1 on x86-64, else
// portable scalar code). Tests ask for each in turn; all give the same doubles.
enum class csv_parser_level { scalar = 0, sse = 1, best = 2 };
void set_csv_parser_level(csv_parser_level level);

// data_start: byte offset of the first data record (just after the header's line end).
// On success fills out.X, out.labels, out.label_index and returns true. With `into`, the rows go
// to the caller's memory instead of out.X (d x into_rows doubles, column-major; more rows than
// that: false), so that the pieces of several files fill one matrix.
bool load_parallel(const std::string& path, std::size_t data_start, std::size_t file_size,
                   const column_roles& roles, char delimiter, int threads, labelled_data& out,
                   const progress_callbacks& progress, double* into = nullptr, std::size_t into_rows = 0);

// The same fast path for files with categorical columns or missing cells (the typed loader's
// first stage): every record's cells, per feature column, in file order. The caller turns them
// into the encoding and X exactly as the sequential typed loader does.
struct typed_cells {
  std::size_t records = 0;                        // every data record of the file
  std::vector<buffer<double>> values;             // numeric feature k: per record (NaN: missing)
  std::vector<buffer<std::uint32_t>> ids;         // categorical feature k: per record, into texts[k]
  std::vector<std::vector<std::string>> texts;    // categorical feature k: its texts, first appearance first
  std::vector<std::string> labels;                // first appearance first
  buffer<std::uint32_t> label_index;              // per record (UINT32_MAX: missing)
  buffer<double> weights;                         // per record, with a weight column (NaN: missing)
  buffer<std::uint8_t> has_missing;               // per record: 1 if a feature, the label or the weight is missing
};
inline constexpr std::uint32_t missing_cell_id = UINT32_MAX;
// typed_cells::has_missing bits: which kinds of cell are missing (the first dropped row is named by
// its first missing cell: features in order, then the label, then the weight).
inline constexpr std::uint8_t missing_feature = 1, missing_label = 2, missing_weight = 4;

// How load_parallel_typed treats cells; anything it cannot take (a missing cell when missing cells
// are errors, text in a numeric column, a non-finite number, a bad weight, ...) makes it return
// false, and the sequential loader then reads the file and reports the first problem.
struct typed_rules {
  std::vector<bool> categorical;        // per feature
  const row_encoder* na = nullptr;      // is_missing
  bool missing_allowed = false;         // features may be missing (--missing drop / impute)
  bool missing_rows_allowed = false;    // the label and the weight may be missing too (--missing drop)
};

bool load_parallel_typed(const std::string& path, std::size_t data_start, std::size_t file_size,
                         const column_roles& roles, const typed_rules& rules, char delimiter, int threads,
                         typed_cells& out, const progress_callbacks& progress);

}  // namespace logreg::detail
