#include "data/dataset.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "logreg/error.hpp"
#include "io/number_parser.hpp"
#include "base/parallel.hpp"
#include "base/chunking.hpp"
#include "base/communicator.hpp"
#include "io/mapped_file.hpp"
#include "io/spooled_input.hpp"
#include "io/parallel_csv_loader.hpp"
#include "data/categorical_design.hpp"
#include "data/dense_design.hpp"
#include "base/text.hpp"

namespace logreg {

namespace {

struct resolved_columns {
  std::size_t target;
  std::vector<std::size_t> features;
  std::size_t weight = SIZE_MAX;
  std::size_t fold = SIZE_MAX;
};

bool categorical_requested(const encoding_options& opt, const std::string& name) {
  return std::find(opt.categorical.begin(), opt.categorical.end(), name) != opt.categorical.end();
}

// A missing-value marker that is a number (--na-values -999): the numeric fast path would read it
// as a number, so such fits go to the typed readers.
bool numeric_na_marker(const encoding_options& opt) {
  return std::any_of(opt.na_values.begin(), opt.na_values.end(), [](const std::string& na) {
    double v;
    return parse_number(na, v) == cell_kind::number;
  });
}

resolved_columns resolve(const csv_reader& reader, const column_selection& sel) {
  const std::vector<std::string>& header = reader.header();
  const std::string& source = reader.source();
  resolved_columns r;
  r.target = sel.target.empty() ? header.size() - 1 : reader.column(sel.target, "--target");
  std::vector<bool> excluded(header.size(), false);
  excluded[r.target] = true;
  if (!sel.weight.empty()) {
    r.weight = reader.column(sel.weight, "--weight");
    if (r.weight == r.target) throw data_error("--weight: '" + printable(sel.weight) + "' is the target column");
    excluded[r.weight] = true;
  }
  if (!sel.fold.empty()) {
    r.fold = reader.column(sel.fold, "--fold-column");
    if (r.fold == r.target) throw data_error("--fold-column: '" + printable(sel.fold) + "' is the target column");
    if (r.fold == r.weight) throw data_error("--fold-column: '" + printable(sel.fold) + "' is the --weight column");
    excluded[r.fold] = true;
  }
  for (const std::string& name : sel.ignore) excluded[reader.column(name, "--ignore")] = true;
  if (!sel.features.empty()) {
    std::vector<bool> taken(header.size(), false);
    for (const std::string& name : sel.features) {
      const std::size_t j = reader.column(name, "--features");
      if (j == r.target) throw data_error("--features: '" + printable(name) + "' is the target column");
      if (j == r.weight) throw data_error("--features: '" + printable(name) + "' is the --weight column");
      if (j == r.fold) throw data_error("--features: '" + printable(name) + "' is the --fold-column");
      if (taken[j]) throw data_error("--features: '" + printable(name) + "' is listed twice");
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
                     " column(s); the target is '" + printable(header[r.target]) + "')" + hint);
  }
  return r;
}

}  // namespace

namespace {

std::string quoted(std::string_view cell) { return quoted_text(cell); }  // printable, shortened

std::string thousands(std::size_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

using text_ids = std::unordered_map<std::string, std::uint32_t, detail::text_hash, std::equal_to<>>;

// A feature column while reading: numbers, or level ids into a dictionary of the texts seen.
struct column_store {
  bool categorical = false;
  buffer<double> values;                               // numeric; NaN = missing
  buffer<std::uint32_t> ids;                           // categorical; missing_id = missing
  text_ids dict;
  std::vector<std::string> texts;
  std::size_t missing = 0;
  std::string first_text;                              // what made it categorical, and where
  std::size_t first_text_line = 0;
};
constexpr std::uint32_t missing_id = UINT32_MAX;

// The typed loader's second stage, shared by the sequential and the parallel reader: from the
// cells of the rows kept (store, data.labels / label_index, weights), the encoding (levels in sorted
// order, imputation values, terms) and X.
labelled_data finish_typed(labelled_data data, std::vector<column_store>& store, const buffer<double>& weights,
                           const std::vector<std::string>& header, const resolved_columns& cols,
                           const std::vector<std::string>& first_texts, const std::vector<std::size_t>& first_lines,
                           const encoding_options& opt, std::size_t split_total = 0,
                           const std::vector<std::string>* first_sources = nullptr) {
  const std::size_t d = cols.features.size();
  const std::size_t n = data.label_index.size();
  const std::size_t all_rows = split_total > 0 ? split_total : n;  // of every MPI rank, when split
  // The encoding: levels in sorted order, imputation values, terms.
  feature_encoding& enc = data.encoding;
  enc.missing = opt.missing;
  enc.na_values = opt.na_values;
  std::vector<std::vector<std::uint32_t>> level_of(d);  // dictionary id -> level index
  for (std::size_t k = 0; k < d; ++k) {
    column_store& s = store[k];
    input_column c;
    c.name = header[cols.features[k]];
    c.categorical = s.categorical;
    if (!s.categorical) {
      if (opt.missing == missing_mode::impute) {
        // Split among MPI ranks, the sums run on from rank to rank (the one-process order).
        double sum = 0, count = 0;
        detail::in_rank_order(split_total > 0, {{&sum, 1}, {&count, 1}}, [&] {
          for (double v : s.values)
            if (!std::isnan(v)) sum += v, ++count;
        });
        if (count == 0)
          throw data_error(data.source + ": column '" + printable(c.name) + "' has no values (every cell is missing); "
                           "leave it out with --ignore");
        c.has_impute = true;
        c.impute = sum / count;
      }
      enc.columns.push_back(std::move(c));
      continue;
    }
    if (s.texts.empty())
      throw data_error(data.source + ": column '" + printable(c.name) + "' has no values (every cell is missing); "
                       "leave it out with --ignore");
    // Numeric codes ("2", "2.0") that are the same number are the same level, named by the number.
    std::vector<std::string> names = s.texts;
    bool numeric = true;
    std::vector<double> value(names.size());
    for (std::size_t i = 0; i < names.size() && numeric; ++i) numeric = parse_number(names[i], value[i]) == cell_kind::number;
    if (numeric)
      for (std::size_t i = 0; i < names.size(); ++i) names[i] = format_double(value[i]);
    std::vector<std::string> levels = names;
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    sort_levels(levels, c.numeric_levels);
    std::unordered_map<std::string, std::uint32_t> index;
    for (std::size_t l = 0; l < levels.size(); ++l) index.emplace(levels[l], static_cast<std::uint32_t>(l));
    for (const std::string& name : names) level_of[k].push_back(index.at(name));
    c.levels = std::move(levels);
    c.drop_first = opt.drop_first;
    c.missing_level = opt.missing == missing_mode::impute && s.missing > 0;
    if (!categorical_requested(opt, c.name)) {
      std::size_t numbers = 0;
      double v;
      for (const std::string& t : s.texts) numbers += parse_number(t, v) == cell_kind::number;
      const std::string file = first_sources ? " of " + (*first_sources)[k] : std::string();
      data.notes.push_back("column '" + printable(c.name) + "' is categorical (" + quoted(first_texts[k]) + " on line " +
                           std::to_string(first_lines[k]) + file + "): " + thousands(c.levels.size()) + " levels");
      // Mostly numbers and some text: a typo or an unlisted missing-value marker far more often
      // than a category. Say so rather than guess; --categorical makes it categorical.
      if (numbers * 2 > s.texts.size())
        throw data_error(cell_place(first_sources ? (*first_sources)[k] : data.source, first_lines[k], cols.features[k], c.name) +
                         ": expected a number, found " + quoted(first_texts[k]) + " (" + thousands(numbers) + " of the " +
                         thousands(s.texts.size()) + " distinct values of the column are numbers); if " +
                         quoted(first_texts[k]) + " marks a missing value, add it to --na-values; if the column is "
                         "categorical, name it in --categorical");
    }
    if (c.levels.size() > 1000 || (c.levels.size() > 100 && c.levels.size() * 2 > all_rows))
      data.warnings.push_back("column '" + printable(c.name) + "' is categorical with " + thousands(c.levels.size()) +
                              " levels (" + thousands(all_rows) + " rows): is it an identifier? --ignore leaves it out");
    enc.columns.push_back(std::move(c));
  }
  data.feature_names = enc.term_names();
  const std::vector<std::size_t> offset = enc.term_offsets();
  const std::size_t terms = offset.back();
  std::vector<std::size_t> numeric, categorical;  // input columns of each kind
  for (std::size_t k = 0; k < d; ++k) (enc.columns[k].categorical ? categorical : numeric).push_back(k);
  if (categorical.empty()) {
    // Numbers only (missing cells imputed or dropped): X in one pass over the observations.
    data.X.set_size(terms, n);
    const int T = detail::threads_for_work(static_cast<double>(terms) * static_cast<double>(n));
    run_parallel(T, [&](int t) {
      const std::size_t lo = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(T);
      const std::size_t hi = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(T);
      for (std::size_t i = lo; i < hi; ++i) {
        double* x = data.X.colptr(i);
        for (std::size_t k = 0; k < d; ++k) x[k] = std::isnan(store[k].values[i]) ? enc.columns[k].impute : store[k].values[i];
      }
    });
  } else {
    // The categorical design: the numeric columns as a block, and per categorical cell the term of
    // its level (or none: the reference level under --drop-first), one parallel pass over the
    // observations. The indicators are never formed: with a term per level they would often be many
    // times the size of the file.
    const std::size_t p = numeric.size(), c = categorical.size();
    std::vector<categorical_design::column> columns(d);
    std::vector<std::uint32_t> first_term(d), missing_term(d);  // categorical: term of level 0 (may be dropped)
    for (std::size_t k = 0; k < d; ++k) {
      columns[k].categorical = enc.columns[k].categorical;
      columns[k].first_term = static_cast<std::uint32_t>(offset[k]);
      columns[k].terms = static_cast<std::uint32_t>(offset[k + 1] - offset[k]);
      first_term[k] = static_cast<std::uint32_t>(offset[k]) - (enc.columns[k].drop_first ? 1u : 0u);
      missing_term[k] = static_cast<std::uint32_t>(offset[k + 1] - 1);  // the missing level is the column's last term
    }
    arma::mat block(p, n, arma::fill::none);  // every value is written below (no zeroing first)
    buffer<std::uint32_t> codes(n * c);
    const int T = detail::threads_for_work(static_cast<double>(p + c) * static_cast<double>(n));
    run_parallel(T, [&](int t) {
      const std::size_t lo = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(T);
      const std::size_t hi = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(T);
      // Each thread maps its share of the fresh pages in one call (a fault per 4 kB page costs more).
      if (p > 0 && hi > lo) detail::populate_for_writing(block.colptr(lo), (hi - lo) * p * sizeof(double));
      if (hi > lo) detail::populate_for_writing(codes.data() + lo * c, (hi - lo) * c * sizeof(std::uint32_t));
      for (std::size_t i = lo; i < hi; ++i) {
        double* x = p > 0 ? block.colptr(i) : nullptr;
        for (std::size_t j = 0; j < p; ++j) {
          const double v = store[numeric[j]].values[i];
          x[j] = std::isnan(v) ? enc.columns[numeric[j]].impute : v;
        }
        std::uint32_t* code = codes.data() + i * c;
        for (std::size_t j = 0; j < c; ++j) {
          const std::size_t k = categorical[j];
          const std::uint32_t id = store[k].ids[i];
          if (id == missing_id) {
            code[j] = missing_term[k];
            continue;
          }
          const std::uint32_t level = level_of[k][id];
          code[j] = enc.columns[k].drop_first && level == 0 ? categorical_design::no_term : first_term[k] + level;
        }
      }
    });
    for (column_store& s : store) s = column_store{};  // the cells are in the design now
    data.compact = std::make_unique<categorical_design>(std::move(block), std::move(codes), std::move(columns), terms);
  }
  if (cols.weight != SIZE_MAX) data.weights = arma::vec(weights.data(), weights.size());
  return data;
}

// The sequential loader for everything the parallel paths do not take: line breaks inside quoted
// fields, blank lines with --missing drop, standard input, a file they decline. One pass, or two when a column turns out to be
// categorical after its first cells were read as numbers (the rest of the first pass then only
// looks for more such columns).
// The cells that load_parallel_typed read, as the sequential pass would have stored them: the rows
// that --missing drop leaves out are left out (counted, the first one's place kept).
labelled_data typed_from_parallel(detail::typed_cells& cells, std::vector<column_store>& store,
                                  buffer<double>& weights, const std::vector<std::string>& header,
                                  const resolved_columns& cols, const std::string& source, std::size_t first_line,
                                  const encoding_options& opt) {
  const std::size_t d = cols.features.size(), N = cells.records;
  labelled_data data;
  data.source = source;
  data.target_name = header[cols.target];
  const bool drop = opt.missing == missing_mode::drop;
  buffer<std::size_t> keep;  // the rows kept, when some are dropped
  if (drop) {
    for (std::size_t i = 0; i < N; ++i) {
      if (cells.has_missing[i] == 0) {
        keep.push_back(i);
        continue;
      }
      if (data.rows_dropped++ > 0) continue;
      // The first missing cell of the row: features in order, then the target, then the weight.
      std::size_t at = cols.target;
      if (cells.has_missing[i] & detail::missing_feature) {
        for (std::size_t k = 0; k < d; ++k)
          if (store[k].categorical ? cells.ids[k][i] == detail::missing_cell_id : std::isnan(cells.values[k][i])) {
            at = cols.features[k];
            break;
          }
      } else if (!(cells.has_missing[i] & detail::missing_label)) {
        at = cols.weight;
      }
      data.first_dropped = cell_place(source, first_line + i, at, header[at]);
      data.first_dropped_row = i;
      data.first_dropped_field = at;
    }
  }
  const bool all = data.rows_dropped == 0;
  const std::size_t n = all ? N : keep.size();
  auto kept = [&](auto& v) {
    if (all) return std::move(v);
    std::remove_reference_t<decltype(v)> out(n);
    for (std::size_t r = 0; r < n; ++r) out[r] = v[keep[r]];
    return out;
  };
  for (std::size_t k = 0; k < d; ++k) {
    column_store& s = store[k];
    if (s.categorical) {
      s.ids = kept(cells.ids[k]);
      s.texts = std::move(cells.texts[k]);
      for (std::uint32_t id : s.ids) s.missing += id == detail::missing_cell_id;
    } else {
      s.values = kept(cells.values[k]);
      for (double v : s.values) s.missing += std::isnan(v);
    }
  }
  data.labels = std::move(cells.labels);
  data.label_index = kept(cells.label_index);
  if (cols.weight != SIZE_MAX) weights = kept(cells.weights);
  return data;
}

// The encoding of a file of numbers: one numeric column per feature.
void numeric_encoding(labelled_data& data, const std::vector<std::string>& header, const resolved_columns& cols,
                      const encoding_options& encoding) {
  data.encoding.missing = encoding.missing;
  data.encoding.na_values = encoding.na_values;
  for (std::size_t j : cols.features) {
    input_column c;
    c.name = header[j];
    data.encoding.columns.push_back(std::move(c));
  }
}

// Text usually shows in the first rows: the typed loaders look there first (the first 10,000
// rows), so that one pass is enough. A feature column with a cell that is neither a number nor
// missing becomes categorical (as the full pass decides: text, or a marker not in --na-values);
// its first such cell and line are kept for the note. Errors are left to the full pass, which
// reports the first one in file order.
// Returns the rows read (of at most `rows`).
std::size_t look_ahead_for_text(const std::string& path, const std::string& display, csv_dialect dialect,
                                const resolved_columns& cols, const row_encoder& na, std::vector<bool>& categorical,
                                std::vector<std::string>& first_texts, std::vector<std::size_t>& first_lines,
                                std::size_t rows = 10000) {
  std::size_t r = 0;
  try {
    csv_reader reader(path, dialect, 1 << 20, display);
    reader.read_header();
    std::vector<std::string_view> fields;
    for (; r < rows && reader.next(fields); ++r)
      for (std::size_t k = 0; k < cols.features.size(); ++k) {
        const std::string_view cell = fields[cols.features[k]];
        double v;
        if (categorical[k] || na.is_missing(cell)) continue;
        const cell_kind kind = parse_number(cell, v);
        if (kind == cell_kind::number || kind == cell_kind::non_finite) continue;
        categorical[k] = true;
        first_texts[k] = std::string(cell);
        first_lines[k] = reader.line();
      }
  } catch (const data_error&) {
  }
  return r;
}

// A regular file's header, read once, and where its data rows start: what the parallel typed
// reader needs (load_typed gets none when that reader may not try).
struct data_span {
  std::vector<std::string> header;
  std::string source;          // the file's name in messages
  std::size_t start = 0;       // byte offset of the first record
  std::size_t file_size = 0;
  std::size_t first_line = 0;  // the first record's line number
};

// One pass of the sequential typed reader over a file: the cells of the rows it keeps. Text in a
// column read as numbers so far makes the column categorical (categorical, first_texts,
// first_lines say which, and where); the rest of the pass then only looks for more such columns,
// and the cells are incomplete (complete = false): read the file again. Throws data_error for the
// first bad cell.
struct typed_read {
  labelled_data data;  // source, target_name, labels, label_index, fold labels, rows_dropped, first_dropped, bytes
  std::vector<column_store> store;
  buffer<double> weights;
  std::vector<std::string> header;
  std::size_t records = 0, total_bytes = 0;
  bool complete = true;
};

typed_read typed_pass(const std::string& path, const std::string& display, const resolved_columns& cols,
                      std::vector<bool>& categorical, std::vector<std::string>& first_texts,
                      std::vector<std::size_t>& first_lines, csv_dialect dialect, const progress_callbacks& progress,
                      const encoding_options& opt) {
  const std::size_t d = cols.features.size();
  feature_encoding probe;
  probe.na_values = opt.na_values;
  const row_encoder na(probe, unknown_mode::zero);  // only for is_missing
  const auto missing_text = [](std::string_view cell) {
    std::string_view t = cell;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    return t.empty() ? std::string("an empty cell") : quoted(cell);
  };
  const std::string hint = "; --missing drop leaves such rows out, --missing impute fills them in";
  typed_read out;
  csv_reader reader(path, dialect, 4 << 20, display);
  out.header = reader.read_header();
  const std::vector<std::string>& header = out.header;
  labelled_data& data = out.data;
  data.source = reader.source();
  data.target_name = header[cols.target];
  std::vector<column_store>& store = out.store;
  store.assign(d, column_store{});
  for (std::size_t k = 0; k < d; ++k) store[k].categorical = categorical[k];
  text_ids label_ids, fold_ids;
  buffer<double>& weights = out.weights;
  std::vector<std::string_view> fields;
  std::vector<double> row_values(d);
  std::vector<std::uint32_t> row_ids(d);
  constexpr std::size_t max_labels = 1 << 16;
  std::size_t next_report = 1 << 16;
  bool discovering = false;  // a new categorical column was found: only look for more

  while (reader.next(fields)) {
    if (progress.on_load && reader.records() >= next_report) {
      progress.on_load(reader.bytes_consumed(), reader.total_bytes(), reader.records());
      next_report += 1 << 16;
    }
    std::size_t missing_at = SIZE_MAX;  // the first missing cell of this row (a field index)
    for (std::size_t k = 0; k < d; ++k) {
      const std::size_t col = cols.features[k];
      const std::string_view cell = fields[col];
      if (na.is_missing(cell)) {
        if (opt.missing == missing_mode::error) reader.fail(col, "missing value (" + missing_text(cell) + ")" + hint);
        if (missing_at == SIZE_MAX) missing_at = col;
        row_values[k] = std::numeric_limits<double>::quiet_NaN();
        row_ids[k] = missing_id;
        continue;
      }
      if (store[k].categorical) {
        if (discovering) continue;
        column_store& s = store[k];
        auto it = s.dict.find(cell);
        if (it == s.dict.end()) {
          // A level ends up in the model and in messages: UTF-8, no NUL, not megabytes long.
          if (const std::string problem = level_text_problem(cell); !problem.empty()) reader.fail(col, problem);
          it = s.dict.emplace(std::string(cell), static_cast<std::uint32_t>(s.texts.size())).first;
          s.texts.emplace_back(cell);
        }
        row_ids[k] = it->second;
        continue;
      }
      double v;
      const cell_kind kind = parse_number(cell, v);
      if (kind == cell_kind::number) {
        row_values[k] = v;
        continue;
      }
      if (kind == cell_kind::non_finite) reader.fail(col, non_number_message(kind, cell));
      // Text in a column read as numbers so far: the column is categorical.
      categorical[k] = store[k].categorical = true;
      first_texts[k] = std::string(cell);
      first_lines[k] = reader.line();
      discovering = true;
    }
    // The target and the weight.
    const std::string_view label = fields[cols.target];
    const bool label_missing = na.is_missing(label);
    if (label_missing && opt.missing != missing_mode::drop)
      reader.fail(cols.target, "the target is missing (" + missing_text(label) +
                                   "); every row needs a label (--missing drop leaves such rows out)");
    if (label_missing && missing_at == SIZE_MAX) missing_at = cols.target;
    double w = 1;
    if (cols.weight != SIZE_MAX) {
      const std::string_view cell = fields[cols.weight];
      if (na.is_missing(cell) && opt.missing == missing_mode::drop) {
        if (missing_at == SIZE_MAX) missing_at = cols.weight;
      } else if (parse_number(cell, w) != cell_kind::number || w < 0) {
        reader.fail(cols.weight, "expected a non-negative number as the row's weight, found " + quoted(cell));
      }
    }
    if (cols.fold != SIZE_MAX && na.is_missing(fields[cols.fold]))
      reader.fail(cols.fold, "the fold column is missing (" + missing_text(fields[cols.fold]) +
                                 "); every row needs a fold");
    if (discovering) continue;
    if (missing_at != SIZE_MAX && opt.missing == missing_mode::drop) {
      if (data.rows_dropped++ == 0)
        data.first_dropped = cell_place(data.source, reader.line(), missing_at, header[missing_at]);
      continue;
    }
    for (std::size_t k = 0; k < d; ++k) {
      if (store[k].categorical) {
        store[k].ids.push_back(row_ids[k]);
        store[k].missing += row_ids[k] == missing_id;
      } else {
        store[k].values.push_back(row_values[k]);
        store[k].missing += std::isnan(row_values[k]);
      }
    }
    if (cols.weight != SIZE_MAX) weights.push_back(w);
    if (cols.fold != SIZE_MAX) {
      const std::string_view cell = fields[cols.fold];
      auto f = fold_ids.find(cell);
      if (f == fold_ids.end()) {
        f = fold_ids.emplace(std::string(cell), static_cast<std::uint32_t>(data.fold_labels.size())).first;
        data.fold_labels.emplace_back(cell);
      }
      data.fold_index.push_back(f->second);
    }
    auto it = label_ids.find(label);
    if (it == label_ids.end()) {
      if (const std::string problem = label_text_problem(label); !problem.empty()) reader.fail(cols.target, problem);
      if (data.labels.size() == max_labels)
        reader.fail(cols.target, "the target has more than " + std::to_string(max_labels) +
                                     " distinct values; it does not look like class labels");
      it = label_ids.emplace(std::string(label), static_cast<std::uint32_t>(data.labels.size())).first;
      data.labels.emplace_back(label);
    }
    data.label_index.push_back(it->second);
  }
  out.complete = !discovering;
  out.records = reader.records();
  out.total_bytes = reader.total_bytes();
  data.bytes = reader.bytes_consumed();
  return out;
}

labelled_data load_typed(const std::string& path, const std::string& display, const resolved_columns& cols,
                         std::vector<bool> categorical, csv_dialect dialect, const progress_callbacks& progress,
                         const encoding_options& opt, const data_span* span) {
  const std::size_t d = cols.features.size();
  feature_encoding probe;
  probe.na_values = opt.na_values;
  const row_encoder na(probe, unknown_mode::zero);  // only for is_missing
  std::vector<std::string> first_texts(d);
  std::vector<std::size_t> first_lines(d, 0);

  look_ahead_for_text(path, display, dialect, cols, na, categorical, first_texts, first_lines);

  // Regular files: the parallel reader (see parallel_csv_loader.hpp), unless it declines.
  if (span) {
    const detail::column_roles roles{span->header.size(), cols.target, cols.features, cols.weight};
    detail::typed_rules rules{categorical, &na, opt.missing != missing_mode::error, opt.missing == missing_mode::drop};
    detail::typed_cells cells;
    if (detail::load_parallel_typed(path, span->start, span->file_size, roles, rules, dialect.delimiter, thread_count(),
                                    cells, progress)) {
      std::vector<column_store> stores(d);
      for (std::size_t k = 0; k < d; ++k) stores[k].categorical = categorical[k];
      buffer<double> weights;
      labelled_data data =
          typed_from_parallel(cells, stores, weights, span->header, cols, span->source, span->first_line, opt);
      if (!data.label_index.empty()) {
        data.bytes = span->file_size;
        return finish_typed(std::move(data), stores, weights, span->header, cols, first_texts, first_lines, opt);
      }
      // every row dropped: the sequential pass says so
    }
  }

  for (int pass = 0;; ++pass) {
    typed_read read = typed_pass(path, display, cols, categorical, first_texts, first_lines, dialect, progress, opt);
    if (!read.complete) {
      if (pass > 0) throw std::logic_error("load_typed: a categorical column appeared in the second pass");
      continue;  // read again, now knowing every categorical column
    }
    labelled_data& data = read.data;
    const std::size_t n = data.label_index.size();
    if (read.records == 0) throw data_error(data.source + ": the header has no data rows below it");
    if (n == 0)
      throw data_error(data.source + ": every one of the " + thousands(read.records) +
                       " rows has a missing cell (--missing drop left none; the first: " + data.first_dropped + ")");
    if (progress.on_load) progress.on_load(data.bytes, read.total_bytes, read.records);
    return finish_typed(std::move(data), read.store, read.weights, read.header, cols, first_texts, first_lines, opt);
  }
}

}  // namespace

arma::mat labelled_data::dense_terms() const {
  if (!compact) return X;
  arma::mat out(compact->n_terms(), compact->n_obs());
  if (out.n_elem > 0) compact->copy(0, compact->n_obs(), out.memptr());
  return out;
}

std::unique_ptr<design> labelled_data::take_design() {
  if (compact) return std::move(compact);
  auto dense = std::make_unique<dense_design>(std::move(X));
  dense->set_shard(shard);
  return dense;
}

labelled_data load_labelled_csv(const std::string& path, const column_selection& columns,
                                csv_dialect dialect, const progress_callbacks& progress, bool allow_parallel,
                                const encoding_options& encoding, const std::string& display_name) {
  // Input that cannot be read twice (stdin, a FIFO, /dev/stdin, <(cmd)) is read once, into a file.
  const detail::spooled_input input(path);
  const std::string file = input.path();
  const std::string display = !display_name.empty() ? display_name : input.spooled() ? input.display() : "";
  csv_reader reader(file, dialect, 64 << 10, display);  // the header only: it grows for a longer one
  const std::vector<std::string>& header = reader.read_header(true);
  const resolved_columns cols = resolve(reader, columns);
  const std::size_t d = cols.features.size();
  std::vector<bool> categorical(d, false);
  if (!encoding.categorical.empty()) {
    std::vector<std::size_t> feature_of(header.size(), SIZE_MAX);  // file column -> feature
    for (std::size_t k = 0; k < d; ++k) feature_of[cols.features[k]] = k;
    for (const std::string& name : encoding.categorical) {
      const std::size_t j = reader.column(name, "--categorical");
      if (feature_of[j] == SIZE_MAX)
        throw data_error("--categorical: '" + printable(name) + "' is not a feature column" +
                         (j == cols.target ? " (it is the target)" : j == cols.weight ? " (it is the --weight column)"
                          : j == cols.fold ? " (it is the --fold-column)" : ""));
      categorical[feature_of[j]] = true;
    }
  }
  const std::size_t data_start = reader.bytes_consumed(), first_line = reader.next_line();
  // The first record, now: a header without data rows fails here, before anything is allocated per
  // column or the file is read again (a header of millions of names took minutes and gigabytes).
  std::vector<std::string_view> first;
  if (!reader.next(first)) throw data_error(reader.source() + ": the header has no data rows below it");

  // Fast path for regular files of numbers (see parallel_csv_loader.hpp); anything unusual (text,
  // missing cells, ...) goes to the typed loader, which has a fast path of its own.
  const bool any_categorical = std::find(categorical.begin(), categorical.end(), true) != categorical.end();
  const bool numeric_marker = numeric_na_marker(encoding);  // e.g. --na-values -999: the fast path would read a number
  // A regular file, and allowed (the numeric fast path reads a fold column too; the typed one not).
  const bool parallel = allow_parallel && reader.total_bytes() > 0;
  // A feature cell of the first record that is not a number (text, a missing cell) is one the
  // numeric fast path cannot take: it would map and count the whole file only to decline there, so
  // go straight to the typed reader.
  bool not_numeric = false;
  if (parallel && !any_categorical && !numeric_marker) {
    double v;
    for (std::size_t j : cols.features) not_numeric = not_numeric || parse_number(first[j], v) != cell_kind::number;
  }
  if (parallel && !any_categorical && !numeric_marker && !not_numeric) {
    labelled_data data;
    data.source = reader.source();
    data.target_name = header[cols.target];
    detail::column_roles roles{header.size(), cols.target, cols.features, cols.weight, cols.fold};
    // A missing-value marker in the target (NA, NaN, ...) is a missing label, never a class, and a
    // label that cannot be one (not UTF-8, ...) is an error: the typed reader then reports either
    // with its place (or leaves the rows of missing labels out under --missing drop). A missing
    // fold is an error the sequential reader reports.
    feature_encoding probe;
    probe.na_values = encoding.na_values;
    const row_encoder na(probe, unknown_mode::zero);
    if (detail::load_parallel(file, data_start, reader.total_bytes(), roles, dialect.delimiter,
                              thread_count(), data, progress) &&
        std::none_of(data.labels.begin(), data.labels.end(),
                     [&](const std::string& l) { return na.is_missing(l) || !label_text_problem(l).empty(); }) &&
        std::none_of(data.fold_labels.begin(), data.fold_labels.end(), [&](const std::string& f) { return na.is_missing(f); })) {
      numeric_encoding(data, header, cols, encoding);
      if (encoding.missing == missing_mode::impute) {  // nothing is missing here, but predict may need it
        for (std::size_t k = 0; k < d; ++k) {
          double sum = 0;
          for (arma::uword i = 0; i < data.X.n_cols; ++i) sum += data.X(k, i);  // as load_typed sums
          data.encoding.columns[k].has_impute = true;
          data.encoding.columns[k].impute = sum / static_cast<double>(data.X.n_cols);
        }
      }
      data.feature_names = data.encoding.term_names();
      return data;
    }
  }
  data_span span;
  const bool typed_parallel = parallel && cols.fold == SIZE_MAX;  // the typed fast path has no fold column
  if (typed_parallel)
    span = {header, reader.source(), data_start, reader.total_bytes(), first_line};
  return load_typed(file, display, cols, categorical, dialect, progress, encoding, typed_parallel ? &span : nullptr);
}

}  // namespace logreg

namespace logreg {

namespace {

// The records of text[from, to) (`from` starts a line): its lines that are not blank (nothing, or
// for LF line ends a CR, before the line end: the parallel readers skip them as the sequential
// reader does), and a last one without a line end. Counts them, or finds where the k-th one ends
// (k >= 1: the byte after its line end).
bool blank_line(const char* text, std::size_t at, std::size_t end, char term) {  // the line [at, end)
  return end == at || (term == '\n' && end == at + 1 && text[at] == '\r');
}

std::size_t count_records(const char* text, std::size_t from, std::size_t to, char term) {
  std::size_t n = 0;
  for (std::size_t at = from; at < to;) {
    const char* hit = static_cast<const char*>(std::memchr(text + at, term, to - at));
    if (!hit) {
      ++n;  // the last record of the file, without a line end
      break;
    }
    const std::size_t end = static_cast<std::size_t>(hit - text);
    n += !blank_line(text, at, end, term);
    at = end + 1;
  }
  return n;
}

std::size_t kth_record_start(const char* text, std::size_t from, std::size_t to, char term, std::size_t k) {
  std::size_t at = from;
  for (std::size_t i = 0; i < k && at < to;) {
    const char* hit = static_cast<const char*>(std::memchr(text + at, term, to - at));
    const std::size_t end = hit ? static_cast<std::size_t>(hit - text) : to;
    i += !blank_line(text, at, end, term);
    at = hit ? end + 1 : to;
  }
  return at;
}

}  // namespace

namespace {

// A file's size without the blank lines at its end (an editor's or `echo >>`'s extra line end),
// which one process skips as it skips every blank line: the bytes up to the last record's line
// end. (The parallel readers skip blank lines anywhere, but not under --missing drop: left out of
// the range here, those at the end do not keep such a fit from them.)
std::size_t without_trailing_blank_lines(const std::string& path, std::size_t data_start, std::size_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return size;
  std::size_t end = size;  // bytes [end, size) are all line ends
  char block[4096];
  while (end > data_start) {
    const std::size_t len = std::min<std::size_t>(sizeof block, end - data_start);
    if (::pread(fd, block, len, static_cast<off_t>(end - len)) != static_cast<ssize_t>(len)) {
      end = size;  // (unreadable: leave it to the reader, which says so)
      break;
    }
    std::size_t k = len;
    while (k > 0 && (block[k - 1] == '\n' || block[k - 1] == '\r')) --k;
    end -= len - k;
    if (k > 0) break;
  }
  std::size_t keep = 0;  // the last record's own line end: CR LF, LF or CR
  if (end < size) {
    char two[2] = {0, 0};
    const std::size_t n = std::min<std::size_t>(2, size - end);
    const bool read = ::pread(fd, two, n, static_cast<off_t>(end)) == static_cast<ssize_t>(n);
    keep = read && n == 2 && two[0] == '\r' && two[1] == '\n' ? 2 : 1;
  }
  ::close(fd);
  return end == data_start ? size : end + keep;  // (no record at all: as it is)
}

// One input file of a split load: its header's end, its size, its line end, and where its data
// bytes start in the files' data laid end to end (`base`).
struct input_file {
  std::string path, source;
  std::size_t data_start = 0, size = 0, base = 0;
  std::size_t first_line = 0;  // the line number of its first record
  char term = '\n';
  std::unique_ptr<detail::file_handle> handle;
  std::unique_ptr<detail::mapped_file> map;
  std::size_t data_bytes() const { return size - data_start; }
  const char* text() {
    if (!map) {
      handle = std::make_unique<detail::file_handle>(path);
      map = std::make_unique<detail::mapped_file>(handle->fd, size);
      if (!map->data) throw data_error(source + ": cannot map the file to read it");
      term = map->data[data_start - 1] == '\r' ? '\r' : '\n';
    }
    return map->data;
  }
  void unmap() {
    map.reset();
    handle.reset();
  }
};

// The files' data laid end to end: positions g in [0, total) are byte data_start + (g - base) of
// the file whose range holds them. Record starts are the positions just after a line end, and the
// start of every file's data.
struct file_span {
  std::vector<input_file>& files;
  std::size_t total = 0;
  std::size_t file_at(std::size_t g) const {  // the file holding position g (< total)
    std::size_t f = 0;
    while (f + 1 < files.size() && files[f + 1].base <= g) ++f;
    return f;
  }
  // The first record start at or after g.
  std::size_t record_start_at_or_after(std::size_t g) {
    if (g >= total) return total;
    const std::size_t f = file_at(g);
    input_file& in = files[f];
    const std::size_t at = in.data_start + (g - in.base);
    if (at == in.data_start) return g;
    const char* text = in.text();
    if (text[at - 1] == in.term) return g;
    const void* hit = std::memchr(text + at, in.term, in.size - at);
    return hit ? in.base + (static_cast<std::size_t>(static_cast<const char*>(hit) - text) + 1 - in.data_start)
               : in.base + in.data_bytes();
  }
  // Calls fn(file, from, to) (byte offsets in the file) for the parts of [lo, hi) in each file.
  template <class Fn>
  void pieces(std::size_t lo, std::size_t hi, Fn&& fn) {
    for (std::size_t f = 0; f < files.size(); ++f) {
      input_file& in = files[f];
      const std::size_t a = std::max(lo, in.base), b = std::min(hi, in.base + in.data_bytes());
      if (a < b) fn(f, in.data_start + (a - in.base), in.data_start + (b - in.base));
    }
  }
};

// Where this rank's rows are among the files laid end to end: bytes [from, to) of the span and
// rows [row0, row1) of all N. Steps 1 and 2 of load_labelled_csv_part.
struct rank_rows {
  std::size_t from = 0, to = 0;
  arma::uword row0 = 0, row1 = 0;
  arma::uword first_chunk = 0, last_chunk = 0;  // its chunks [first_chunk, last_chunk) of chunking(N)
  std::uint64_t N = 0;
};

// Every one of P ranks holds at least one of the chunks `ch` (`rows` names them in the message,
// `single` says that they make one chunk).
void require_chunk_per_rank(const detail::chunking& ch, int P, const std::string& rows, const std::string& single) {
  if (ch.count >= static_cast<arma::uword>(P)) return;
  throw usage_error(rows + " are too few to split among " + std::to_string(P) +
                    " MPI ranks: each rank holds at least one chunk of 4,096 rows or more (" +
                    (ch.count == 1 ? single : "at most " + std::to_string(ch.count) + " ranks here") +
                    "); run it with fewer ranks, or without mpirun");
}

rank_rows cut_among_ranks(std::vector<input_file>& files, std::size_t total, detail::communicator& w,
                          const std::string& source) {
  const int r = w.rank(), P = w.size();
  // 1. Each rank counts the records of a nominal 1/P of the files' data bytes (cut at line ends),
  //    piece by piece of each file (the counts are kept for step 2).
  //    (The files are mapped for steps 1 and 2 only: the pages they read would stay resident.)
  file_span span{files, total};
  std::size_t lo = 0, hi = 0;
  std::uint64_t mine = 0;
  struct piece {
    std::size_t f, a, b;
    std::uint64_t records;
  };
  std::vector<piece> pieces;
  const bool counted = detail::survive_sigbus([&] {
    lo = span.record_start_at_or_after(total * static_cast<std::size_t>(r) / static_cast<std::size_t>(P));
    hi = span.record_start_at_or_after(total * static_cast<std::size_t>(r + 1) / static_cast<std::size_t>(P));
    span.pieces(lo, hi, [&](std::size_t f, std::size_t a, std::size_t b) {
      const char* text = files[f].text();  // (maps the file and learns its line end)
      pieces.push_back({f, a, b, count_records(text, a, b, files[f].term)});
      mine += pieces.back().records;
    });
  });
  std::vector<std::uint64_t> counts(static_cast<std::size_t>(P)), prefix(static_cast<std::size_t>(P) + 1, 0);
  {
    const std::vector<std::string> all = w.allgather(detail::pack_counts({counted ? mine : UINT64_MAX}));
    for (int k = 0; k < P; ++k) counts[static_cast<std::size_t>(k)] = detail::unpack_counts(all[static_cast<std::size_t>(k)]).at(0);
  }
  if (std::count(counts.begin(), counts.end(), UINT64_MAX) > 0)
    throw data_error(source + ": a file changed while it was being read");
  for (int k = 0; k < P; ++k) prefix[static_cast<std::size_t>(k) + 1] = prefix[static_cast<std::size_t>(k)] + counts[static_cast<std::size_t>(k)];
  const std::uint64_t N = prefix.back();

  // 2. Rank k holds the fixed chunks [C k / P, C (k + 1) / P) of the N rows (chunking.hpp): the
  //    position of each rank's first row is found by the rank whose nominal part holds it.
  const detail::chunking ch(N);
  require_chunk_per_rank(ch, P, source + ": " + std::to_string(N) + " rows", "this file has one");
  auto first_chunk = [&](int k) { return ch.count * static_cast<arma::uword>(k) / static_cast<arma::uword>(P); };
  std::vector<std::uint64_t> offsets(static_cast<std::size_t>(P) + 1, 0);
  const bool located = detail::survive_sigbus([&] {
    for (int k = 1; k < P; ++k) {
      const std::uint64_t row = ch.begin(first_chunk(k));
      if (row < prefix[static_cast<std::size_t>(r)] || row >= prefix[static_cast<std::size_t>(r) + 1]) continue;
      std::uint64_t skip = row - prefix[static_cast<std::size_t>(r)];  // records of this rank's part before it
      std::uint64_t at = hi;
      for (const piece& pc : pieces) {
        if (skip < pc.records) {
          const char* text = files[pc.f].text();
          at = files[pc.f].base + (kth_record_start(text, pc.a, pc.b, files[pc.f].term, skip) - files[pc.f].data_start);
          break;
        }
        skip -= pc.records;
      }
      offsets[static_cast<std::size_t>(k)] = at;
    }
  });
  if (!located) offsets[0] = UINT64_MAX;  // a file shrank meanwhile: every rank learns it below
  {
    const std::vector<std::string> all = w.allgather(detail::pack_counts(offsets));
    for (const std::string& part : all) {
      const std::vector<std::uint64_t> o = detail::unpack_counts(part);
      for (std::size_t k = 0; k < o.size(); ++k) offsets[k] = std::max(offsets[k], o[k]);
    }
  }
  if (offsets[0] == UINT64_MAX) throw data_error(source + ": a file changed while it was being read");
  offsets[0] = 0;
  offsets[static_cast<std::size_t>(P)] = total;
  for (input_file& in : files) in.unmap();
  rank_rows out;
  out.from = offsets[static_cast<std::size_t>(r)];
  out.to = offsets[static_cast<std::size_t>(r) + 1];
  out.first_chunk = first_chunk(r);
  out.last_chunk = first_chunk(r + 1);
  out.row0 = ch.begin(out.first_chunk);
  out.row1 = ch.begin(out.last_chunk);
  out.N = N;
  return out;
}

// A rank's cells while it reads its pieces (or files) in order: each piece's labels and texts join
// the rank's lists, first appearance first, and its cells are appended.
struct rank_cells {
  std::vector<column_store> stores;
  std::vector<std::unordered_map<std::string, std::uint32_t>> text_at;  // the rank's texts, per column
  std::unordered_map<std::string, std::uint32_t> label_at;
  buffer<double> weights;

  explicit rank_cells(const std::vector<bool>& categorical) : stores(categorical.size()), text_at(categorical.size()) {
    for (std::size_t k = 0; k < categorical.size(); ++k) stores[k].categorical = categorical[k];
  }
  // A piece's labels into data.labels / label_index.
  void add_labels(labelled_data& data, std::vector<std::string>& labels, buffer<std::uint32_t>& index) {
    if (data.labels.empty() && data.label_index.empty()) {  // the first piece: as it is
      for (std::size_t k = 0; k < labels.size(); ++k) label_at.emplace(labels[k], static_cast<std::uint32_t>(k));
      data.labels = std::move(labels);
      data.label_index = std::move(index);
      return;
    }
    std::vector<std::uint32_t> to(labels.size());
    for (std::size_t k = 0; k < labels.size(); ++k) {
      const auto [it, fresh] = label_at.emplace(labels[k], static_cast<std::uint32_t>(data.labels.size()));
      if (fresh) data.labels.push_back(labels[k]);
      to[k] = it->second;
    }
    for (std::uint32_t i : index) data.label_index.push_back(i == detail::missing_cell_id ? i : to[i]);
  }
  // A piece's feature cells and weights.
  void add(std::vector<column_store>& piece, buffer<double>& piece_weights) {
    for (std::size_t k = 0; k < stores.size(); ++k) {
      column_store& s = stores[k];
      s.missing += piece[k].missing;
      if (!s.categorical) {
        if (s.values.empty()) s.values = std::move(piece[k].values);
        else s.values.insert(s.values.end(), piece[k].values.begin(), piece[k].values.end());
        continue;
      }
      if (s.ids.empty() && s.texts.empty()) {  // the first piece: as it is
        for (std::size_t t = 0; t < piece[k].texts.size(); ++t)
          text_at[k].emplace(piece[k].texts[t], static_cast<std::uint32_t>(t));
        s.texts = std::move(piece[k].texts);
        s.ids = std::move(piece[k].ids);
        continue;
      }
      std::vector<std::uint32_t> id_to(piece[k].texts.size());
      for (std::size_t t = 0; t < piece[k].texts.size(); ++t) {
        const auto [it, fresh] = text_at[k].emplace(piece[k].texts[t], static_cast<std::uint32_t>(s.texts.size()));
        if (fresh) s.texts.push_back(piece[k].texts[t]);
        id_to[t] = it->second;
      }
      for (std::uint32_t id : piece[k].ids) s.ids.push_back(id == detail::missing_cell_id ? id : id_to[id]);
    }
    if (weights.empty()) weights = std::move(piece_weights);
    else weights.insert(weights.end(), piece_weights.begin(), piece_weights.end());
  }
};

// The labels in order of first appearance over the files (the ranks' lists in rank order), and
// data.label_index into them.
void agree_labels(detail::communicator& w, labelled_data& data) {
  std::vector<std::string> labels;
  for (const std::string& part : w.allgather(detail::pack_texts(data.labels)))
    for (const std::string& l : detail::unpack_texts(part))
      if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  std::vector<std::uint32_t> to_global(data.labels.size());
  for (std::size_t k = 0; k < data.labels.size(); ++k)
    to_global[k] = static_cast<std::uint32_t>(std::find(labels.begin(), labels.end(), data.labels[k]) - labels.begin());
  for (std::size_t i = 0; i < data.label_index.size(); ++i)
    if (data.label_index[i] != detail::missing_cell_id) data.label_index[i] = to_global[data.label_index[i]];
  data.labels = std::move(labels);
}

// Each categorical column's texts, first appearance over the files (the ranks' in rank order), and
// the cells' ids into them; the missing cells summed over the ranks.
void agree_texts(detail::communicator& w, std::vector<column_store>& stores) {
  for (column_store& st : stores) {
    st.missing = static_cast<std::size_t>(detail::sum_over_ranks(w.size() > 1, static_cast<double>(st.missing)));
    if (!st.categorical) continue;
    std::vector<std::string> texts;
    std::unordered_map<std::string, std::uint32_t> at;
    for (const std::string& part : w.allgather(detail::pack_texts(st.texts)))
      for (std::string& t : detail::unpack_texts(part))
        if (at.emplace(t, static_cast<std::uint32_t>(texts.size())).second) texts.push_back(std::move(t));
    for (std::uint32_t& id : st.ids)
      if (id != detail::missing_cell_id) id = at.at(st.texts[id]);
    st.texts = std::move(texts);
  }
}

// --missing drop, split among ranks: the rows each rank kept are cut among the ranks again, at the
// fixed chunks of their count (chunking.hpp), which is how one process chunks them, so that every
// sum runs as the one-process sums do. A rank's rows move to the rank(s) that hold them now: a
// contiguous run, to or from a few neighbours. Between two ranks rows move one way only (both
// ranges are ordered), and every rank takes its partners in increasing rank order, which orders
// the pairs alike on both sides: no rank waits on one that waits on it. The categorical ids and
// labels are global by now (steps 4 and 5), so a row travels as doubles: label, weight, features.
// Returns the rows kept in all; sets the dropped count and the first one's place (place_of() on
// the first rank that dropped one).
template <class Place>
std::uint64_t recut_kept_rows(detail::communicator& w, labelled_data& data, std::vector<column_store>& stores,
                              buffer<double>& weights, bool weighted, std::uint64_t read_rows, const std::string& source,
                              Place&& place_of) {
  const int r = w.rank(), P = w.size();
  const std::size_t d = stores.size();
  std::vector<std::uint64_t> have(static_cast<std::size_t>(P) + 1, 0), lost(static_cast<std::size_t>(P), 0);
  {
    const std::vector<std::string> all =
        w.allgather(detail::pack_counts({static_cast<std::uint64_t>(data.label_index.size()), data.rows_dropped}));
    for (std::size_t k = 0; k < static_cast<std::size_t>(P); ++k) {
      const std::vector<std::uint64_t> v = detail::unpack_counts(all[k]);
      have[k + 1] = have[k] + v.at(0);
      lost[k] = v.at(1);
    }
  }
  const std::uint64_t rows = have.back();
  data.rows_dropped = 0;
  int first = -1;
  for (int k = 0; k < P; ++k) {
    data.rows_dropped += lost[static_cast<std::size_t>(k)];
    if (first < 0 && lost[static_cast<std::size_t>(k)] > 0) first = k;
  }
  if (first >= 0) {
    std::string place;
    bool failed = false;
    if (r == first) {
      try {
        place = place_of();
      } catch (const std::exception& e) {
        place = e.what();
        failed = true;
      }
    }
    failed = w.any(failed);
    w.broadcast(first, place);
    if (failed) throw data_error(place);
    data.first_dropped = place;
  }
  if (rows == 0)
    throw data_error(source + ": every one of the " + thousands(read_rows) +
                     " rows has a missing cell (--missing drop left none; the first: " + data.first_dropped + ")");
  const detail::chunking ch(rows);
  require_chunk_per_rank(ch, P, source + ": the " + std::to_string(rows) + " rows --missing drop leaves", "these make one");
  std::vector<std::uint64_t> want(static_cast<std::size_t>(P) + 1);
  for (std::size_t k = 0; k <= static_cast<std::size_t>(P); ++k)
    want[k] = ch.begin(ch.count * k / static_cast<std::size_t>(P));
  const std::size_t width = 1 + (weighted ? 1 : 0) + d;
  const std::uint64_t mine = have[static_cast<std::size_t>(r)];
  auto pack = [&](std::uint64_t lo, std::uint64_t hi) {  // this rank's rows [lo, hi) of the kept ones
    buffer<double> out;  // (buffer: cached out of core, as the rows are)
    out.reserve((hi - lo) * width);
    for (std::uint64_t g = lo; g < hi; ++g) {
      const std::size_t i = g - mine;
      out.push_back(data.label_index[i]);
      if (weighted) out.push_back(weights[i]);
      for (std::size_t k = 0; k < d; ++k)
        out.push_back(stores[k].categorical ? static_cast<double>(stores[k].ids[i]) : stores[k].values[i]);
    }
    return out;
  };
  buffer<std::uint32_t> labels;
  buffer<double> new_weights;
  std::vector<buffer<double>> values(d);
  std::vector<buffer<std::uint32_t>> ids(d);
  auto append = [&](const double* row, std::size_t count) {
    for (std::size_t t = 0; t < count; ++t, row += width) {
      const double* x = row;
      labels.push_back(static_cast<std::uint32_t>(*x++));
      if (weighted) new_weights.push_back(*x++);
      for (std::size_t k = 0; k < d; ++k, ++x) {
        if (stores[k].categorical) ids[k].push_back(static_cast<std::uint32_t>(*x));
        else values[k].push_back(*x);
      }
    }
  };
  const std::uint64_t to_lo = want[static_cast<std::size_t>(r)], to_hi = want[static_cast<std::size_t>(r) + 1];
  for (int s = 0; s < P; ++s) {
    const std::size_t k = static_cast<std::size_t>(s);
    // rows of rank s that this rank holds now (its own, or received)
    const std::uint64_t in_lo = std::max(have[k], to_lo), in_hi = std::min(have[k + 1], to_hi);
    if (s == r) {  // (copied as they are: no packed copy of a rank's whole part)
      for (std::uint64_t g = in_lo; g < in_hi; ++g) {
        const std::size_t i = g - mine;
        labels.push_back(data.label_index[i]);
        if (weighted) new_weights.push_back(weights[i]);
        for (std::size_t k = 0; k < d; ++k) {
          if (stores[k].categorical) ids[k].push_back(stores[k].ids[i]);
          else values[k].push_back(stores[k].values[i]);
        }
      }
      continue;
    }
    // rows of this rank that rank s holds now
    const std::uint64_t out_lo = std::max(mine, want[k]), out_hi = std::min(have[static_cast<std::size_t>(r) + 1], want[k + 1]);
    if (out_lo < out_hi) {
      const buffer<double> sent = pack(out_lo, out_hi);
      w.send(s, sent.data(), sent.size());
    }
    if (in_lo < in_hi) {
      buffer<double> got((in_hi - in_lo) * width);
      w.receive(s, got.data(), got.size());
      append(got.data(), in_hi - in_lo);
    }
  }
  data.label_index = std::move(labels);
  if (weighted) weights = std::move(new_weights);
  for (std::size_t k = 0; k < d; ++k) {
    if (stores[k].categorical) stores[k].ids = std::move(ids[k]);
    else stores[k].values = std::move(values[k]);
  }
  data.shard.total = rows;
  data.shard.offset = to_lo;
  data.shard.first = ch.count * static_cast<arma::uword>(r) / static_cast<arma::uword>(P);
  data.shard.last = ch.count * static_cast<arma::uword>(r + 1) / static_cast<arma::uword>(P);
  return rows;
}

const char* const no_fold_column = "--fold-column: a fit of several files, or one split among MPI ranks, takes no fold column, for now";

// Several files of numbers split among ranks by files (load_csv_by_files): each rank counts its
// files' records, and once every rank knows where its rows go (the fixed chunks of all N), parses
// its files with the numeric fast path straight into the matrix of the rows it holds, and the rows
// of its files that other ranks hold into a buffer it sends them (the few rows at the edges of a
// rank's files). Memory: the rank's share, and those edges. Returns nothing (on every rank) when the
// fast path declines a file anywhere: load_csv_by_files then reads the files the general way.
std::optional<labelled_data> numbers_by_files(std::vector<input_file>& files, const std::vector<std::string>& header,
                                              const resolved_columns& cols, csv_dialect dialect,
                                              const progress_callbacks& shown, const row_encoder& na,
                                              const std::string& source, detail::communicator& w) {
  const int r = w.rank(), P = w.size();
  const std::size_t d = cols.features.size();
  const bool weighted = cols.weight != SIZE_MAX;
  // 1. The records of each of the rank's files (a quoted line end would count as one: the parse
  //    below then finds fewer rows than counted and declines).
  std::vector<std::uint64_t> records(files.size(), 0);
  std::uint64_t mine = 0;
  const bool counted = detail::survive_sigbus([&] {
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (files[i].size > files[i].data_start)
        records[i] = count_records(files[i].text(), files[i].data_start, files[i].size, files[i].term);
      files[i].unmap();
      mine += records[i];
    }
  });
  std::vector<std::uint64_t> have(static_cast<std::size_t>(P) + 1, 0);
  {
    const std::vector<std::string> all = w.allgather(detail::pack_counts({counted ? mine : UINT64_MAX}));
    for (std::size_t k = 0; k < static_cast<std::size_t>(P); ++k) {
      const std::uint64_t n = detail::unpack_counts(all[k]).at(0);
      if (n == UINT64_MAX) return std::nullopt;  // (a file changed: the general way says so)
      have[k + 1] = have[k] + n;
    }
  }
  const std::uint64_t N = have.back();
  if (N == 0) return std::nullopt;
  const detail::chunking ch(N);
  require_chunk_per_rank(ch, P, source + ": " + std::to_string(N) + " rows", "these files have one");
  std::vector<std::uint64_t> want(static_cast<std::size_t>(P) + 1);
  for (std::size_t k = 0; k <= static_cast<std::size_t>(P); ++k) want[k] = ch.begin(ch.count * k / static_cast<std::size_t>(P));
  const std::size_t R = static_cast<std::size_t>(r);
  const std::uint64_t to_lo = want[R], to_hi = want[R + 1];

  // 2. Parse: each file's rows, cut where the ranks' rows change, into this rank's matrix or a
  //    buffer for the rank that holds them.
  labelled_data data;
  data.source = source;
  data.target_name = header[cols.target];
  data.X.set_size(d, to_hi - to_lo);
  rank_cells held(std::vector<bool>(d, false));
  buffer<std::uint32_t> my_labels;  // per row of the rank's files (local ids, then global)
  buffer<double> my_weights;
  std::vector<buffer<double>> outgoing(static_cast<std::size_t>(P));  // X columns for rank s (buffer: cached out of core)
  const detail::column_roles roles{header.size(), cols.target, cols.features, cols.weight};
  bool ok = true;
  try {
    std::uint64_t g0 = have[R];
    for (std::size_t i = 0; i < files.size() && ok; g0 += records[i], ++i) {
      input_file& in = files[i];
      const std::uint64_t g1 = g0 + records[i];
      for (std::size_t s = 0; s < static_cast<std::size_t>(P) && ok; ++s) {
        const std::uint64_t a = std::max(g0, want[s]), b = std::min(g1, want[s + 1]);
        if (a >= b) continue;
        std::size_t from = in.data_start, to = in.size;
        ok = detail::survive_sigbus([&] {
          if (a > g0) from = kth_record_start(in.text(), in.data_start, in.size, in.term, a - g0);
          if (b < g1) to = kth_record_start(in.text(), in.data_start, in.size, in.term, b - g0);
        });
        in.unmap();
        if (!ok) break;
        double* into;
        if (s == R) {
          into = data.X.colptr(a - to_lo);
        } else {
          buffer<double>& out = outgoing[s];
          out.resize(out.size() + (b - a) * d);
          into = out.data() + out.size() - (b - a) * d;
        }
        labelled_data part;
        ok = detail::load_parallel(in.path, from, to, roles, dialect.delimiter, thread_count(), part, shown, into, b - a) &&
             part.label_index.size() == b - a &&
             std::none_of(part.labels.begin(), part.labels.end(),
                          [&](const std::string& l) { return na.is_missing(l) || !label_text_problem(l).empty(); });
        if (!ok) break;
        held.add_labels(data, part.labels, part.label_index);
        if (weighted) my_weights.insert(my_weights.end(), part.weights.begin(), part.weights.end());
      }
    }
  } catch (const std::exception&) {
    ok = false;
  }
  if (w.any(!ok)) return std::nullopt;

  // 3. The labels of all, first appearance first (in rank order, which is file order).
  agree_labels(w, data);
  my_labels = std::move(data.label_index);

  // 4. The rows move: to and from each other rank in increasing rank order (recut_kept_rows).
  buffer<std::uint32_t> labels(to_hi - to_lo);
  arma::vec weights(weighted ? to_hi - to_lo : 0);
  auto keep = [&](std::uint64_t g, std::uint32_t label, double weight) {  // row g of all, held here
    labels[g - to_lo] = label;
    if (weighted) weights[g - to_lo] = weight;
  };
  for (std::uint64_t g = std::max(have[R], to_lo); g < std::min(have[R + 1], to_hi); ++g)
    keep(g, my_labels[g - have[R]], weighted ? my_weights[g - have[R]] : 1);
  for (std::size_t s = 0; s < static_cast<std::size_t>(P); ++s) {
    if (s == R) continue;
    const std::uint64_t out_lo = std::max(have[R], want[s]), out_hi = std::min(have[R + 1], want[s + 1]);
    if (out_lo < out_hi) {
      buffer<double> rows(out_hi - out_lo);
      for (std::uint64_t g = out_lo; g < out_hi; ++g) rows[g - out_lo] = my_labels[g - have[R]];
      w.send(static_cast<int>(s), outgoing[s].data(), outgoing[s].size());
      w.send(static_cast<int>(s), rows.data(), rows.size());
      if (weighted) w.send(static_cast<int>(s), my_weights.data() + (out_lo - have[R]), out_hi - out_lo);
      buffer<double>().swap(outgoing[s]);
    }
    const std::uint64_t in_lo = std::max(have[s], to_lo), in_hi = std::min(have[s + 1], to_hi);
    if (in_lo < in_hi) {
      w.receive(static_cast<int>(s), data.X.colptr(in_lo - to_lo), (in_hi - in_lo) * d);
      buffer<double> rows(in_hi - in_lo), row_weights(weighted ? in_hi - in_lo : 0);
      w.receive(static_cast<int>(s), rows.data(), rows.size());
      if (weighted) w.receive(static_cast<int>(s), row_weights.data(), row_weights.size());
      for (std::uint64_t g = in_lo; g < in_hi; ++g)
        keep(g, static_cast<std::uint32_t>(rows[g - in_lo]), weighted ? row_weights[g - in_lo] : 1);
    }
  }
  data.label_index = std::move(labels);
  if (weighted) data.weights = std::move(weights);
  data.shard.active = true;
  data.shard.total = N;
  data.shard.offset = to_lo;
  data.shard.first = ch.count * R / static_cast<std::size_t>(P);
  data.shard.last = ch.count * (R + 1) / static_cast<std::size_t>(P);
  return data;
}

// Several files split among MPI ranks by files (and, in one process, several files the byte-range
// path declines): rank k reads the files whose middle byte lies in its 1/P of all the files' bytes,
// each file whole, from its first line, with the parallel typed reader or, where that declines
// (line breaks inside quoted fields, blank lines with --missing drop, text late in a column, a bad
// cell), the sequential one; so every file one process reads is read, and a bad cell's message
// names its file and line as one process gives it. Then the kinds, labels and levels are agreed,
// and the rows move to the ranks that hold their fixed chunks (recut_kept_rows), where the fit
// needs them. Every rank learns a failure: the first one in file order is every rank's message.
labelled_data load_csv_by_files(const std::vector<std::string>& paths, const column_selection& columns,
                                csv_dialect dialect, const progress_callbacks& progress,
                                const encoding_options& encoding, detail::communicator& w) {
  const int r = w.rank(), P = w.size();
  const std::size_t F = paths.size();
  // The owners: every rank learns the sizes (stat) and assigns alike.
  std::vector<std::size_t> sizes(F);
  for (std::size_t f = 0; f < F; ++f) {
    struct stat st {};
    if (::stat(paths[f].c_str(), &st) == 0) sizes[f] = static_cast<std::size_t>(st.st_size);
  }
  std::vector<std::size_t> mine;
  const std::vector<int> owner = detail::file_owners(sizes, P);
  for (std::size_t f = 0; f < F; ++f)
    if (owner[f] == r) mine.push_back(f);

  // A failure on any rank: the first in rank order (which is file order) is every rank's.
  struct failure {
    std::string message;
    bool usage = false;
  };
  auto first_failure = [&](const std::optional<failure>& f) -> void {
    const std::string packed = f ? detail::pack_texts({f->usage ? "u" : "d", f->message}) : detail::pack_texts({});
    for (const std::string& part : w.allgather(packed)) {
      const std::vector<std::string> v = detail::unpack_texts(part);
      if (v.size() != 2) continue;
      if (v[0] == "u") throw usage_error(v[1]);
      throw data_error(v[1]);
    }
  };
  auto catching = [&](std::optional<failure>& out, auto&& fn) {
    try {
      fn();
    } catch (const usage_error& e) {
      out = failure{e.what(), true};
    } catch (const std::exception& e) {
      out = failure{e.what(), false};
    }
  };

  // The first file's header names the columns (every rank reads it); each rank checks its files'.
  csv_reader first_reader(paths[0], dialect, 64 << 10);
  const std::vector<std::string> header = first_reader.read_header(false);
  const resolved_columns cols = resolve(first_reader, columns);
  const std::string first_source = first_reader.source();
  const std::string source = F == 1 ? first_source : first_source + " and " + std::to_string(F - 1) + " more";
  if (cols.fold != SIZE_MAX) throw usage_error(no_fold_column);
  const std::size_t d = cols.features.size();
  struct owned_file {
    std::size_t f = 0, data_start = 0, size = 0, first_line = 0;
    std::string source;
  };
  std::vector<owned_file> files;
  {
    std::optional<failure> failed;
    catching(failed, [&] {
      for (std::size_t f : mine) {
        csv_reader reader(paths[f], dialect, 64 << 10);
        if (reader.read_header(false) != header)
          throw data_error(reader.source() + ": its header differs from " + first_source +
                           "'s; the files of one fit must have the same columns in the same order");
        owned_file in;
        in.f = f;
        in.source = reader.source();
        in.data_start = reader.bytes_consumed();
        in.first_line = reader.next_line();
        in.size = without_trailing_blank_lines(paths[f], in.data_start, reader.total_bytes());
        files.push_back(std::move(in));
      }
    });
    first_failure(failed);
  }

  // The kinds: those named, and those with text in the first 10,000 rows (as the byte-range path
  // decides them); text later in a column is found by the rank reading it, and every rank then
  // reads its files again (as one process reads a file twice then).
  std::vector<bool> categorical(d, false);
  for (std::size_t k = 0; k < d; ++k) categorical[k] = categorical_requested(encoding, header[cols.features[k]]);
  feature_encoding probe;
  probe.na_values = encoding.na_values;
  const row_encoder na(probe, unknown_mode::zero);
  std::vector<std::string> first_texts(d), first_sources(d);
  std::vector<std::size_t> first_lines(d, 0);
  for (std::size_t f = 0, rows = 0; f < F && rows < 10000; ++f) {
    rows += look_ahead_for_text(paths[f], "", dialect, cols, na, categorical, first_texts, first_lines, 10000 - rows);
    for (std::size_t k = 0; k < d; ++k)
      if (first_lines[k] != 0 && first_sources[k].empty()) first_sources[k] = paths[f];  // (csv_reader's name for a file)
  }
  const bool impute = encoding.missing == missing_mode::impute, drop = encoding.missing == missing_mode::drop;
  const detail::column_roles roles{header.size(), cols.target, cols.features, cols.weight};
  const progress_callbacks shown = r == 0 ? progress : progress_callbacks{};

  // Numbers only: the numeric fast path, straight into each rank's rows (numbers_by_files).
  if (!impute && !drop && std::find(categorical.begin(), categorical.end(), true) == categorical.end() &&
      !numeric_na_marker(encoding)) {
    std::vector<input_file> owned(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      owned[i].path = paths[files[i].f];
      owned[i].source = files[i].source;
      owned[i].data_start = files[i].data_start;
      owned[i].size = files[i].size;
      owned[i].first_line = files[i].first_line;
    }
    if (std::optional<labelled_data> fast = numbers_by_files(owned, header, cols, dialect, shown, na, source, w)) {
      for (std::size_t s : sizes) fast->bytes += s;
      numeric_encoding(*fast, header, cols, encoding);
      fast->feature_names = fast->encoding.term_names();
      return std::move(*fast);
    }
  }

  for (;;) {
    labelled_data data;
    data.source = source;
    data.target_name = header[cols.target];
    rank_cells held(categorical);
    std::uint64_t records = 0;
    std::optional<failure> failed;
    std::vector<bool> found = categorical;  // the kinds after this round's reading
    std::vector<std::string> found_texts(d), found_sources(d);
    std::vector<std::size_t> found_lines(d, 0);
    bool discovering = false;
    for (const owned_file& in : files) {
      std::vector<std::string> texts(d);
      std::vector<std::size_t> lines(d, 0);
      const std::vector<bool> before = found;
      catching(failed, [&] {
        if (!discovering && in.size > in.data_start) {  // (a header alone, as Spark writes an empty part: no rows)
          const detail::typed_rules rules{categorical, &na, impute || drop, drop};
          detail::typed_cells cells;
          if (detail::load_parallel_typed(paths[in.f], in.data_start, in.size, roles, rules, dialect.delimiter,
                                          thread_count(), cells, shown)) {
            std::vector<column_store> piece(d);
            for (std::size_t k = 0; k < d; ++k) piece[k].categorical = categorical[k];
            buffer<double> piece_weights;
            labelled_data part =
                typed_from_parallel(cells, piece, piece_weights, header, cols, in.source, in.first_line, encoding);
            if (std::none_of(part.labels.begin(), part.labels.end(), [&](const std::string& l) {
                  return na.is_missing(l) || !label_text_problem(l).empty();
                })) {
              records += cells.records;
              if (part.rows_dropped > 0 && data.rows_dropped == 0) data.first_dropped = part.first_dropped;
              data.rows_dropped += part.rows_dropped;
              held.add(piece, piece_weights);
              held.add_labels(data, part.labels, part.label_index);
              return;
            }
          }
        }
        typed_read read = typed_pass(paths[in.f], "", cols, found, texts, lines, dialect, shown, encoding);
        if (discovering) return;
        if (!read.complete) {
          discovering = true;
          return;
        }
        records += read.records;
        if (read.data.rows_dropped > 0 && data.rows_dropped == 0) data.first_dropped = read.data.first_dropped;
        data.rows_dropped += read.data.rows_dropped;
        held.add(read.store, read.weights);
        held.add_labels(data, read.data.labels, read.data.label_index);
      });
      for (std::size_t k = 0; k < d; ++k)
        if (found[k] && !before[k]) {
          found_texts[k] = texts[k];
          found_lines[k] = lines[k];
          found_sources[k] = in.source;
          discovering = true;  // (also when a later cell of the file failed: the text came first)
        }
      if (failed) {
        if (discovering) failed.reset();  // read again with the new kinds: it comes again if it is one
        break;
      }
    }
    // The first event in file order: a failure stops every rank; columns found categorical make
    // every rank read again (all ranks' finds at once).
    {
      std::vector<std::string> mine_event;
      if (failed) mine_event = {failed->usage ? "u" : "d", failed->message};
      else if (discovering) {
        mine_event = {"c", ""};
        for (std::size_t k = 0; k < d; ++k)
          if (found[k] && !categorical[k])
            for (const std::string& t : {std::to_string(k), found_texts[k], std::to_string(found_lines[k]), found_sources[k]})
              mine_event.push_back(t);
      }
      bool again = false;
      for (const std::string& part : w.allgather(detail::pack_texts(mine_event))) {
        const std::vector<std::string> v = detail::unpack_texts(part);
        if (v.empty()) continue;
        if (v[0] == "u" && !again) throw usage_error(v[1]);
        if (v[0] == "d" && !again) throw data_error(v[1]);
        if (v[0] != "c") continue;
        again = true;
        for (std::size_t t = 2; t + 4 <= v.size(); t += 4) {
          const std::size_t k = std::stoul(v[t]);
          if (categorical[k]) continue;  // (a rank before found it first)
          categorical[k] = true;
          first_texts[k] = v[t + 1];
          first_lines[k] = std::stoul(v[t + 2]);
          first_sources[k] = v[t + 3];
        }
      }
      if (again) continue;
    }

    // Every file read: the rows, labels and levels of all, and each rank's fixed chunks.
    const std::uint64_t read_rows = static_cast<std::uint64_t>(detail::sum_over_ranks(P > 1, static_cast<double>(records)));
    if (read_rows == 0) throw data_error(first_source + " and the other files: the headers have no data rows below them");
    agree_labels(w, data);
    agree_texts(w, held.stores);
    data.shard.active = true;
    for (std::size_t s : sizes) data.bytes += s;
    if (!drop) {
      const detail::chunking ch(read_rows);
      require_chunk_per_rank(ch, P, source + ": " + std::to_string(read_rows) + " rows", "these files have one");
    }
    const std::string first_dropped = data.first_dropped;
    const std::uint64_t rows = recut_kept_rows(w, data, held.stores, held.weights, cols.weight != SIZE_MAX, read_rows,
                                               source, [&] { return first_dropped; });
    labelled_data out = finish_typed(std::move(data), held.stores, held.weights, header, cols, first_texts,
                                     first_lines, encoding, rows, &first_sources);
    if (out.compact) out.compact->set_shard(out.shard);
    if (F == 1 && P > 1)
      out.notes.push_back(source + ": read whole by one rank, which sent the other ranks their rows (the parallel "
                          "readers do not take this file: a line break inside quotes, a blank line with --missing "
                          "drop, or text in a column after 10,000 rows of numbers)");
    return out;
  }
}

}  // namespace

labelled_data load_labelled_csv_part(const std::vector<std::string>& paths, const column_selection& columns,
                                     csv_dialect dialect, const progress_callbacks& progress,
                                     const encoding_options& encoding) {
  detail::one_rank alone;
  detail::communicator& w = detail::world() ? *detail::world() : alone;
  const int r = w.rank(), P = w.size();
  if (paths.empty()) throw usage_error("no DATA file");
  for (const std::string& path : paths) {
    struct stat st {};
    if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      throw usage_error((path == "-" ? std::string("standard input") : "'" + path + "'") + ": " +
                        (P > 1 ? "under mpirun the data must be regular files that every rank can read (each reads its "
                                 "own part of them)"
                               : "with several DATA files each must be a regular file") +
                        ", not standard input, a pipe or a FIFO");
  }

  // Several files under mpirun: split by files (load_csv_by_files).
  if (paths.size() > 1 && P > 1) return load_csv_by_files(paths, columns, dialect, progress, encoding, w);

  // The headers: every file's the same as the first one's.
  std::vector<input_file> files(paths.size());
  std::vector<std::string> header;
  std::optional<resolved_columns> resolved;
  std::size_t total = 0;
  for (std::size_t f = 0; f < paths.size(); ++f) {
    csv_reader reader(paths[f], dialect, 64 << 10);
    const std::vector<std::string>& h = reader.read_header(paths.size() == 1);
    if (f == 0) {
      header = h;
      resolved = resolve(reader, columns);
    } else if (h != header) {
      throw data_error(reader.source() + ": its header differs from " + files[0].source +
                       "'s; the files of one fit must have the same columns in the same order");
    }
    files[f].data_start = reader.bytes_consumed();  // (before the first record is read)
    files[f].size = without_trailing_blank_lines(paths[f], files[f].data_start, reader.total_bytes());
    std::vector<std::string_view> first;
    const bool any = reader.next(first);
    files[f].first_line = reader.line();
    if (!any) {
      // Of several files, one with a header alone (as Spark writes for an empty part) adds no rows.
      if (paths.size() == 1) throw data_error(reader.source() + ": the header has no data rows below it");
      files[f].size = files[f].data_start;  // (blank lines after the header: none read)
    }
    files[f].path = paths[f];
    files[f].source = reader.source();
    files[f].base = total;
    total += files[f].data_bytes();
  }
  if (total == 0) throw data_error(files[0].source + " and the other files: the headers have no data rows below them");
  const resolved_columns cols = *resolved;
  if (cols.fold != SIZE_MAX) throw usage_error(no_fold_column);
  const std::string source = files.size() == 1 ? files[0].source
                                               : files[0].source + " and " + std::to_string(files.size() - 1) + " more";
  const std::size_t d = cols.features.size();
  // Categorical columns: those named, and those with text in the first 10,000 rows (load_typed's
  // look_ahead_for_text, over the files in order; every rank reads the same rows, so all decide
  // alike). Text in a column later than that makes the fast path decline: an error here.
  std::vector<bool> categorical(d, false);
  for (std::size_t k = 0; k < d; ++k) categorical[k] = categorical_requested(encoding, header[cols.features[k]]);
  feature_encoding probe;
  probe.na_values = encoding.na_values;
  const row_encoder na(probe, unknown_mode::zero);
  std::vector<std::string> first_texts(d);
  std::vector<std::size_t> first_lines(d, 0);
  std::vector<std::string> first_sources(d);  // the file of first_lines[k]
  for (std::size_t f = 0, rows = 0; f < paths.size() && rows < 10000; ++f) {
    rows += look_ahead_for_text(paths[f], "", dialect, cols, na, categorical, first_texts, first_lines, 10000 - rows);
    for (std::size_t k = 0; k < d; ++k)
      if (first_lines[k] != 0 && first_sources[k].empty()) first_sources[k] = files[f].source;
  }
  // --missing impute or drop: the typed reader, which takes missing cells (the numeric one does not).
  const bool impute = encoding.missing == missing_mode::impute, drop = encoding.missing == missing_mode::drop;
  const bool typed = impute || drop || numeric_na_marker(encoding) ||
                     std::find(categorical.begin(), categorical.end(), true) != categorical.end();

  // 1-2. This rank's rows and bytes (rank_rows).
  const rank_rows mine_rows = cut_among_ranks(files, total, w, source);
  const std::size_t from = mine_rows.from, to = mine_rows.to;
  const arma::uword row0 = mine_rows.row0, row1 = mine_rows.row1;
  const std::uint64_t N = mine_rows.N;
  file_span span{files, total};

  // 3. Each rank parses its rows, piece by piece of each file, with the parallel fast paths; a
  //    rank they decline (a bad cell, a quoted line end, ...) makes every rank stop: rank 0
  //    then reads the files one by one as one process does, for the message naming the first bad
  //    cell.
  labelled_data data;
  data.source = source;
  data.target_name = header[cols.target];
  const detail::column_roles roles{header.size(), cols.target, cols.features, cols.weight};
  const progress_callbacks shown = r == 0 ? progress : progress_callbacks{};
  rank_cells held(categorical);
  std::vector<column_store>& stores = held.stores;
  buffer<double>& weights = held.weights;
  if (!typed) data.X.set_size(d, row1 - row0);
  // --missing drop: where this rank's first dropped row is (file, piece start, record in the piece,
  // field), for the message.
  struct drop_place {
    std::size_t f = 0, a = 0, row = 0, field = 0;
  } first_drop;
  bool ok = true;
  try {
    span.pieces(from, to, [&](std::size_t f, std::size_t a, std::size_t b) {
      if (!ok) return;
      const std::string& path = files[f].path;
      if (typed) {
        const detail::typed_rules rules{categorical, &na, impute || drop, drop};
        detail::typed_cells cells;
        ok = detail::load_parallel_typed(path, a, b, roles, rules, dialect.delimiter, thread_count(), cells, shown);
        if (!ok) return;
        std::vector<column_store> piece(d);
        for (std::size_t k = 0; k < d; ++k) piece[k].categorical = categorical[k];
        buffer<double> piece_weights;
        labelled_data part = typed_from_parallel(cells, piece, piece_weights, header, cols, source, 0, encoding);
        if (part.rows_dropped > 0 && data.rows_dropped == 0) first_drop = {f, a, part.first_dropped_row, part.first_dropped_field};
        data.rows_dropped += part.rows_dropped;
        held.add(piece, piece_weights);
        held.add_labels(data, part.labels, part.label_index);
      } else {  // each piece parses straight into its columns of the one matrix
        labelled_data part;
        const std::size_t done = data.label_index.size();
        ok = detail::load_parallel(path, a, b, roles, dialect.delimiter, thread_count(), part, shown,
                                   data.X.memptr() + done * d, data.X.n_cols - done);
        if (!ok) return;
        held.add_labels(data, part.labels, part.label_index);
        if (!part.weights.is_empty()) data.weights = arma::join_cols(data.weights, part.weights);
      }
    });
    ok = ok && data.label_index.size() + data.rows_dropped == row1 - row0 &&
         std::none_of(data.labels.begin(), data.labels.end(),
                      [&](const std::string& l) { return na.is_missing(l) || !label_text_problem(l).empty(); });
  } catch (const std::exception&) {
    ok = false;
  }
  // A file the fast paths decline (a bad cell, a line break inside quotes, a blank line with
  // --missing drop, text after the first 10,000 rows of a column): read by files, each whole, by the
  // reader that takes it, which also names a bad cell by its file and line (load_csv_by_files).
  if (w.any(!ok)) return load_csv_by_files(paths, columns, dialect, progress, encoding, w);

  // 4. The labels in order of first appearance over the files: the ranks' lists in rank order.
  agree_labels(w, data);
  data.shard.active = true;
  data.shard.total = N;
  data.shard.offset = row0;
  data.shard.first = mine_rows.first_chunk;
  data.shard.last = mine_rows.last_chunk;
  for (const input_file& in : files) data.bytes += in.size;

  if (typed) {
    // 5. Each categorical column's texts, first appearance over the files (the ranks' in rank
    //    order), and the cells' ids into them; then the encoding (sorted levels) as one process
    //    makes it.
    agree_texts(w, stores);
    std::uint64_t rows = N;
    if (drop) rows = recut_kept_rows(w, data, stores, weights, cols.weight != SIZE_MAX, N, source, [&] {
      // The place of this rank's first dropped row: its line is the records before its piece in
      // that file.
      input_file& in = files[first_drop.f];
      std::size_t before = 0;
      const bool read = detail::survive_sigbus([&] { before = count_records(in.text(), in.data_start, first_drop.a, in.term); });
      in.unmap();
      if (!read) throw data_error(in.source + ": the file changed while it was being read");
      return cell_place(in.source, in.first_line + before + first_drop.row, first_drop.field, header[first_drop.field]);
    });
    labelled_data out = finish_typed(std::move(data), stores, weights, header, cols, first_texts, first_lines, encoding,
                                     rows, files.size() > 1 ? &first_sources : nullptr);
    if (out.compact) out.compact->set_shard(out.shard);  // (numbers only: X, whose design take_design makes)
    return out;
  }

  numeric_encoding(data, header, cols, encoding);
  data.feature_names = data.encoding.term_names();
  return data;
}

}  // namespace logreg
