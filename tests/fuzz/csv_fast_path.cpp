// Fuzz target: the fast parallel CSV paths (io/parallel_csv_loader.hpp: numeric_csv_loader.cpp,
// typed_csv_loader.cpp, record_ranges.cpp) against the sequential RFC 4180 reader, on the same bytes.
//
// Input: two control bytes, then the file, which is written to a regular file (in memory) and
// loaded twice with load_labelled_csv: allow_parallel true (the fast paths, which may decline and
// fall back) and false (the sequential reader only).
//   control byte 0: bits 0-1 threads (1-4); bits 2-3 --missing error / drop / impute / impute with
//     --na-values NA,-999 (a numeric marker); bit 4 --weight w; bit 5 --categorical c; bits 6-7
//     the fast path's record parser (scalar, SSE, best).
//   control byte 1: bits 0-1 the delimiter (',' ';' tab '|'); bit 2 --drop-first; bit 3
//     --ignore id; bit 4 --target y (else the last column).
// Oracle: the same data (terms, labels, label indices, the matrix bit for bit, weights, encoding,
// rows dropped, notes, warnings) or the same data_error message; any other exception is a bug.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "fuzz_support.hpp"
#include "io/parallel_csv_loader.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"

namespace {

using logreg::labelled_data;

struct result {
  std::unique_ptr<labelled_data> data;
  std::string error;
};

result load(const std::string& path, const logreg::column_selection& cols, logreg::csv_dialect dialect,
            const logreg::encoding_options& enc, bool parallel) {
  result r;
  try {
    r.data = std::make_unique<labelled_data>(logreg::load_labelled_csv(path, cols, dialect, {}, parallel, enc));
  } catch (const logreg::data_error& e) {
    r.error = e.what();
  }
  return r;
}

bool same_doubles(const double* a, const double* b, std::size_t n) { return n == 0 || std::memcmp(a, b, n * sizeof(double)) == 0; }

// What differs between two loads ("" when nothing).
std::string difference(const labelled_data& a, const labelled_data& b) {
  if (a.source != b.source) return "source";
  if (a.target_name != b.target_name) return "target_name";
  if (a.feature_names != b.feature_names) return "feature_names";
  if (a.labels != b.labels) return "labels";
  if (a.label_index != b.label_index) return "label_index";
  if ((a.compact == nullptr) != (b.compact == nullptr)) return "design kind (dense or categorical)";
  if (a.n_rows() != b.n_rows()) return "rows";
  const arma::mat A = a.dense_terms(), B = b.dense_terms();
  if (A.n_rows != B.n_rows || A.n_cols != B.n_cols) return "matrix shape";
  if (!same_doubles(A.memptr(), B.memptr(), A.n_elem)) return "matrix values";
  if (a.weights.n_elem != b.weights.n_elem || !same_doubles(a.weights.memptr(), b.weights.memptr(), a.weights.n_elem))
    return "weights";
  if (a.rows_dropped != b.rows_dropped) return "rows_dropped";
  if (a.first_dropped != b.first_dropped) return "first_dropped";
  if (a.notes != b.notes) return "notes";
  if (a.warnings != b.warnings) return "warnings";
  if (a.bytes != b.bytes) return "bytes";
  if (a.input_format != b.input_format) return "input_format";
  const auto &x = a.encoding, &y = b.encoding;
  if (x.missing != y.missing || x.na_values != y.na_values) return "encoding: missing mode or markers";
  if (x.columns.size() != y.columns.size()) return "encoding: columns";
  for (std::size_t k = 0; k < x.columns.size(); ++k) {
    const logreg::input_column &c = x.columns[k], &d = y.columns[k];
    if (c.name != d.name || c.categorical != d.categorical || c.levels != d.levels ||
        c.numeric_levels != d.numeric_levels || c.drop_first != d.drop_first || c.missing_level != d.missing_level ||
        c.has_impute != d.has_impute || !same_doubles(&c.impute, &d.impute, 1))
      return "encoding of column '" + c.name + "'";
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  logreg::apply_thread_policy();
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::controls in{data, size};
  const std::uint8_t c0 = in.take(), c1 = in.take();
  const int threads = 1 + (c0 & 3);
  logreg::encoding_options enc;
  switch ((c0 >> 2) & 3) {
    case 0: enc.missing = logreg::missing_mode::error; break;
    case 1: enc.missing = logreg::missing_mode::drop; break;
    case 2: enc.missing = logreg::missing_mode::impute; break;
    default:
      enc.missing = logreg::missing_mode::impute;
      enc.na_values = {"NA", "-999"};
  }
  logreg::column_selection cols;
  if (c0 & 16) cols.weight = "w";
  if (c0 & 32) enc.categorical = {"c"};
  using logreg::detail::csv_parser_level;
  static constexpr csv_parser_level levels[4] = {csv_parser_level::scalar, csv_parser_level::sse, csv_parser_level::best,
                                                 csv_parser_level::best};
  static constexpr char delimiters[4] = {',', ';', '\t', '|'};
  const logreg::csv_dialect dialect{delimiters[c1 & 3]};
  enc.drop_first = c1 & 4;
  if (c1 & 8) cols.ignore = {"id"};
  if (c1 & 16) cols.target = "y";

  fuzz::input_file().assign(in.rest());
  const std::string& path = fuzz::input_file().path();
  logreg::set_thread_count(threads);
  logreg::detail::set_csv_parser_level(levels[c0 >> 6]);
  const result fast = load(path, cols, dialect, enc, true);
  const result sequential = load(path, cols, dialect, enc, false);
  fuzz::check_no_descriptor_leak();
  const std::string where = " (file \"" + fuzz::printable(in.rest()) + "\", control bytes " + std::to_string(c0) + " " +
                            std::to_string(c1) + ")";
  fuzz::check(fast.error == sequential.error, "fast path: \"" + fuzz::printable(fast.error) + "\", sequential: \"" +
                                                  fuzz::printable(sequential.error) + "\"" + where);
  if (fast.data && sequential.data) {
    const std::string d = difference(*fast.data, *sequential.data);
    fuzz::check(d.empty(), "the fast path and the sequential reader give a different " + d + where);
  }
  return 0;
}
