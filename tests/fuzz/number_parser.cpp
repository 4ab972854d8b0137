// Fuzz target: parsing one cell as a number (io/number_parser.hpp), against glibc's strtod.
//
// The input is the cell. The oracle (docs/fuzzing.md) says what parse_number must return:
//   1. Blanks (space, tab) at either end are not part of the cell; nothing left: empty.
//   2. One leading '+' is dropped when something other than a sign follows it.
//   3. [-](digits[.[digits]] | .digits)[(e|E)[+|-]digits]: a number whose double is strtod's
//      (glibc rounds correctly, as fast_float does), bit for bit, -0 included; strtod's overflow
//      (HUGE_VAL) is non_finite, its underflow (a subnormal or 0) a number.
//   4. [-](inf | infinity | nan | nan(letters, digits, _)), any case: non_finite.
//   5. NA, N/A, null, None, ?, . (any case): missing_marker.
//   6. Anything else is text, although strtod reads some of it: hexadecimal ("0x1p3"), other
//      leading white space (\n \v \f \r), a number followed by more text ("1e", "1.5x").
// The exact fast paths must agree with strtod wherever they take a text: parse_simple_decimal (both
// forms), the CSV fast path's padded scanner parse_decimal_padded (decimal_conversion.hpp) and, on
// a CPU with SSE4.1 and POPCNT, the SIMD converters simd_decimal, simd_number_short and
// simd_number_general (simd_number.hpp), which take a whole cell or decline. A number's
// format_double must read back as the same double.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "io/number_parser.hpp"
#include "io/decimal_conversion.hpp"
#include "io/simd_number.hpp"

namespace {

using logreg::cell_kind;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Whether all of s is a number of rule 3 (without the exponent part when `exponent` is false).
bool is_decimal(std::string_view s, bool exponent) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (exponent && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t e = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++e;
    if (e == 0) return false;
  }
  return i == s.size();
}

bool is_non_finite(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (iequals(s, "inf") || iequals(s, "infinity") || iequals(s, "nan")) return true;
  if (s.size() < 5 || !iequals(s.substr(0, 4), "nan(") || s.back() != ')') return false;
  for (char c : s.substr(4, s.size() - 5))
    if (!(is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z') || c == '_')) return false;
  return true;
}

double strtod_of(std::string_view s) {
  const std::string text(s);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  fuzz::check(end == text.c_str() + text.size(), "strtod did not read all of \"" + fuzz::printable(s) + "\"");
  return v;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::string bits(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g (%a)", x, x);
  return buf;
}

const char* kind_name(cell_kind k) {
  switch (k) {
    case cell_kind::number: return "number";
    case cell_kind::empty: return "empty";
    case cell_kind::missing_marker: return "missing_marker";
    case cell_kind::non_finite: return "non_finite";
    case cell_kind::text: return "text";
  }
  return "?";
}

// What parse_number must say about `cell`, and the value of a number.
cell_kind expected_kind(std::string_view cell, double& value) {
  std::string_view t = cell;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.empty()) return cell_kind::empty;
  std::string_view s = t;
  if (s.size() > 1 && s[0] == '+' && s[1] != '+' && s[1] != '-') s.remove_prefix(1);
  if (is_decimal(s, true)) {
    value = strtod_of(s);
    return std::isinf(value) ? cell_kind::non_finite : cell_kind::number;
  }
  if (is_non_finite(s)) return cell_kind::non_finite;
  for (std::string_view na : {"NA", "N/A", "null", "None", "?", "."})
    if (iequals(t, na)) return cell_kind::missing_marker;
  return cell_kind::text;
}

// A fast path's answer for the text [p, end): it took `taken` (nullptr: declined) with value v; a
// text it takes has the form of rule 3, `exponent` says whether with an exponent part.
void check_fast_path(const char* name, const char* p, const char* taken, double v, std::string_view cell,
                     bool exponent) {
  if (!taken) return;
  const std::string_view text(p, static_cast<std::size_t>(taken - p));
  fuzz::check(is_decimal(text, exponent), std::string(name) + " took \"" + fuzz::printable(text) +
                                              "\", not a decimal of its form, from \"" + fuzz::printable(cell) + "\"");
  const double want = strtod_of(text);
  fuzz::check(!std::isinf(want), std::string(name) + " took \"" + fuzz::printable(text) + "\", which overflows");
  fuzz::check(same_bits(v, want), std::string(name) + "(\"" + fuzz::printable(text) + "\") = " + bits(v) +
                                      ", strtod: " + bits(want));
}

#ifdef LOGREG_SIMD_CSV
// The SIMD converters on the cell at p (padded): compiled for SSE4.1 and POPCNT, as their callers are.
__attribute__((target("sse4.1,popcnt"))) void check_simd(const char* p, std::string_view cell) {
  const char* end = p + cell.size();
  double s = 0;
  if (logreg::detail::simd_decimal(p, cell.size(), s)) check_fast_path("simd_decimal", p, end, s, cell, false);
  if (logreg::detail::simd_number_short(p, cell.size(), s)) check_fast_path("simd_number_short", p, end, s, cell, true);
  if (logreg::detail::simd_number_general(p, cell.size(), s))
    check_fast_path("simd_number_general", p, end, s, cell, true);
  if (logreg::detail::simd_number(p, cell.size(), s)) check_fast_path("simd_number", p, end, s, cell, true);
}
#endif

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view cell(reinterpret_cast<const char*>(data), size);
  double got = 0, want = 0;
  const cell_kind kind = logreg::parse_number(cell, got);
  const cell_kind expected = expected_kind(cell, want);
  fuzz::check(kind == expected, std::string("parse_number(\"") + fuzz::printable(cell) + "\") is " + kind_name(kind) +
                                    ", expected " + kind_name(expected));
  if (kind == cell_kind::number) {
    fuzz::check(same_bits(got, want), "parse_number(\"" + fuzz::printable(cell) + "\") = " + bits(got) +
                                          ", strtod: " + bits(want));
    const std::string text = logreg::format_double(got);
    double back = 0;
    fuzz::check(logreg::parse_number(text, back) == cell_kind::number && same_bits(back, got),
                "format_double(" + bits(got) + ") = \"" + text + "\" does not read back");
  }
  if (kind != cell_kind::number && kind != cell_kind::non_finite)
    fuzz::check(!logreg::non_number_message(kind, cell).empty(), "no message");

  // The exact fast paths. The padded scanners may read 8 (parse_decimal_padded) or 48 (the SIMD
  // converters) bytes past the cell: it is followed by a line end and padding, as the fast CSV
  // path's blocks are (a cell cut at 64 bytes for them: they decline longer ones anyway).
  std::vector<char> buf(cell.begin(), cell.end());
  buf.push_back('\n');
  buf.resize(buf.size() + 64, '7');
  const char* p = buf.data();
  const char* end = p + cell.size();
  double a = 0, c = 0, g = 0;
  const char* ta = logreg::parse_simple_decimal(p, end, a);
  check_fast_path("parse_simple_decimal", p, ta, a, cell, false);
  // The sentinel form (the caller promises a non-digit before the end of the buffer: the line end).
  const char* tc = logreg::parse_simple_decimal<true>(p, end, c);
  fuzz::check(tc == ta && (!ta || same_bits(a, c)), "parse_simple_decimal<true> differs on \"" + fuzz::printable(cell) + "\"");
  const char* tg = logreg::detail::parse_decimal_padded(p, g);
  check_fast_path("parse_decimal_padded", p, tg, g, cell, true);
  // Where both take the same text they give the same double.
  fuzz::check(!ta || ta != tg || same_bits(a, g), "parse_simple_decimal and parse_decimal_padded differ on \"" +
                                                     fuzz::printable(cell) + "\"");
#ifdef LOGREG_SIMD_CSV
  static const bool simd = __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("popcnt");
  if (simd && cell.size() <= 32) check_simd(p, cell);
#endif
  return 0;
}
