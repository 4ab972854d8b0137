#include "io/number_parser.hpp"

#include <fast_float/fast_float.h>

#include <charconv>
#include <cmath>

#include "base/text.hpp"

namespace logreg {

namespace {
bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}
}  // namespace

cell_kind parse_number(std::string_view cell, double& value) {
  const char* first = cell.data();
  const char* last = first + cell.size();
  while (first < last && is_blank(*first)) ++first;
  while (last > first && is_blank(last[-1])) --last;
  if (first == last) return cell_kind::empty;
  const char* start = first;
  if (*start == '+' && last - start > 1 && start[1] != '-' && start[1] != '+') ++start;
  if (parse_simple_decimal(start, last, value) == last) return cell_kind::number;
  auto [ptr, ec] = fast_float::from_chars(start, last, value);
  if (ec == std::errc() && ptr == last) {
    if (!std::isfinite(value)) return cell_kind::non_finite;
    return cell_kind::number;
  }
  if (ec == std::errc::result_out_of_range && ptr == last) return cell_kind::non_finite;
  const std::string_view t(first, static_cast<std::size_t>(last - first));
  for (std::string_view na : {"NA", "N/A", "null", "None", "?", "."})
    if (iequals(t, na)) return cell_kind::missing_marker;
  return cell_kind::text;
}

std::string format_double(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string non_number_message(cell_kind kind, std::string_view cell) {
  const std::string quoted = quoted_text(cell);
  switch (kind) {
    case cell_kind::empty:
      return "expected a number, found an empty cell";
    case cell_kind::missing_marker:
      return "expected a number, found " + quoted;
    case cell_kind::non_finite:
      return "expected a finite number, found " + quoted;
    case cell_kind::text:
      return "expected a number, found " + quoted;
    case cell_kind::number:
      break;
  }
  return "expected a number";
}

}  // namespace logreg
