#include "logreg/dataset.hpp"

#include <unordered_map>

#include "logreg/error.hpp"
#include "logreg/number_parser.hpp"
#include "logreg/threads.hpp"
#include "parallel_csv_loader.hpp"

namespace logreg {

namespace {

struct resolved_columns {
  std::size_t target;
  std::vector<std::size_t> features;
  std::size_t weight = SIZE_MAX;
};

resolved_columns resolve(const std::vector<std::string>& header, const column_selection& sel,
                         const std::string& source) {
  resolved_columns r;
  r.target = sel.target.empty() ? header.size() - 1 : column_index(header, sel.target, "--target", source);
  std::vector<bool> excluded(header.size(), false);
  excluded[r.target] = true;
  if (!sel.weight.empty()) {
    r.weight = column_index(header, sel.weight, "--weight", source);
    if (r.weight == r.target) throw data_error("--weight: '" + sel.weight + "' is the target column");
    excluded[r.weight] = true;
  }
  for (const std::string& name : sel.ignore) excluded[column_index(header, name, "--ignore", source)] = true;
  if (!sel.features.empty()) {
    std::vector<bool> taken(header.size(), false);
    for (const std::string& name : sel.features) {
      const std::size_t j = column_index(header, name, "--features", source);
      if (j == r.target) throw data_error("--features: '" + name + "' is the target column");
      if (j == r.weight) throw data_error("--features: '" + name + "' is the --weight column");
      if (taken[j]) throw data_error("--features: '" + name + "' is listed twice");
      taken[j] = true;
      r.features.push_back(j);
    }
  } else {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (!excluded[j]) r.features.push_back(j);
  }
  if (r.features.empty()) {
    std::string hint;
    if (header.size() == 1 && header[0].find_first_of(",;\t|") != std::string::npos)
      hint = "; the header was read as one single column: is --delimiter right?";
    throw data_error(source + ": no feature columns left (the header has " + std::to_string(header.size()) +
                     " column(s); the target is '" + header[r.target] + "')" + hint);
  }
  return r;
}

}  // namespace

labelled_data load_labelled_csv(const std::string& path, const column_selection& columns,
                                csv_dialect dialect, const progress_callbacks& progress, bool allow_parallel) {
  csv_reader reader(path, dialect, 4 << 20);
  const std::vector<std::string>& header = reader.read_header();
  const resolved_columns cols = resolve(header, columns, reader.source());

  labelled_data data;
  data.source = reader.source();
  data.target_name = header[cols.target];
  for (std::size_t j : cols.features) data.feature_names.push_back(header[j]);
  const std::size_t d = cols.features.size();

  // Fast path for regular files (see parallel_csv_loader.hpp); anything unusual falls through to
  // the sequential reader below, which continues right after the header.
  if (allow_parallel && reader.total_bytes() > 0) {
    detail::column_roles roles{header.size(), cols.target, cols.features, cols.weight};
    if (detail::load_parallel(path, reader.bytes_consumed(), reader.total_bytes(), roles, dialect.delimiter,
                              thread_count(), data, progress))
      return data;
  }

  std::vector<double> values;  // row after row = column-major d x n
  if (reader.total_bytes() > 0) values.reserve(reader.total_bytes() / 8);
  std::vector<double> weights;
  std::unordered_map<std::string, std::uint32_t> label_ids;
  std::vector<std::string_view> fields;
  constexpr std::size_t max_labels = 1 << 16;
  std::size_t next_report = 1 << 16;

  while (reader.next(fields)) {
    for (std::size_t k = 0; k < d; ++k) {
      const std::string_view cell = fields[cols.features[k]];
      double v;
      const cell_kind kind = parse_number(cell, v);
      if (kind != cell_kind::number) reader.fail(cols.features[k], non_number_message(kind, cell));
      values.push_back(v);
    }
    if (cols.weight != SIZE_MAX) {
      const std::string_view cell = fields[cols.weight];
      double w;
      if (parse_number(cell, w) != cell_kind::number || w < 0)
        reader.fail(cols.weight, "expected a non-negative number as the row's weight, found \"" + std::string(cell) + "\"");
      weights.push_back(w);
    }
    const std::string_view label = fields[cols.target];
    if (label.empty()) reader.fail(cols.target, "the target is empty (every row needs a label)");
    auto it = label_ids.find(std::string(label));
    if (it == label_ids.end()) {
      if (data.labels.size() == max_labels)
        reader.fail(cols.target, "the target has more than " + std::to_string(max_labels) +
                                     " distinct values; it does not look like class labels");
      it = label_ids.emplace(std::string(label), static_cast<std::uint32_t>(data.labels.size())).first;
      data.labels.emplace_back(label);
    }
    data.label_index.push_back(it->second);
    if (progress.on_load && reader.records() >= next_report) {
      progress.on_load(reader.bytes_consumed(), reader.total_bytes(), reader.records());
      next_report += 1 << 16;
    }
  }
  const std::size_t n = data.label_index.size();
  if (n == 0) throw data_error(reader.source() + ": the header has no data rows below it");
  data.bytes = reader.bytes_consumed();
  if (progress.on_load) progress.on_load(data.bytes, reader.total_bytes(), n);
  data.X = arma::mat(values.data(), d, n);
  if (cols.weight != SIZE_MAX) data.weights = arma::vec(weights);
  return data;
}

}  // namespace logreg
