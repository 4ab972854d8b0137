// The fast path for files with categorical columns or missing cells (load_parallel_typed): every
// record's cells per feature column, with per-range dictionaries merged in file order.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "base/text.hpp"
#include "io/number_parser.hpp"
#include "io/parallel_csv_loader.hpp"
#include "io/record_ranges.hpp"
#include "io/record_scan.hpp"
#include "io/text_dictionary.hpp"

namespace logreg::detail {

namespace {

// Parses the records of one byte range of a typed file (whole records, each ending with the line
// end) into out at records [row, row_limit). Dictionaries are the range's own (ids local to it).
class typed_range_parser {
 public:
  typed_range_parser(const column_roles& roles, const typed_rules& rules, char delim, char term, typed_cells& out)
      : roles_(roles), rules_(rules), delim_(delim), term_(term), out_(out), role_(column_role_table(roles)),
        dict_(roles.features.size()) {}

  bool parse(const char* p, const char* end, std::size_t& row, std::size_t row_limit) {
    const std::size_t columns = roles_.n_columns;
    const bool crlf = term_ == '\n';
    const row_encoder& na = *rules_.na;
    while (p < end) {
      if (const std::size_t blank = blank_line_at(p, end, term_)) {  // skipped, as the sequential reader skips it
        p += blank;
        continue;
      }
      if (row >= row_limit) return false;
      std::uint8_t missing = 0;
      std::string_view label;
      for (std::size_t k = 0; k < columns; ++k) {
        const char* f = cell_end(p, end, delim_, term_);
        if (f == end) return false;
        const bool last = k + 1 == columns;
        if (*f != (last ? term_ : delim_)) return false;  // too few or too many fields
        const char* cell_end = (last && crlf && f > p && f[-1] == '\r') ? f - 1 : f;
        std::string_view cell(p, static_cast<std::size_t>(cell_end - p));
        p = f + 1;
        const long role = role_[k];
        // (The label's text is kept to the record's end: a scratch of its own.)
        if (!unquote_cell(cell, role == -2 ? label_scratch_ : scratch_, quotes_)) return false;
        if (role >= 0) {
          const std::size_t j = static_cast<std::size_t>(role);
          if (na.is_missing(cell)) {
            if (!rules_.missing_allowed) return false;
            missing |= missing_feature;
            if (rules_.categorical[j])
              out_.ids[j][row] = missing_cell_id;
            else
              out_.values[j][row] = std::numeric_limits<double>::quiet_NaN();
          } else if (rules_.categorical[j]) {
            out_.ids[j][row] = dict_[j].id(cell);
          } else if (parse_number(cell, out_.values[j][row]) != cell_kind::number) {
            return false;  // text in a numeric column, or a non-finite number: the sequential reader decides
          }
        } else if (role == -2) {
          if (na.is_missing(cell)) {
            if (!rules_.missing_rows_allowed) return false;
            missing |= missing_label;
          }
          label = cell;
        } else if (role == -3) {
          double w = 0;
          if (na.is_missing(cell) && rules_.missing_rows_allowed) {
            missing |= missing_weight;
            w = std::numeric_limits<double>::quiet_NaN();
          } else if (parse_number(cell, w) != cell_kind::number || w < 0) {
            return false;
          }
          out_.weights[row] = w;
        }
      }
      out_.has_missing[row] = missing;
      // A row that --missing drop leaves out does not name a class (as in the sequential reader).
      if (missing != 0 && rules_.missing_rows_allowed) {
        out_.label_index[row] = missing_cell_id;
      } else {
        out_.label_index[row] = labels_.id(label, std::size_t{1} << 16);
        if (out_.label_index[row] == missing_cell_id) return false;  // too many classes
      }
      ++row;
    }
    return true;
  }

  std::vector<text_dictionary>& dictionaries() { return dict_; }
  std::size_t quotes() const { return quotes_; }  // of the quoted cells read so far (see unquote_cell)
  text_dictionary& labels() { return labels_; }

 private:
  const column_roles& roles_;
  const typed_rules& rules_;
  char delim_, term_;
  typed_cells& out_;
  std::vector<long> role_;
  std::vector<text_dictionary> dict_;  // per feature (used by the categorical ones)
  text_dictionary labels_;
  std::string scratch_, label_scratch_;  // a quoted cell's text, when it has doubled quotes
  std::size_t quotes_ = 0;
};

}  // namespace

bool load_parallel_typed(const std::string& path, std::size_t data_start, std::size_t file_size,
                         const column_roles& roles, const typed_rules& rules, char delimiter, int threads,
                         typed_cells& out, const progress_callbacks& progress) {
  record_ranges ranges;
  if (!ranges.open(path, data_start, file_size, threads)) return false;
  // --missing drop names the first row it leaves out by its line, which blank lines would move
  // away from the record's number: the sequential reader counts them.
  if (rules.missing_rows_allowed &&
      std::any_of(ranges.blanks.begin(), ranges.blanks.end(), [](std::size_t b) { return b > 0; }))
    return false;
  const std::size_t R = ranges.R, d = roles.features.size();
  const std::vector<std::size_t>& first_row = ranges.first_row;
  const std::size_t n = first_row[R];
  out = typed_cells{};
  out.records = n;
  out.values.resize(d);
  out.ids.resize(d);
  out.texts.resize(d);
  for (std::size_t j = 0; j < d; ++j) {
    if (rules.categorical[j])
      out.ids[j].resize(n);
    else
      out.values[j].resize(n);
  }
  out.label_index.resize(n);
  out.has_missing.resize(n);
  if (roles.weight != SIZE_MAX) out.weights.resize(n);

  // Pass 2 (parallel): each range's records into their places, in blocks of whole records.
  std::vector<std::unique_ptr<typed_range_parser>> parsers(R);
  const char* const text = ranges.text;
  const char term = ranges.term;
  auto parse_range = [&](std::size_t c, bool reporting) {
    parsers[c] = std::make_unique<typed_range_parser>(roles, rules, delimiter, term, out);
    typed_range_parser& parser = *parsers[c];
    std::size_t row = first_row[c], at = ranges.bounds[c];
    const std::size_t end = ranges.bounds[c + 1];
    while (at < end) {
      const std::size_t row_before = row;
      const std::size_t limit = std::min(end, at + block_bytes);
      const char* stop = static_cast<const char*>(memrchr(text + at, term, limit - at));
      if (!stop && limit < end) stop = static_cast<const char*>(std::memchr(text + limit, term, end - limit));
      std::size_t upto;
      bool parsed;
      if (stop) {
        upto = static_cast<std::size_t>(stop - text) + 1;
        parsed = parser.parse(text + at, text + upto, row, first_row[c + 1]);
        ranges.release(at, upto);
      } else {  // the file's last record, without a line end: a copy given one
        std::string last(text + at, text + end);
        last.push_back(term);
        upto = end;
        parsed = parser.parse(last.data(), last.data() + last.size(), row, first_row[c + 1]);
      }
      if (!parsed || !ranges.eligible.load(std::memory_order_relaxed)) {
        ranges.eligible = false;
        return;
      }
      ranges.advance(upto - at, row - row_before, reporting, progress);
      at = upto;
    }
    if (row != first_row[c + 1] || parser.quotes() != ranges.quotes[c]) ranges.eligible = false;
  };
  ranges.on_threads(parse_range);
  if (!ranges.eligible) return false;

  // The ranges' dictionaries in file order give the global first-appearance order.
  std::vector<text_dictionary> global(d);
  text_dictionary labels;
  for (std::size_t c = 0; c < R; ++c) {
    typed_range_parser& parser = *parsers[c];
    std::vector<std::uint32_t> label_map;
    for (const std::string& l : parser.labels().texts) label_map.push_back(labels.id(l));
    if (labels.texts.size() > (std::size_t{1} << 16)) return false;
    for (std::size_t i = first_row[c]; i < first_row[c + 1]; ++i)
      if (out.label_index[i] != missing_cell_id) out.label_index[i] = label_map[out.label_index[i]];
    for (std::size_t j = 0; j < d; ++j) {
      if (!rules.categorical[j]) continue;
      std::vector<std::uint32_t> map;
      for (const std::string& t : parser.dictionaries()[j].texts) map.push_back(global[j].id(t));
      std::uint32_t* ids = out.ids[j].data();
      for (std::size_t i = first_row[c]; i < first_row[c + 1]; ++i)
        if (ids[i] != missing_cell_id) ids[i] = map[ids[i]];
    }
  }
  // A label or a level that cannot be one (not UTF-8, a NUL, too long): the sequential reader
  // reports it with its place.
  for (const std::string& l : labels.texts)
    if (!label_text_problem(l).empty()) return false;
  for (std::size_t j = 0; j < d; ++j)
    for (const std::string& t : global[j].texts)
      if (!level_text_problem(t).empty()) return false;
  for (std::size_t j = 0; j < d; ++j) out.texts[j] = std::move(global[j].texts);
  out.labels = std::move(labels.texts);
  if (progress.on_load) progress.on_load(file_size, file_size, n);
  return true;
}

}  // namespace logreg::detail
