// The SIMD number converter of the parallel loader's record parser (x86-64, SSE4.1): a cell of up
// to 15 digits converted in one 16-byte register, and cells in the other forms that pandas, numpy
// and R write (exponents, up to 19 significant digits) with one or two; exactly as fast_float would.
#pragma once
#include <cstddef>
#include <cstdint>

#include "io/decimal_conversion.hpp"
#include "io/number_parser.hpp"
#include "io/record_scan.hpp"

#ifdef LOGREG_SIMD_CSV
namespace logreg::detail {

// Shuffle masks that right-align the digits of a cell of `len` bytes (1-16) with its decimal point at
// `dot` (16: none) and drop the point: output byte 15 is the last digit, bytes before the first digit
// are zero (0x80 in a pshufb mask).
struct digit_shuffles {
  alignas(16) std::uint8_t mask[17][17][16] = {};
  constexpr digit_shuffles() {
    for (int len = 0; len <= 16; ++len)
      for (int dot = 0; dot <= 16; ++dot) {
        std::uint8_t* m = mask[len][dot];
        for (int i = 0; i < 16; ++i) m[i] = 0x80;
        int out = 15;
        for (int i = len - 1; i >= 0 && out >= 0; --i)
          if (i != dot) m[out--] = static_cast<std::uint8_t>(i);
      }
  }
};
inline constexpr digit_shuffles shuffles{};

// The cell [p, p + len) as -?digits[.digits] with at most 15 digits, else false (then the caller uses
// parse_number). Reads 16 bytes at p. Exact: the digits form m < 10^15 < 2^53 and the value is
// m / 10^k with k <= 15, one correctly rounded division of exact doubles (as parse_simple_decimal),
// so the result is the double fast_float gives.
__attribute__((target("sse4.1"), always_inline)) inline bool simd_decimal(const char* p, std::size_t len, double& out) {
  if (len == 0 || len > 16) return false;
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i t = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  const __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
  const unsigned cell = (1u << len) - 1;
  const unsigned digits = static_cast<unsigned>(_mm_movemask_epi8(is_digit)) & cell;
  const unsigned dots = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')))) & cell;
  const unsigned negative = p[0] == '-';
  if ((digits | dots | negative) != cell || (dots & (dots - 1)) != 0 || digits == 0 || digits == 0xFFFF)
    return false;  // (16 digits could exceed 2^53)
  const unsigned dot = dots ? static_cast<unsigned>(__builtin_ctz(dots)) : 16;
  const unsigned fraction = dots ? static_cast<unsigned>(len) - 1 - dot : 0;
  __m128i d = _mm_and_si128(t, is_digit);
  d = _mm_shuffle_epi8(d, _mm_load_si128(reinterpret_cast<const __m128i*>(shuffles.mask[len][dot])));
  // 16 digits -> 8 pairs -> 4 quads -> 2 octets (the method of simdjson and fast_float).
  d = _mm_maddubs_epi16(d, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
  d = _mm_madd_epi16(d, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
  d = _mm_packus_epi32(d, d);
  d = _mm_madd_epi16(d, _mm_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1));
  const std::uint64_t high = static_cast<std::uint32_t>(_mm_cvtsi128_si32(d));
  const std::uint64_t low = static_cast<std::uint32_t>(_mm_extract_epi32(d, 1));
  // The sign by dividing by -10^k: no branch (see parse_simple_decimal).
  out = static_cast<double>(high * 100000000ULL + low) / detail::signed_pow10[negative][fraction];
  return true;
}

// The digits of the `len` bytes at p (1-16 digits, and the point at `dot` unless dot is 16) as one
// integer: right-aligned by one shuffle that drops the point, then 16 digits -> 8 pairs -> 4 quads
// -> 2 octets. Reads 16 bytes at p.
__attribute__((target("sse4.1"), always_inline)) inline std::uint64_t simd_digits(const char* p, unsigned len,
                                                                                 unsigned dot) {
  __m128i d = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8('0'));
  d = _mm_shuffle_epi8(d, _mm_load_si128(reinterpret_cast<const __m128i*>(shuffles.mask[len][dot])));
  d = _mm_maddubs_epi16(d, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
  d = _mm_madd_epi16(d, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
  d = _mm_packus_epi32(d, d);
  d = _mm_madd_epi16(d, _mm_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1));
  const std::uint64_t high = static_cast<std::uint32_t>(_mm_cvtsi128_si32(d));
  const std::uint64_t low = static_cast<std::uint32_t>(_mm_extract_epi32(d, 1));
  return high * 100000000ULL + low;
}

// The exponent of a cell [p, p + len) whose mantissa ends at `end` (its 'e'): [+|-]digits, 1-4 of
// them, all the rest of the cell (`digits`: the cell's digit bytes). No branch on its sign or length.
__attribute__((always_inline)) inline bool cell_exponent(const char* p, std::size_t len, unsigned end,
                                                         std::uint64_t digits, std::int64_t& e10) {
  const unsigned char sign = static_cast<unsigned char>(p[end + 1]);  // p[len] is the separator if the cell ends here
  const unsigned negative = sign == '-';
  const unsigned q = end + 1 + (negative | (sign == '+'));
  if (q >= len || len - q > 4) return false;
  const std::uint64_t exponent = ((std::uint64_t{1} << len) - 1) & ~((std::uint64_t{1} << q) - 1);
  if ((digits & exponent) != exponent) return false;
  // The values of the first 1, 2, 3, 4 digits (bytes past the cell are readable), then the right one.
  const std::int64_t d1 = p[q] - '0', d2 = d1 * 10 + (p[q + 1] - '0'), d3 = d2 * 10 + (p[q + 2] - '0'),
                     d4 = d3 * 10 + (p[q + 3] - '0');
  const unsigned k = static_cast<unsigned>(len) - q;
  const std::int64_t value = k == 1 ? d1 : k == 2 ? d2 : k == 3 ? d3 : d4;
  e10 = (value ^ -static_cast<std::int64_t>(negative)) + negative;
  return true;
}

// The cell [p, p + len) in the forms of parse_decimal_padded: [-]digits[.digits][(e|E)[+|-]digits]
// with at most 19 significant digits and 1-4 exponent digits, of at most 32 bytes; else false (then
// the caller uses parse_number). The cell's bytes are classified by comparisons of two 16-byte
// registers; the significant digits (from the first non-zero one) are converted by simd_digits in
// two parts, the last 16 bytes and the 0-4 before them, and decimal_to_double gives the double
// fast_float would. No branch depends on the digits or on where the point is. Reads 48 bytes at p.
__attribute__((target("sse4.1,popcnt"))) inline bool simd_number_general(const char* p, std::size_t len, double& out) {
  static constexpr std::uint64_t pow10[17] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                              1000000000, 10000000000, 100000000000, 1000000000000,
                                              10000000000000, 100000000000000, 1000000000000000,
                                              10000000000000000};
  if (len == 0 || len > 32) return false;
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
  auto mask = [](__m128i x, __m128i y) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(x))) |
           static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(y))) << 16;
  };
  const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9), point = _mm_set1_epi8('.');
  const __m128i e = _mm_set1_epi8('e'), lower = _mm_set1_epi8(0x20);  // 'E' | 0x20 == 'e'
  const __m128i ta = _mm_sub_epi8(a, zero), tb = _mm_sub_epi8(b, zero);
  const std::uint64_t cell = (std::uint64_t{1} << len) - 1;
  const std::uint64_t digits =
      mask(_mm_cmpeq_epi8(_mm_min_epu8(ta, nine), ta), _mm_cmpeq_epi8(_mm_min_epu8(tb, nine), tb)) & cell;
  const std::uint64_t zeros = mask(_mm_cmpeq_epi8(a, zero), _mm_cmpeq_epi8(b, zero)) & cell;
  const std::uint64_t points = mask(_mm_cmpeq_epi8(a, point), _mm_cmpeq_epi8(b, point)) & cell;
  const std::uint64_t es =
      mask(_mm_cmpeq_epi8(_mm_or_si128(a, lower), e), _mm_cmpeq_epi8(_mm_or_si128(b, lower), e)) & cell;
  const unsigned negative = p[0] == '-';
  // The mantissa: [negative, end), where end is the 'e' if there is one.
  const unsigned end = es ? static_cast<unsigned>(__builtin_ctzll(es)) : static_cast<unsigned>(len);
  const std::uint64_t mantissa = ((std::uint64_t{1} << end) - 1) & ~std::uint64_t{negative};
  const std::uint64_t mdigits = digits & mantissa, mpoint = points & mantissa;
  if ((mdigits | mpoint) != mantissa || mdigits == 0 || (mpoint & (mpoint - 1)) != 0) return false;
  std::int64_t e10 = 0;
  if (es && !cell_exponent(p, len, end, digits, e10)) return false;
  if (mpoint) e10 -= __builtin_popcountll(mdigits & ~((mpoint << 1) - 1));  // digits after the point
  const std::uint64_t nonzero = mdigits & ~zeros;
  if (nonzero == 0) {  // zero, with its sign
    out = negative ? -0.0 : 0.0;
    return true;
  }
  const unsigned first = static_cast<unsigned>(__builtin_ctzll(nonzero));
  if (__builtin_popcountll(mdigits >> first) > 19) return false;
  // The significant digits, and the point if it is among them, in [first, end): at most 20 bytes.
  // The last 16 (or all) in [split, end), the 0-4 before them in [first, split).
  const unsigned at = mpoint ? static_cast<unsigned>(__builtin_ctzll(mpoint)) : 64;  // the point
  const unsigned split = end - first > 16 ? end - 16 : first;
  const unsigned point_low = at >= split && at < end, point_high = at > first && at < split;
  const std::uint64_t low = simd_digits(p + split, end - split, point_low ? at - split : 16);
  const std::uint64_t high = simd_digits(p + first, split - first, point_high ? at - first : 16);
  return decimal_to_double(negative, high * pow10[end - split - point_low] + low, e10, out);
}

// simd_number_general for cells of at most 16 bytes (at most 16 digits, all of them kept): one
// register, one conversion. For the short cells simd_decimal does not take: exponents (R's
// -4.43995e-06), 16 digits. Reads 16 bytes at p.
__attribute__((target("sse4.1,popcnt"))) inline bool simd_number_short(const char* p, std::size_t len, double& out) {
  if (len == 0 || len > 16) return false;
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i t = _mm_sub_epi8(v, _mm_set1_epi8('0'));
  const unsigned cell = (1u << len) - 1;
  const unsigned digits =
      static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t))) & cell;
  const unsigned points = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')))) & cell;
  const unsigned es = static_cast<unsigned>(_mm_movemask_epi8(
                          _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('e')))) &
                      cell;
  const unsigned negative = p[0] == '-';
  const unsigned end = es ? static_cast<unsigned>(__builtin_ctz(es)) : static_cast<unsigned>(len);
  const unsigned mantissa = ((1u << end) - 1) & ~negative;
  const unsigned mdigits = digits & mantissa, mpoint = points & mantissa;
  if ((mdigits | mpoint) != mantissa || mdigits == 0 || (mpoint & (mpoint - 1)) != 0) return false;
  std::int64_t e10 = 0;
  if (es && !cell_exponent(p, len, end, digits, e10)) return false;
  if (mpoint) e10 -= __builtin_popcount(mdigits & ~((mpoint << 1) - 1));  // digits after the point
  const unsigned at = mpoint ? static_cast<unsigned>(__builtin_ctz(mpoint)) - negative : 16;
  return decimal_to_double(negative, simd_digits(p + negative, end - negative, at), e10, out);
}

// A numeric cell of the SIMD record parser: simd_decimal for the common short decimals, else
// simd_number_short or simd_number_general by length. False: the caller asks parse_number.
__attribute__((target("sse4.1,popcnt"), always_inline)) inline bool simd_number(const char* p, std::size_t len,
                                                                               double& out) {
  return simd_decimal(p, len, out) ||
         (len <= 16 ? simd_number_short(p, len, out) : simd_number_general(p, len, out));
}

}  // namespace logreg::detail
#endif
