#include "logreg/predictor.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "blas.hpp"
#include "logreg/error.hpp"
#include "logreg/number_parser.hpp"
#include "logreg/numerics.hpp"

namespace logreg {

namespace {

constexpr std::size_t block_rows = 4096;

// Parses the model's features from each record into a block (row-major: d values per row) and turns
// a full block into probabilities with one matrix-vector product.
class row_scorer {
 public:
  row_scorer(const model& m, csv_reader& reader) : m_(m), reader_(reader) {
    const auto& header = reader.header();
    for (const std::string& f : m.features) {
      bool found = false;
      for (std::size_t j = 0; j < header.size(); ++j)
        if (header[j] == f) {
          columns_.push_back(j);
          found = true;
          break;
        }
      if (!found)
        column_index(header, f, "the model needs feature '" + f + "'", reader.source());
    }
    values_.reserve(block_rows * m.features.size());
  }

  void add(const std::vector<std::string_view>& fields) {
    for (std::size_t j : columns_) {
      double v;
      const cell_kind kind = parse_number(fields[j], v);
      if (kind != cell_kind::number) reader_.fail(j, non_number_message(kind, fields[j]));
      values_.push_back(v);
    }
    ++rows_;
  }

  std::size_t rows() const { return rows_; }

  // Probabilities of the positive class for the rows added since the last call.
  const std::vector<double>& score() {
    prob_.assign(rows_, m_.intercept);
    const int d = static_cast<int>(m_.features.size());
    if (rows_ > 0 && d > 0)
      blas::gemv(true, d, static_cast<int>(rows_), 1.0, values_.data(), d, m_.coefficients.data(), 1.0, prob_.data());
    for (double& z : prob_) z = sigmoid(z);
    values_.clear();
    rows_ = 0;
    return prob_;
  }

 private:
  const model& m_;
  csv_reader& reader_;
  std::vector<std::size_t> columns_;
  std::vector<double> values_;
  std::vector<double> prob_;
  std::size_t rows_ = 0;
};

// Writes and flushes, so that a full disk or a closed pipe is an error now, not a lost tail.
void write_all(std::FILE* out, const std::string& text, const std::string& name) {
  if ((!text.empty() && std::fwrite(text.data(), 1, text.size(), out) != text.size()) || std::fflush(out) != 0)
    throw data_error(name + ": cannot write the predictions: " + std::strerror(errno));
}

}  // namespace

std::size_t predict_csv(const model& m, const std::string& input, std::FILE* out, const predict_options& options,
                        const progress_callbacks& progress) {
  csv_reader reader(input, options.dialect);
  reader.read_header();
  row_scorer scorer(m, reader);
  std::vector<std::size_t> keep;
  for (const std::string& k : options.keep) keep.push_back(column_index(reader.header(), k, "--keep", reader.source()));

  std::string text;
  for (std::size_t j : keep) {
    append_csv_field(text, reader.header()[j]);
    text.push_back(',');
  }
  text += options.proba_only ? "probability\n" : "label,probability\n";

  // Kept cells of the rows in the current block, already escaped, one string per row.
  std::vector<std::string> kept;
  std::string positive, negative;
  append_csv_field(positive, m.positive_class());
  append_csv_field(negative, m.negative_class());
  std::size_t total = 0;

  auto flush_block = [&] {
    const std::vector<double>& p = scorer.score();
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (!keep.empty()) text += kept[i];
      if (!options.proba_only) {
        text += p[i] >= options.threshold ? positive : negative;
        text.push_back(',');
      }
      char buf[32];
      text.append(buf, std::to_chars(buf, buf + sizeof buf, p[i]).ptr);
      text.push_back('\n');
    }
    total += p.size();
    kept.clear();
    write_all(out, text, options.output_name);
    text.clear();
    if (progress.on_load) progress.on_load(reader.bytes_consumed(), reader.total_bytes(), total);
  };

  std::vector<std::string_view> fields;
  while (reader.next(fields)) {
    scorer.add(fields);
    if (!keep.empty()) {
      std::string row;
      for (std::size_t j : keep) {
        append_csv_field(row, fields[j]);
        row.push_back(',');
      }
      kept.push_back(std::move(row));
    }
    if (scorer.rows() == block_rows) flush_block();
  }
  flush_block();
  return total;
}

scored_rows score_labelled_csv(const model& m, const std::string& input, csv_dialect dialect,
                               const progress_callbacks& progress) {
  csv_reader reader(input, dialect);
  reader.read_header();
  row_scorer scorer(m, reader);
  const std::size_t target = column_index(reader.header(), m.target, "the model's target column", reader.source());
  scored_rows out;
  std::vector<std::string_view> fields;
  auto flush_block = [&] {
    const std::vector<double>& p = scorer.score();
    out.probability.insert(out.probability.end(), p.begin(), p.end());
    if (progress.on_load) progress.on_load(reader.bytes_consumed(), reader.total_bytes(), out.probability.size());
  };
  while (reader.next(fields)) {
    const std::string_view label = fields[target];
    if (label == m.positive_class()) {
      out.is_positive.push_back(1);
    } else if (label == m.negative_class()) {
      out.is_positive.push_back(0);
    } else {
      reader.fail(target, "the label '" + std::string(label) + "' is not one of the model's classes ('" +
                              m.negative_class() + "', '" + m.positive_class() + "')");
    }
    scorer.add(fields);
    if (scorer.rows() == block_rows) flush_block();
  }
  flush_block();
  if (out.probability.empty()) throw data_error(reader.source() + ": the header has no data rows below it");
  return out;
}

}  // namespace logreg
