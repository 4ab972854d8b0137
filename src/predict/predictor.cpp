#include "predict/predictor.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fast_float/fast_float.h>

#include "logreg/error.hpp"
#include "io/number_parser.hpp"
#include "io/record_scan.hpp"
#include "base/numerics.hpp"
#include "data/dense_design.hpp"
#include "predict/prediction_writer.hpp"
#include "predict/scoring.hpp"
#include "base/parallel.hpp"
#include "base/text.hpp"

namespace logreg {

namespace {

constexpr std::size_t block_bytes = 4 << 20;

// Where the model's inputs are in the file, and what each column is for.
struct layout {
  std::vector<std::size_t> input_column;    // input column c of the model's encoding is file column input_column[c]
  std::vector<std::size_t> keep;            // columns copied to the output
  std::size_t target = SIZE_MAX;            // the label column (eval)
  std::size_t weight = SIZE_MAX;            // the row-weight column (eval --weight)
  std::size_t n_columns = 0;
};

layout find_columns(const feature_encoding& enc, const model& m, const csv_reader& reader,
                    const std::vector<std::string>& keep, bool need_target) {
  layout l;
  const auto& header = reader.header();
  l.n_columns = header.size();
  for (const input_column& c : enc.columns)
    l.input_column.push_back(reader.column(c.name, "the model needs feature '" + printable(c.name) + "'"));
  for (const std::string& k : keep) l.keep.push_back(reader.column(k, "--keep"));
  if (need_target) l.target = reader.column(m.target, "the model's target column");
  return l;
}

// One encoded row's probabilities, through the design interface (a one-column view of the row).
class row_scorer {
 public:
  explicit row_scorer(const model& m) : m_(m), p_(m.binary() ? 1 : m.classes.size()) {}
  const double* operator()(const std::vector<double>& x) {
    model_probabilities(m_, dense_design(x.data(), x.size(), 1), 0, 1, p_.data());
    return p_.data();
  }

 private:
  const model& m_;
  std::vector<double> p_;
};

bool row_weight(std::string_view cell, double& w, std::string& error) {
  if (parse_number(cell, w) == cell_kind::number && w >= 0) return true;
  error = "expected a non-negative number as the row's weight, found " + quoted_text(cell);
  return false;
}

// A problem found by a fast parser: where (byte offset of the record in the block, field) and what.
struct fast_error {
  std::size_t record_offset = SIZE_MAX;
  std::size_t field = SIZE_MAX;  // SIZE_MAX: a record-level problem (field count)
  std::string message;
};

// Parses the simple records of [p, end) (no quotes; every record ends with `term`) into `out`.
// Stops at the first problem and describes it in `err`.
void parse_simple_records(const char* begin, const char* p, const char* end, char delim, char term, const layout& cols,
                          const row_encoder& encoder, const prediction_writer& writer, row_scorer scorer,
                          prediction_sink& out, fast_error& err) {
  const std::size_t C = cols.input_column.size();
  std::vector<std::string_view> cells(cols.n_columns), inputs(C);
  std::vector<std::string_view> kept(cols.keep.size());
  std::vector<double> x(encoder.n_terms());
  std::string error;
  encode_problem problem;
  out.counts = encoder.make_counts();
  while (p < end) {
    const char* record = p;
    const char* line_end = static_cast<const char*>(std::memchr(p, term, static_cast<std::size_t>(end - p)));
    const char* stop = line_end ? line_end : end;
    if (term == '\n' && stop > p && stop[-1] == '\r') --stop;  // CRLF
    if (stop == p) {  // a blank line
      p = line_end ? line_end + 1 : end;
      continue;
    }
    std::size_t k = 0;
    const char* c = p;
    for (;;) {
      const char* q = static_cast<const char*>(std::memchr(c, delim, static_cast<std::size_t>(stop - c)));
      const char* cell_end = q ? q : stop;
      if (k < cols.n_columns) cells[k] = std::string_view(c, static_cast<std::size_t>(cell_end - c));
      ++k;
      if (!q) break;
      c = q + 1;
    }
    if (k != cols.n_columns) {
      err = {static_cast<std::size_t>(record - begin), SIZE_MAX,
             "expected " + std::to_string(cols.n_columns) + " fields as in the header, found " + std::to_string(k)};
      return;
    }
    for (std::size_t c = 0; c < C; ++c) inputs[c] = cells[cols.input_column[c]];
    if (!encoder.encode(inputs.data(), x.data(), out.counts, problem)) {
      err = {static_cast<std::size_t>(record - begin), cols.input_column[problem.column], problem.message};
      return;
    }
    for (std::size_t i = 0; i < cols.keep.size(); ++i) kept[i] = cells[cols.keep[i]];
    const std::string_view label = cols.target == SIZE_MAX ? std::string_view() : cells[cols.target];
    if (!writer.emit(out, kept.data(), kept.size(), label, scorer(x), error)) {
      err = {static_cast<std::size_t>(record - begin), cols.target, error};
      return;
    }
    if (cols.weight != SIZE_MAX) {
      double w;
      if (!row_weight(cells[cols.weight], w, error)) {
        err = {static_cast<std::size_t>(record - begin), cols.weight, error};
        return;
      }
      out.weights.push_back(w);
    }
    p = line_end ? line_end + 1 : end;
  }
}

std::size_t count_byte(const char* p, const char* end, char c) {
  return detail::count_byte(p, static_cast<std::size_t>(end - p), c);
}

// The fast path takes a block when it has no quotes and only the header's kind of line end.
bool simple_block(std::string_view b, char term) {
  if (std::memchr(b.data(), '"', b.size())) return false;
  if (term == '\r') return !std::memchr(b.data(), '\n', b.size());
  // LF files: every CR must be part of a CRLF (a lone CR would end a line for the full reader).
  const char* p = b.data();
  const char* end = p + b.size();
  while (p < end) {
    const char* cr = static_cast<const char*>(std::memchr(p, '\r', static_cast<std::size_t>(end - p)));
    if (!cr) return true;
    if (cr + 1 >= end || cr[1] != '\n') return false;
    p = cr + 2;
  }
  return true;
}

// Streams the input through `writer`, calling flush(sink) after each block in input order.
// Blocks of simple records are parsed by all threads at once; anything else (quotes, ...) goes
// through the full RFC 4180 reader record by record, so both give the same rows and messages.
template <class Flush>
void stream_rows(csv_reader& reader, const layout& cols, const row_encoder& encoder, const prediction_writer& writer,
                 const row_scorer& scorer, Flush&& flush, const progress_callbacks& progress) {
  const char term = reader.header_line_end();
  const char delim = reader.delimiter();
  const int T = thread_count();
  std::vector<std::string_view> fields, kept(cols.keep.size()), inputs(cols.input_column.size());
  std::vector<double> x(encoder.n_terms());
  std::string error;
  encode_problem problem;
  for (;;) {
    const std::string_view view = reader.peek_raw(block_bytes);
    if (view.empty()) break;
    const char* last_term = static_cast<const char*>(memrchr(view.data(), term, view.size()));
    std::size_t upto = last_term ? static_cast<std::size_t>(last_term - view.data()) + 1 : 0;
    if (reader.input_ended()) upto = view.size();
    if (upto > 0 && simple_block(view.substr(0, upto), term)) {
      // Split into T parts at line ends; parse them concurrently.
      std::vector<const char*> bounds{view.data()};
      for (int t = 1; t < T; ++t) {
        const char* at = std::max(bounds.back(), view.data() + upto * static_cast<std::size_t>(t) / static_cast<std::size_t>(T));
        const char* hit = static_cast<const char*>(std::memchr(at, term, static_cast<std::size_t>(view.data() + upto - at)));
        bounds.push_back(hit ? hit + 1 : view.data() + upto);
      }
      bounds.push_back(view.data() + upto);
      std::vector<prediction_sink> parts(static_cast<std::size_t>(T));
      std::vector<fast_error> errors(static_cast<std::size_t>(T));
      run_parallel(T, [&](int t) {
        parse_simple_records(view.data(), bounds[static_cast<std::size_t>(t)], bounds[static_cast<std::size_t>(t) + 1],
                             delim, term, cols, encoder, writer, scorer, parts[static_cast<std::size_t>(t)],
                             errors[static_cast<std::size_t>(t)]);
      });
      for (const fast_error& e : errors) {  // the first problem in input order
        if (e.record_offset == SIZE_MAX) continue;
        const std::size_t line = reader.next_line() + count_byte(view.data(), view.data() + e.record_offset, term);
        if (e.field == SIZE_MAX) throw data_error(reader.source() + ":" + std::to_string(line) + ": " + e.message);
        throw data_error(cell_place(reader.source(), line, e.field, reader.header()[e.field]) + ": " + e.message);
      }
      std::size_t rows = 0;
      for (prediction_sink& s : parts) {
        rows += s.rows;
        flush(s);
      }
      reader.consume_raw(upto, count_byte(view.data(), view.data() + upto, term), rows);
    } else {
      // Record by record up to the end of this block (at least one record).
      const std::size_t target = reader.bytes_consumed() + std::max<std::size_t>(upto, 1);
      prediction_sink s;
      s.counts = encoder.make_counts();
      row_scorer score = scorer;
      while (reader.bytes_consumed() < target && reader.next(fields)) {
        for (std::size_t c = 0; c < inputs.size(); ++c) inputs[c] = fields[cols.input_column[c]];
        if (!encoder.encode(inputs.data(), x.data(), s.counts, problem))
          reader.fail(cols.input_column[problem.column], problem.message);
        for (std::size_t i = 0; i < cols.keep.size(); ++i) kept[i] = fields[cols.keep[i]];
        const std::string_view label = cols.target == SIZE_MAX ? std::string_view() : fields[cols.target];
        if (!writer.emit(s, kept.data(), kept.size(), label, score(x), error)) reader.fail(cols.target, error);
        if (cols.weight != SIZE_MAX) {
          double w;
          if (!row_weight(fields[cols.weight], w, error)) reader.fail(cols.weight, error);
          s.weights.push_back(w);
        }
      }
      flush(s);
    }
    if (progress.on_load) progress.on_load(reader.bytes_consumed(), reader.total_bytes(), reader.records());
  }
}

// Writes and flushes, so that a full disk or a closed pipe is an error now, not a lost tail.
void write_all(std::FILE* out, const std::string& text, const std::string& name) {
  if ((!text.empty() && std::fwrite(text.data(), 1, text.size(), out) != text.size()) || std::fflush(out) != 0)
    throw data_error(name + ": cannot write the predictions: " + std::strerror(errno));
}

}  // namespace

prediction_summary predict_csv(const model& m, const std::string& input, std::FILE* out,
                               const predict_options& options, const progress_callbacks& progress) {
  csv_reader reader(input, options.dialect);
  reader.read_header();
  feature_encoding enc = input_encoding(m);
  if (options.override_na_values) enc.na_values = options.na_values;
  const row_encoder encoder(enc, options.unknown);
  const layout cols = find_columns(enc, m, reader, options.keep, false);
  const prediction_writer writer(m, &options);
  std::vector<std::string> kept_names;
  for (std::size_t j : cols.keep) kept_names.push_back(reader.header()[j]);
  write_all(out, writer.header(kept_names), options.output_name);
  prediction_summary summary;
  summary.counts = encoder.make_counts();
  stream_rows(
      reader, cols, encoder, writer, row_scorer(m),
      [&](const prediction_sink& s) {
        write_all(out, s.text, options.output_name);
        summary.rows += s.rows;
        summary.counts.add(s.counts);
      },
      progress);
  return summary;
}

scored_rows score_labelled_csv(const model& m, const std::string& input, csv_dialect dialect,
                               const progress_callbacks& progress, const std::string& weight_column,
                               unknown_mode unknown, const std::vector<std::string>* na_values) {
  csv_reader reader(input, dialect);
  reader.read_header(true);  // eval and threshold need rows
  feature_encoding enc = input_encoding(m);
  if (na_values) enc.na_values = *na_values;
  const row_encoder encoder(enc, unknown);
  layout cols = find_columns(enc, m, reader, {}, true);
  if (!weight_column.empty()) cols.weight = reader.column(weight_column, "--weight");
  const prediction_writer writer(m, nullptr);
  scored_rows out;
  out.counts = encoder.make_counts();
  stream_rows(
      reader, cols, encoder, writer, row_scorer(m),
      [&](const prediction_sink& s) {
        out.counts.add(s.counts);
        out.is_positive.insert(out.is_positive.end(), s.is_positive.begin(), s.is_positive.end());
        out.truth.insert(out.truth.end(), s.truth.begin(), s.truth.end());
        out.weights.insert(out.weights.end(), s.weights.begin(), s.weights.end());
        out.probability.insert(out.probability.end(), s.probability.begin(), s.probability.end());
      },
      progress);
  if (out.probability.empty()) throw data_error(reader.source() + ": the header has no data rows below it");
  return out;
}

}  // namespace logreg
