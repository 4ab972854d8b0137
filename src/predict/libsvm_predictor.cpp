#include "predict/libsvm_predictor.hpp"

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "io/csv_reader.hpp"
#include "logreg/error.hpp"
#include "io/libsvm_reader.hpp"
#include "data/sparse_design.hpp"
#include "predict/prediction_writer.hpp"
#include "predict/scoring.hpp"
#include "base/parallel.hpp"

namespace logreg {

namespace {

void write_all(std::FILE* out, const std::string& text, const std::string& name) {
  if ((!text.empty() && std::fwrite(text.data(), 1, text.size(), out) != text.size()) || std::fflush(out) != 0)
    throw data_error(name + ": cannot write the predictions: " + std::strerror(errno));
}

// The probabilities of every row of a parsed part, through the design interface (a sparse view of
// the part; indices above the model's features are ignored by its exact scores).
void part_probabilities(const model& m, const libsvm_rows& part, std::vector<double>& p) {
  const std::size_t per_row = m.binary() ? 1 : m.classes.size();
  p.resize(part.rows() * per_row);
  if (part.rows() == 0) return;
  const sparse_design rows(part.row_ptr.data(), part.col.data(), part.val.data(), part.rows(), m.features.size());
  model_probabilities(m, rows, 0, part.rows(), p.data());
}

}  // namespace

void check_libsvm_model(const model& m, const std::string& model_name) {
  if (m.input_format == "libsvm") return;
  std::string columns;
  for (std::size_t j = 0; j < m.features.size() && j < 3; ++j) columns += (j ? ", '" : "'") + m.features[j] + "'";
  if (m.features.size() > 3) columns += ", ...";
  throw data_error(model_name + ": the model was trained on CSV columns (" + columns +
                   "), so it reads CSV input, not libsvm (use --format csv)");
}

std::size_t predict_libsvm(const model& m, const std::string& input, std::FILE* out, const predict_options& options,
                           const progress_callbacks& progress) {
  check_libsvm_model(m, "the model");
  libsvm_reader reader(input);
  const prediction_writer writer(m, &options);
  write_all(out, writer.header({}), options.output_name);
  const std::size_t per_row = m.binary() ? 1 : m.classes.size();
  std::vector<prediction_sink> sinks;
  std::size_t total = 0;
  const int T = thread_count();
  for (;;) {
    const std::vector<libsvm_rows>& parts = reader.next_block(T);
    if (parts.empty()) break;
    sinks.assign(parts.size(), prediction_sink{});
    run_parallel(static_cast<int>(parts.size()), [&](int t) {
      const libsvm_rows& part = parts[static_cast<std::size_t>(t)];
      prediction_sink& s = sinks[static_cast<std::size_t>(t)];
      std::vector<double> p;
      part_probabilities(m, part, p);
      std::string error;
      for (std::size_t r = 0; r < part.rows(); ++r) writer.emit(s, nullptr, 0, {}, p.data() + r * per_row, error);
    });
    for (std::size_t t = 0; t < parts.size(); ++t) {
      write_all(out, sinks[t].text, options.output_name);
      total += parts[t].rows();
    }
    if (progress.on_load) progress.on_load(reader.bytes_consumed(), reader.total_bytes(), reader.rows());
  }
  return total;
}

scored_rows score_labelled_libsvm(const model& m, const std::string& input, const progress_callbacks& progress) {
  check_libsvm_model(m, "the model");
  libsvm_reader reader(input);
  const prediction_writer writer(m, nullptr);
  const std::size_t per_row = m.binary() ? 1 : m.classes.size();
  struct part_result {
    prediction_sink rows;
    std::size_t bad = SIZE_MAX;  // the first row whose label is not a class ...
    std::string error;           // ... and why
  };
  std::vector<part_result> results;
  scored_rows out;
  const int T = thread_count();
  for (;;) {
    const std::vector<libsvm_rows>& parts = reader.next_block(T);
    if (parts.empty()) break;
    results.assign(parts.size(), part_result{});
    run_parallel(static_cast<int>(parts.size()), [&](int t) {
      const libsvm_rows& part = parts[static_cast<std::size_t>(t)];
      part_result& res = results[static_cast<std::size_t>(t)];
      std::vector<double> p;
      part_probabilities(m, part, p);
      for (std::size_t r = 0; r < part.rows(); ++r)
        if (!writer.emit(res.rows, nullptr, 0, part.label[r], p.data() + r * per_row, res.error)) {
          res.bad = r;
          return;
        }
    });
    for (std::size_t t = 0; t < parts.size(); ++t) {
      const part_result& res = results[t];
      if (res.bad != SIZE_MAX)
        throw data_error(reader.source() + ":" + std::to_string(parts[t].line[res.bad]) + ":1: " + res.error);
      out.is_positive.insert(out.is_positive.end(), res.rows.is_positive.begin(), res.rows.is_positive.end());
      out.truth.insert(out.truth.end(), res.rows.truth.begin(), res.rows.truth.end());
      out.probability.insert(out.probability.end(), res.rows.probability.begin(), res.rows.probability.end());
    }
    if (progress.on_load) progress.on_load(reader.bytes_consumed(), reader.total_bytes(), reader.rows());
  }
  if (out.probability.empty())
    throw data_error(reader.source() + ": no data rows (the input is empty or holds only blank and comment lines)");
  return out;
}

}  // namespace logreg
