// The fast path for numeric files (load_parallel): each thread parses its byte ranges straight into
// their columns of the final matrix.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fast_float/fast_float.h>
#include <unordered_map>

#include "io/number_parser.hpp"
#include "io/parallel_csv_loader.hpp"
#include "io/record_ranges.hpp"
#include "io/record_scan.hpp"
#include "io/decimal_conversion.hpp"
#include "io/simd_number.hpp"
#include "io/text_dictionary.hpp"

namespace logreg::detail {

namespace {

struct range_result {
  std::size_t rows = 0;              // records counted in pass 1
  std::vector<std::string> labels;   // first-appearance order within the range
  std::vector<std::string> folds;    // the fold column's values, likewise
  bool ok = true;
};

// Parses the records of one byte range (whole records only) into columns [first_row, ...).
class range_parser {
 public:
  range_parser(const column_roles& roles, char delim, char terminator, double* X, std::uint32_t* label_index,
               double* weights, std::uint32_t* fold_index, std::size_t d)
      : roles_(roles), delim_(delim), term_(terminator), X_(X), label_index_(label_index), weights_(weights),
        fold_index_(fold_index), d_(d) {
    role_ = column_role_table(roles);
    expect_.assign(roles.n_columns, delim_);
    expect_.back() = term_;
  }

  // Parses complete records in [p, end); returns false on anything the fast path does not take.
  bool parse_records(const char* p, const char* end, std::size_t& row, std::size_t row_limit, range_result& res) {
    while (p < end) {
      if (const std::size_t blank = blank_line_at(p, end, term_)) {  // skipped, as the sequential reader skips it
        p += blank;
        continue;
      }
      if (row >= row_limit) return false;
      double* x = X_ + row * d_;
      for (std::size_t k = 0; k < roles_.n_columns; ++k) {
        const bool last = k + 1 == roles_.n_columns;
        const char expected = last ? term_ : delim_;
        const long role = role_[k];
        if (role >= 0) {
          double v;
          const char* ptr = parse_decimal_padded(p, v);  // records end with a line end; 8 bytes of padding
          if (!ptr) {
            auto r = fast_float::from_chars(p, end, v);
            ptr = (r.ec == std::errc() && std::isfinite(v)) ? r.ptr : nullptr;
          }
          if (ptr && ptr < end && (*ptr == expected || (last && *ptr == '\r' && term_ == '\n'))) {
            x[role] = v;
            p = ptr;
          } else {  // blanks, a leading '+', quotes, or not a number: classify the whole cell
            const char* f = cell_end(p, end, delim_, term_);
            const char* stop = (last && f > p && f[-1] == '\r' && term_ == '\n') ? f - 1 : f;
            std::string_view cell(p, static_cast<std::size_t>(stop - p));
            if (!unquote_cell(cell, scratch_, quotes_) || parse_number(cell, v) != cell_kind::number) return false;
            x[role] = v;
            p = stop;
          }
        } else {
          const char* f = cell_end(p, end, delim_, term_);
          const char* stop = (last && f > p && f[-1] == '\r' && term_ == '\n') ? f - 1 : f;
          std::string_view cell(p, static_cast<std::size_t>(stop - p));
          if (!unquote_cell(cell, scratch_, quotes_) || (role != -1 && !other_cell(role, cell, row, res))) return false;
          p = stop;
        }
        // p is at the delimiter (or the line end for the last field).
        if (last) {
          if (p < end && *p == '\r' && term_ == '\n') ++p;
          if (p >= end || *p != term_) return false;  // too many fields, or a stray character
          ++p;
        } else {
          if (p >= end || *p != delim_) return false;  // too few fields
          ++p;
        }
      }
      ++row;
    }
    return true;
  }

#ifdef LOGREG_SIMD_CSV
  // parse_records with separators found 64 bytes at a time and each cell converted by simd_number
  // (parse_number when the cell has another form). Same results, same refusals. [p, end) holds
  // complete records; 64 bytes past `end` are readable. `quoted`: the range has quote characters,
  // and separators inside quoted fields are not separators.
  __attribute__((target("sse4.1,popcnt"))) bool parse_records_simd(const char* p, const char* end, std::size_t& row,
                                                            std::size_t row_limit, range_result& res, bool quoted) {
    if (row >= row_limit) return only_line_ends(p, end);
    const std::size_t columns = roles_.n_columns;
    const bool crlf = term_ == '\n';
    const char* const expect = expect_.data();
    const long* const roles = role_.data();
    std::size_t k = 0;
    double* x = X_ + row * d_;
    const char* start = p;
    std::uint64_t in_quotes = 0;  // (p starts a record: outside quotes)
    for (const char* base = p; base < end; base += 64) {
      std::uint64_t m = match_mask(base, delim_, term_);
      if (quoted) m &= ~inside_quotes(match_mask(base, '"', '"'), in_quotes);
      const std::size_t left = static_cast<std::size_t>(end - base);
      if (left < 64) m &= (std::uint64_t{1} << left) - 1;
      for (; m != 0; m &= m - 1) {
        const char* sep = base + __builtin_ctzll(m);
        if (*sep != expect[k]) {
          // A blank line (nothing before its line end, or a CR): skipped, as the sequential reader does.
          if (k == 0 && *sep == term_ && (sep == start || (crlf && sep == start + 1 && *start == '\r'))) {
            start = sep + 1;
            continue;
          }
          return false;  // too few or too many fields
        }
        if (k + 1 < columns) {
          if (!cell_simd(roles[k], start, static_cast<std::size_t>(sep - start), x, row, res)) return false;
          ++k;
        } else {  // the record's last cell; a CR before the LF is not part of it
          const char* cell_end = (crlf && sep > start && sep[-1] == '\r') ? sep - 1 : sep;
          if (!cell_simd(roles[k], start, static_cast<std::size_t>(cell_end - start), x, row, res)) return false;
          k = 0;
          x += d_;
          if (++row == row_limit) return only_line_ends(sep + 1, end);  // the range's last record (and blank lines)
        }
        start = sep + 1;
      }
    }
    return k == 0 && start == end;
  }

  // One cell of role `role` (a feature index, or -1, -2, -3) of the record at x.
  __attribute__((target("sse4.1,popcnt"), always_inline)) bool cell_simd(long role, const char* p, std::size_t len, double* x,
                                                                  std::size_t row, range_result& res) {
    if (len != 0 && *p == '"') {  // a quoted cell: its text, in place (read on as any cell) or in scratch_
      // Most are short with no quote inside: one 16-byte compare (64 bytes past a block are readable).
      const unsigned inner = len >= 2 && len <= 16 ? ((1u << (len - 1)) - 1) & ~1u : 0;  // bytes 1 .. len - 2
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      if (inner != 0 && p[len - 1] == '"' &&
          (static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')))) & inner) == 0) {
        quotes_ += 2;
        ++p;
        len -= 2;
      } else {
        std::string_view cell(p, len);
        if (!unquote_cell(cell, scratch_, quotes_)) return false;
        if (cell.data() == scratch_.data()) return quoted_cell(role, cell, x, row, res);
        p = cell.data();
        len = cell.size();
      }
    }
    if (role >= 0) {
      double v;
      if (!simd_number(p, len, v) && parse_number(std::string_view(p, len), v) != cell_kind::number) return false;
      x[role] = v;
      return true;
    }
    return role == -1 || other_cell(role, std::string_view(p, len), row, res);
  }
#endif

  // The quote characters of the quoted cells read so far (see unquote_cell).
  std::size_t quotes() const { return quotes_; }

 private:
  // A quoted cell with doubled quotes, its text in scratch_ (cell_simd's rare case: simd_number
  // reads past a cell's end, which scratch_ does not allow).
  bool quoted_cell(long role, std::string_view cell, double* x, std::size_t row, range_result& res) {
    if (role >= 0) return parse_number(cell, x[role]) == cell_kind::number;
    return role == -1 || other_cell(role, cell, row, res);
  }

  // A cell that is not a feature: the label (role -2), the sample weight (role -3) or the fold (-4).
  bool other_cell(long role, std::string_view cell, std::size_t row, range_result& res) {
    if (role == -2) {
      if (cell.empty()) return false;
      label_index_[row] = text_id(cell, res.labels, ids_);
      return label_index_[row] != UINT32_MAX;
    }
    if (role == -4) {
      if (cell.empty()) return false;
      fold_index_[row] = text_id(cell, res.folds, fold_ids_);
      return fold_index_[row] != UINT32_MAX;
    }
    double w;
    if (parse_number(cell, w) != cell_kind::number || w < 0) return false;
    weights_[row] = w;
    return true;
  }

  // The id of a label (or fold), in first-appearance order. The first few are found by a linear
  // scan (a classification target has few classes, and hashing a string per row costs more).
  static std::uint32_t text_id(std::string_view text, std::vector<std::string>& seen,
                               std::unordered_map<std::string, std::uint32_t>& ids) {
    for (std::size_t i = 0; i < seen.size() && i < 8; ++i)
      if (seen[i] == text) return static_cast<std::uint32_t>(i);
    auto it = ids.find(std::string(text));
    if (it == ids.end()) {
      if (seen.size() >= (1u << 16)) return UINT32_MAX;
      it = ids.emplace(std::string(text), static_cast<std::uint32_t>(seen.size())).first;
      seen.emplace_back(text);
    }
    return it->second;
  }


  const column_roles& roles_;
  char delim_, term_;
  double* X_;
  std::uint32_t* label_index_;
  double* weights_;
  std::uint32_t* fold_index_;
  std::size_t d_;
  std::vector<long> role_;  // feature index, -1 ignored, -2 target, -3 weight, -4 fold
  std::vector<char> expect_;  // the character after each column's cell: the delimiter, or the line end
  std::unordered_map<std::string, std::uint32_t> ids_, fold_ids_;
  std::string scratch_;  // a quoted cell's text, when it has doubled quotes
  std::size_t quotes_ = 0;
};

}  // namespace

bool load_parallel(const std::string& path, std::size_t data_start, std::size_t file_size, const column_roles& roles,
                   char delimiter, int threads, labelled_data& out, const progress_callbacks& progress,
                   double* into, std::size_t into_rows) {
  record_ranges ranges;
  if (!ranges.open(path, data_start, file_size, threads)) return false;
  const std::size_t d = roles.features.size();
  const char term = ranges.term;
  const char* const text = ranges.text;
  const std::size_t R = ranges.R;
  const std::vector<std::size_t>& bounds = ranges.bounds;
  std::atomic<bool>& eligible = ranges.eligible;
  const std::vector<std::size_t>& first_row = ranges.first_row;
  const std::size_t n = first_row[R];
  std::vector<range_result> results(R);

  // The matrix: a new one, or the caller's columns (`into`, room for into_rows rows).
  if (into && n > into_rows) return false;
  arma::mat X = into ? arma::mat(into, d, n, false, true) : arma::mat(d, n, arma::fill::none);
  buffer<std::uint32_t> label_index(n);
  arma::vec weights(roles.weight == SIZE_MAX ? 0 : n);
  buffer<std::uint32_t> fold_index(roles.fold == SIZE_MAX ? 0 : n);

  // Pass 2 (parallel): parse each range into its columns, in blocks of whole records (progress is
  // reported per block). The parsers read up to 64 bytes past a block's end, so records that end
  // within 64 bytes of the end of the file are parsed from a padded copy.
  const std::size_t in_place_end = file_size > 64 ? file_size - 64 : 0;
  auto parse_range = [&](std::size_t c, bool reporting) {
    range_result& res = results[c];
    range_parser parser(roles, delimiter, term, X.memptr(), label_index.data(), weights.memptr(), fold_index.data(), d);
    std::size_t row = first_row[c], at = bounds[c];
    const std::size_t end = bounds[c + 1];
    // Rows per byte of this range, to map the matrix's pages a block ahead of the parser.
    const double rows_per_byte = end > at ? static_cast<double>(first_row[c + 1] - row) / static_cast<double>(end - at) : 0;
    std::size_t populated = row;  // rows whose pages are mapped
    auto parse = [&](const char* p, const char* q) {
#ifdef LOGREG_SIMD_CSV
      if (ranges.simd) return parser.parse_records_simd(p, q, row, first_row[c + 1], res, ranges.quotes[c] != 0);
#endif
      return parser.parse_records(p, q, row, first_row[c + 1], res);
    };
    while (at < end) {
      const std::size_t row_before = row;
      const std::size_t limit = std::min({end, in_place_end, at + block_bytes});
      const char* stop = nullptr;  // just after the last line end in [at, limit)
      if (populated < first_row[c + 1]) {
        const std::size_t ahead = std::min(first_row[c + 1], row + 64 + static_cast<std::size_t>(rows_per_byte * block_bytes));
        if (ahead > populated) {
          populate_for_writing(X.colptr(populated), (ahead - populated) * d * sizeof(double));
          populated = ahead;
        }
      }
      if (limit > at) {
        stop = static_cast<const char*>(memrchr(text + at, term, limit - at));
        if (!stop && limit == at + block_bytes)  // a record longer than a block
          stop = static_cast<const char*>(std::memchr(text + limit, term, std::min(end, in_place_end) - limit));
      }
      std::size_t upto;
      bool parsed;
      if (stop) {
        upto = static_cast<std::size_t>(stop - text) + 1;
        parsed = parse(text + at, text + upto);
        ranges.release(at, upto);
      } else {  // the tail of the file: a padded copy, the last record given its line end
        std::vector<char> tail(text + at, text + end);
        if (tail.back() != term) tail.push_back(term);
        const std::size_t records = tail.size();
        tail.resize(records + 64);
        upto = end;
        parsed = parse(tail.data(), tail.data() + records);
      }
      if (!parsed || !eligible.load(std::memory_order_relaxed)) {
        res.ok = false;
        eligible = false;
        return;
      }
      ranges.advance(upto - at, row - row_before, reporting, progress);
      at = upto;
    }
    if (row != first_row[c + 1] || parser.quotes() != ranges.quotes[c]) res.ok = false;
  };
  ranges.on_threads(parse_range);
  if (!eligible) return false;
  for (const range_result& r : results)
    if (!r.ok) return false;

  // Labels: ranges in file order give the global first-appearance order.
  text_dictionary labels;
  for (std::size_t c = 0; c < R; ++c) {
    std::vector<std::uint32_t> remap;
    for (const std::string& l : results[c].labels) remap.push_back(labels.id(l));
    for (std::size_t i = first_row[c]; i < first_row[c + 1]; ++i) label_index[i] = remap[label_index[i]];
  }
  if (labels.texts.size() > (1u << 16)) return false;
  text_dictionary folds;  // the same for the fold column's values
  if (roles.fold != SIZE_MAX)
    for (std::size_t c = 0; c < R; ++c) {
      std::vector<std::uint32_t> remap;
      for (const std::string& f : results[c].folds) remap.push_back(folds.id(f));
      for (std::size_t i = first_row[c]; i < first_row[c + 1]; ++i) fold_index[i] = remap[fold_index[i]];
    }
  if (folds.texts.size() > (1u << 16)) return false;
  if (into) out.X.set_size(d, 0);  // the rows are in the caller's matrix
  else out.X = std::move(X);
  out.labels = std::move(labels.texts);
  out.label_index = std::move(label_index);
  out.weights = std::move(weights);
  if (roles.fold != SIZE_MAX) {
    out.fold_labels = std::move(folds.texts);
    out.fold_index = std::move(fold_index);
  }
  out.bytes = file_size;
  if (progress.on_load) progress.on_load(file_size, file_size, n);
  return true;
}

}  // namespace logreg::detail
