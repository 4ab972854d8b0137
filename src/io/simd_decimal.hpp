// Converting a CSV cell to a double 16 bytes at a time (SSE4.1), for the fast path's record parser.
// Exact: the same double as fast_float (and parse_number) for every cell it takes; it declines the
// rest (false), and the caller parses them with parse_number.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "io/number_parser.hpp"
#include "io/record_scan.hpp"

#ifdef LOGREG_SIMD_CSV
namespace logreg::detail {

// Shuffle masks that right-align the digits of a cell of `len` bytes (1-16) with its decimal point at
// `dot` (16: none) and drop the point: output byte 15 is the last digit, bytes before the first digit
// are zero (0x80 in a pshufb mask).
struct digit_shuffles {
  alignas(16) std::uint8_t mask[17][17][16];
  digit_shuffles() {
    for (int len = 0; len <= 16; ++len)
      for (int dot = 0; dot <= 16; ++dot) {
        std::uint8_t* m = mask[len][dot];
        std::memset(m, 0x80, 16);
        int out = 15;
        for (int i = len - 1; i >= 0 && out >= 0; --i)
          if (i != dot) m[out--] = static_cast<std::uint8_t>(i);
      }
  }
};
inline const digit_shuffles shuffles;

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

}  // namespace logreg::detail
#endif
