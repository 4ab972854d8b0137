// Parsing one CSV cell as a double: fast_float, optional surrounding blanks and leading '+'.
#pragma once
#include <string>
#include <string_view>

namespace logreg {

enum class cell_kind { number, empty, missing_marker, non_finite, text };

// On success returns cell_kind::number and sets value. Otherwise says what the cell is instead.
cell_kind parse_number(std::string_view cell, double& value);

// "expected a number, found ..." for a cell that is not a number (kind != number).
std::string non_number_message(cell_kind kind, std::string_view cell);

// The common case, inline: [-]digits[.digits] with at most 19 digits and no exponent. Returns the
// end of the number, or nullptr when the text has another form (then use fast_float). Exact: the
// digits form an integer m < 2^53 and the value is m / 10^k with k <= 22, one correctly rounded
// IEEE division of two exact doubles (Clinger's fast path), so the result is the same double
// fast_float gives. The text must be followed by a non-digit before `end` or end at `end`; with
// `sentinel` true the caller promises a non-digit byte before the end of its buffer, which lets the
// digit loops run without bounds checks.
namespace detail {
// 10^k and -10^k, k = 0..22. Dividing by -10^k negates the correctly rounded quotient exactly (and
// gives -0.0 for "-0"), so the sign costs no branch: signs of real data are unpredictable.
inline constexpr double signed_pow10[2][23] = {
    {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
     1e20, 1e21, 1e22},
    {-1e0, -1e1, -1e2, -1e3, -1e4, -1e5, -1e6, -1e7, -1e8, -1e9, -1e10, -1e11, -1e12, -1e13, -1e14, -1e15, -1e16,
     -1e17, -1e18, -1e19, -1e20, -1e21, -1e22}};
}  // namespace detail

template <bool sentinel = false>
inline const char* parse_simple_decimal(const char* p, const char* end, double& out) {
  auto more = [&](const char* q) { return (sentinel || q < end) && static_cast<unsigned char>(*q - '0') < 10; };
  const bool negative = (sentinel || p < end) && *p == '-';
  if (negative) ++p;
  unsigned long long m = 0;
  const char* first = p;
  while (more(p)) m = m * 10 + static_cast<unsigned>(*p++ - '0');
  long digits = p - first, fraction = 0;
  if ((sentinel || p < end) && *p == '.') {
    const char* f = ++p;
    while (more(p)) m = m * 10 + static_cast<unsigned>(*p++ - '0');
    fraction = p - f;
    digits += fraction;
  }
  if (digits == 0 || digits > 19 || m > (1ULL << 53) || fraction > 22) return nullptr;
  if ((sentinel || p < end) && (*p == 'e' || *p == 'E')) return nullptr;
  out = static_cast<double>(m) / detail::signed_pow10[negative][fraction];
  return p;
}

// Eight digits at a time (SWAR), for buffers that can be read 8 bytes past any digit: the portable
// scanner of the parallel loader (parse_decimal_padded, decimal_conversion.hpp).
namespace swar {
// Leading ASCII digits of 8 bytes loaded little-endian (first character in the lowest byte): 0-8.
inline int leading_digits(unsigned long long x) {
  constexpr unsigned long long high = 0xF0F0F0F0F0F0F0F0ULL, zeros = 0x3030303030303030ULL;
  const unsigned long long bad = ((x & high) ^ zeros) | (((x + 0x0606060606060606ULL) & high) ^ zeros);
  return bad == 0 ? 8 : __builtin_ctzll(bad) / 8;
}

// The value of the first k digits (k in 1..8) of x, by three multiplications (as fast_float does
// for eight digits): shifting the k digits to the top puts zero digits in front of them.
inline unsigned long long digits_value(unsigned long long x, int k) {
  x = (x & 0x0F0F0F0F0F0F0F0FULL) << (8 * (8 - k));
  x = (x * 2561) >> 8;
  x = ((x & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
  return ((x & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
}

inline unsigned long long load8(const char* p) {
  unsigned long long x;
  __builtin_memcpy(&x, p, 8);
  return x;
}
}  // namespace swar

// Shortest text that reads back as exactly the same double (std::to_chars; locale-independent).
std::string format_double(double x);

}  // namespace logreg
