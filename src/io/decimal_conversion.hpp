// Decimal numbers as pandas, numpy and R write them, to doubles, for the parallel loader's record
// parsers: decimal_to_double turns a mantissa of at most 19 significant digits and a power of ten
// into the correctly rounded double, the double fast_float::from_chars gives for the same text, bit
// for bit; parse_decimal_padded is the portable scanner that feeds it (the SIMD one is in
// simd_number.hpp). Anything else (more digits, inf/nan, hex, blanks, '+') is left to parse_number.
#pragma once
#include <fast_float/fast_float.h>

#include <cstdint>

#include "io/number_parser.hpp"

namespace logreg::detail {

// Eisel-Lemire through fast_float::compute_float itself: for the rare cases of eisel_lemire.
inline bool eisel_lemire_by_fast_float(bool negative, std::uint64_t w, std::int64_t q, double& out) {
  using binary = fast_float::binary_format<double>;
  const fast_float::adjusted_mantissa am = fast_float::compute_float<binary>(q, w);
  if (am.power2 < 0 || am.power2 == binary::infinite_power()) return false;
  fast_float::to_float(negative, am, out);
  return true;
}

// (-1)^negative * w * 10^q by the steps of fast_float::compute_float (decimal_to_binary.h), which
// from_chars calls for every number outside Clinger's fast path: the same table, the same products,
// the same bits. One difference in how, none in what: compute_product_approximation multiplies by
// the second 64-bit word of 5^q only when the first product's low bits are all ones, and for digits
// printed from a double (%.17g, %.18e) that branch goes either way at random; here both products
// are always formed and the second one is added when fast_float would add it (a select, not a
// branch). Results that are rare in data (zero, subnormal, infinite, a product that fast_float
// would not trust, a possible tie to even) are handed to compute_float itself.
inline bool eisel_lemire(bool negative, std::uint64_t w, std::int64_t q, double& out) {
  using binary = fast_float::binary_format<double>;
  namespace ff = fast_float;
  if (w == 0 || q < binary::smallest_power_of_ten() || q > binary::largest_power_of_ten())
    return eisel_lemire_by_fast_float(negative, w, q, out);
  const int lz = ff::leading_zeroes(w);
  const std::uint64_t shifted = w << lz;
  const int index = 2 * static_cast<int>(q - ff::powers::smallest_power_of_five);
  const ff::value128 first = ff::full_multiplication(shifted, ff::powers::power_of_five_128[index]);
  const ff::value128 second = ff::full_multiplication(shifted, ff::powers::power_of_five_128[index + 1]);
  constexpr int shift = 64 - binary::mantissa_explicit_bits() - 3;  // the bits below the mantissa and 2 more
  constexpr std::uint64_t precision_mask = ~std::uint64_t{0} >> (binary::mantissa_explicit_bits() + 3);
  const std::uint64_t add = second.high & (std::uint64_t{0} - ((first.high & precision_mask) == precision_mask));
  const std::uint64_t low = first.low + add;
  const std::uint64_t high = first.high + (low < add);  // the carry
  const int upperbit = static_cast<int>(high >> 63);
  std::uint64_t mantissa = high >> (upperbit + shift);
  std::int32_t power2 = ff::detail::power(static_cast<std::int32_t>(q)) + upperbit - lz - binary::minimum_exponent();
  if (low == ~std::uint64_t{0} || power2 <= 0 ||
      (low <= 1 && q >= binary::min_exponent_round_to_even() && q <= binary::max_exponent_round_to_even() &&
       (mantissa & 3) == 1))
    return eisel_lemire_by_fast_float(negative, w, q, out);
  mantissa += mantissa & 1;  // round half up; ties to even were handed on above
  mantissa >>= 1;
  if (mantissa >= (std::uint64_t{2} << binary::mantissa_explicit_bits())) {  // rounded up to the next power of 2
    mantissa = std::uint64_t{1} << binary::mantissa_explicit_bits();
    ++power2;
  }
  mantissa &= ~(std::uint64_t{1} << binary::mantissa_explicit_bits());
  if (power2 >= binary::infinite_power()) return false;  // 1e309: not a finite number
  ff::adjusted_mantissa am;
  am.mantissa = mantissa;
  am.power2 = power2;
  ff::to_float(negative, am, out);
  return true;
}

// (-1)^negative * m * 10^e10, m < 10^19 exact, correctly rounded (to nearest, ties to even): the
// double fast_float::from_chars gives for the same digits. Clinger's fast path when m and
// 10^|e10| are both exact doubles: one correctly rounded multiplication or division (by -10^k for
// a negative number, as parse_simple_decimal), as from_chars does; otherwise eisel_lemire. False
// when fast_float would have to compare digits (the Eisel-Lemire step cannot decide) and when the
// result is infinite (1e309 is not a finite number, so not a number to logreg): the caller then asks
// parse_number. Underflow gives +-0 or a subnormal, as from_chars does.
inline bool decimal_to_double(bool negative, std::uint64_t m, std::int64_t e10, double& out) {
  if (m <= (std::uint64_t{1} << 53) && e10 >= -22 && e10 <= 22) {
    const double x = static_cast<double>(m);
    out = e10 < 0 ? x / signed_pow10[negative][-e10] : x * signed_pow10[negative][e10];
    return true;
  }
  return eisel_lemire(negative, m, e10, out);
}

// The number at p: [-]digits[.digits][(e|E)[+|-]digits], with at least one mantissa digit, at most
// 19 significant digits (leading zeros, before or after the point, do not count) and 1-4 exponent
// digits. Returns its end (the caller checks what follows), or nullptr when the text has another
// form or decimal_to_double declines (then use fast_float or parse_number). The buffer must be
// readable 8 bytes past any byte of the number and hold a byte that is not a digit after it (a
// padded buffer whose records end with a line end). The same doubles as fast_float.
inline const char* parse_decimal_padded(const char* p, double& out) {
  static constexpr std::uint64_t scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
  const bool negative = *p == '-';
  p += negative;
  const char* const first = p;
  while (*p == '0') ++p;  // leading zeros are not significant
  bool any_digit = p != first;
  std::uint64_t m = 0;
  long significant = 0, fraction = 0;
  for (;;) {  // integer part, eight digits at a time
    const std::uint64_t x = swar::load8(p);
    const int k = swar::leading_digits(x);
    if (k > 0) m = m * scale[k] + swar::digits_value(x, k);
    significant += k;
    p += k;
    if (k < 8 || significant > 19) break;
  }
  if (*p == '.') {
    ++p;
    if (significant == 0) {  // 0.000ddd: the zeros after the point are not significant either
      const char* zeros = p;
      while (*p == '0') ++p;
      fraction = p - zeros;
    }
    for (;;) {
      const std::uint64_t x = swar::load8(p);
      const int k = swar::leading_digits(x);
      if (k > 0) m = m * scale[k] + swar::digits_value(x, k);
      significant += k;
      fraction += k;
      p += k;
      if (k < 8 || significant > 19) break;
    }
    any_digit = any_digit || fraction > 0;
  }
  any_digit = any_digit || significant > 0;
  if (!any_digit || significant > 19) return nullptr;
  std::int64_t e10 = -fraction;
  if ((*p | 0x20) == 'e') {
    const char* q = p + 1;
    const bool negative_exponent = *q == '-';
    q += *q == '-' || *q == '+';
    const std::uint64_t x = swar::load8(q);
    const int k = swar::leading_digits(x);
    if (k == 0 || k > 4) return nullptr;
    const auto exponent = static_cast<std::int64_t>(swar::digits_value(x, k));
    e10 += negative_exponent ? -exponent : exponent;
    p = q + k;
  }
  return decimal_to_double(negative, m, e10, out) ? p : nullptr;
}

}  // namespace logreg::detail
