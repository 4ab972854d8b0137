#include "data/row_encoder.hpp"

#include <algorithm>

#include "logreg/error.hpp"
#include "io/number_parser.hpp"
#include "base/text.hpp"

namespace logreg {

std::string to_string(missing_mode m) {
  switch (m) {
    case missing_mode::error: return "error";
    case missing_mode::drop: return "drop";
    case missing_mode::impute: return "impute";
  }
  return "error";
}

std::string to_string(unknown_mode u) { return u == unknown_mode::error ? "error" : "zero"; }

missing_mode parse_missing(const std::string& text) {
  if (text == "error") return missing_mode::error;
  if (text == "drop") return missing_mode::drop;
  if (text == "impute") return missing_mode::impute;
  throw usage_error("--missing: expected error, drop or impute, got '" + text + "'");
}

unknown_mode parse_unknown(const std::string& text) {
  if (text == "error") return unknown_mode::error;
  if (text == "zero") return unknown_mode::zero;
  throw usage_error("--unknown: expected error or zero, got '" + text + "'");
}

std::vector<std::string> default_na_values() { return {"NA", "NaN", "?", "null"}; }

std::size_t input_column::n_terms() const {
  if (!categorical) return 1;
  return levels.size() - (drop_first && !levels.empty() ? 1 : 0) + (missing_level ? 1 : 0);
}

bool feature_encoding::plain() const {
  return std::none_of(columns.begin(), columns.end(), [](const input_column& c) { return c.categorical || c.has_impute; });
}

std::size_t feature_encoding::n_terms() const {
  std::size_t n = 0;
  for (const input_column& c : columns) n += c.n_terms();
  return n;
}

std::vector<std::size_t> feature_encoding::term_offsets() const {
  std::vector<std::size_t> at{0};
  for (const input_column& c : columns) at.push_back(at.back() + c.n_terms());
  return at;
}

std::vector<std::string> feature_encoding::term_names() const {
  std::vector<std::string> names;
  for (const input_column& c : columns) {
    if (!c.categorical) {
      names.push_back(c.name);
      continue;
    }
    for (std::size_t l = c.drop_first ? 1 : 0; l < c.levels.size(); ++l) names.push_back(c.name + "=" + c.levels[l]);
    if (c.missing_level) names.push_back(c.name + "=" + missing_level_name);
  }
  return names;
}

void sort_levels(std::vector<std::string>& levels, bool& numeric) {
  std::vector<std::pair<double, std::string>> keyed;
  numeric = !levels.empty();
  for (const std::string& l : levels) {
    double v = 0;
    numeric = numeric && parse_number(l, v) == cell_kind::number;
    keyed.push_back({v, l});
  }
  if (numeric)
    std::sort(keyed.begin(), keyed.end());
  else
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  for (std::size_t i = 0; i < levels.size(); ++i) levels[i] = std::move(keyed[i].second);
}

void encode_counts::add(const encode_counts& other) {
  if (unknown.size() < other.unknown.size()) unknown.resize(other.unknown.size());
  if (imputed.size() < other.imputed.size()) imputed.resize(other.imputed.size());
  for (std::size_t c = 0; c < other.unknown.size(); ++c) unknown[c] += other.unknown[c];
  for (std::size_t c = 0; c < other.imputed.size(); ++c) imputed[c] += other.imputed[c];
}

std::size_t encode_counts::total_unknown() const {
  std::size_t n = 0;
  for (std::size_t u : unknown) n += u;
  return n;
}

std::size_t encode_counts::total_imputed() const {
  std::size_t n = 0;
  for (std::size_t u : imputed) n += u;
  return n;
}

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view cell) { return quoted_text(cell); }  // printable, shortened
}  // namespace

row_encoder::row_encoder(const feature_encoding& encoding, unknown_mode unknown)
    : enc_(encoding), unknown_(unknown), n_terms_(encoding.n_terms()), offset_(encoding.term_offsets()),
      level_term_(encoding.columns.size()), level_value_(encoding.columns.size()), na_(encoding.na_values) {
  for (const std::string& na : na_) {
    double v;
    if (parse_number(na, v) == cell_kind::number) na_numeric_ = true;  // e.g. -999: test it before parsing
  }
  for (std::size_t c = 0; c < enc_.columns.size(); ++c) {
    const input_column& col = enc_.columns[c];
    if (!col.categorical) continue;
    for (std::size_t l = 0; l < col.levels.size(); ++l) {
      const std::size_t term = col.drop_first ? (l == 0 ? SIZE_MAX : offset_[c] + l - 1) : offset_[c] + l;
      level_term_[c].emplace(col.levels[l], term);
      double v;
      if (col.numeric_levels && parse_number(col.levels[l], v) == cell_kind::number) level_value_[c].push_back({v, term});
    }
  }
}

std::string row_encoder::missing_message(std::string_view cell) const {
  return "missing value (" + (trim(cell).empty() ? std::string("an empty cell") : quoted(cell)) +
         "); the model has no value to fill in: it was trained with --missing " + to_string(enc_.missing) +
         " (--missing impute stores one)";
}

bool row_encoder::is_missing(std::string_view cell) const {
  cell = trim(cell);
  if (cell.empty()) return true;
  for (const std::string& na : na_)
    if (cell == na) return true;
  return false;
}

encode_counts row_encoder::make_counts() const {
  encode_counts c;
  c.unknown.assign(enc_.columns.size(), 0);
  c.imputed.assign(enc_.columns.size(), 0);
  return c;
}

bool row_encoder::encode(const std::string_view* cells, double* x, encode_counts& counts, encode_problem& problem) const {
  const std::size_t C = enc_.columns.size();
  for (std::size_t c = 0; c < C; ++c) {
    const input_column& col = enc_.columns[c];
    const std::string_view cell = cells[c];
    double* out = x + offset_[c];
    if (!col.categorical) {
      const char* last = cell.data() + cell.size();
      if (!na_numeric_ && !cell.empty() && parse_simple_decimal(cell.data(), last, *out) == last) continue;
      if (is_missing(cell)) {
        if (col.has_impute) {
          *out = col.impute;
          ++counts.imputed[c];
          continue;
        }
        problem = {c, missing_message(cell)};
        return false;
      }
      const cell_kind kind = parse_number(cell, *out);
      if (kind == cell_kind::number) continue;
      problem = {c, kind == cell_kind::non_finite ? "expected a finite number, found " + quoted(cell)
                                                  : "expected a number, found " + quoted(cell) +
                                                        " (the column was numeric in training)"};
      return false;
    }
    const std::size_t n = col.n_terms();
    for (std::size_t t = 0; t < n; ++t) out[t] = 0;
    if (is_missing(cell)) {
      if (col.missing_level) {
        out[n - 1] = 1;
        ++counts.imputed[c];
        continue;
      }
      if (enc_.missing == missing_mode::impute) {  // no missing cells in training: no indicator to set
        ++counts.imputed[c];
        continue;
      }
      problem = {c, missing_message(cell)};
      return false;
    }
    std::size_t term = SIZE_MAX;
    bool found = false;
    const auto it = level_term_[c].find(std::string(cell));
    if (it != level_term_[c].end()) {
      term = it->second;
      found = true;
    } else if (col.numeric_levels) {
      double v;
      if (parse_number(cell, v) == cell_kind::number)
        for (const auto& [value, t] : level_value_[c])
          if (value == v) {
            term = t;
            found = true;
            break;
          }
    }
    if (!found) {
      if (unknown_ == unknown_mode::error) {
        problem = {c, "the level " + quoted(cell) + " was not seen in training (the model knows " +
                          std::to_string(col.levels.size()) + " levels of this column); --unknown zero sets its indicators to 0"};
        return false;
      }
      ++counts.unknown[c];
      continue;
    }
    if (term != SIZE_MAX) x[term] = 1;
  }
  return true;
}

}  // namespace logreg
