// The byte-level scans of the fast CSV paths: record counting (pass 1) and finding separators 64
// bytes at a time, in SSE code on x86-64 (chosen at run time) and portable code elsewhere.
#pragma once
#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LOGREG_SIMD_CSV 1
#endif

namespace logreg::detail {

// Bytes per block of a pass over a range (progress, page population and release go by blocks).
inline constexpr std::size_t block_bytes = 4 << 20;

// Occurrences of byte c: memchr hops from one to the next with SIMD scans in between.
std::size_t count_byte(const char* p, std::size_t len, char c);

// Pass 1 over [p, p + len): counts line ends (term) into rows and returns false on a quote, a NUL
// byte, a CR that does not start a CRLF (term '\n') or any LF (term '\r'). Reads only inside
// [p, p + len). The portable version and the SSE one give the same counts and refusals.
bool scan_records_scalar(const char* p, std::size_t len, char term, std::size_t& rows);
#ifdef LOGREG_SIMD_CSV
bool scan_records(const char* p, std::size_t len, char term, std::size_t& rows);

// Bit i set where p[i] is a or b, for the 64 bytes at p (SSE2, which every x86-64 has).
inline std::uint64_t match_mask(const char* p, char a, char b) {
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
  std::uint64_t r = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb))));
    r |= static_cast<std::uint64_t>(m) << (16 * i);
  }
  return r;
}

#endif

// Whether to use the SSE parsers: asked for (as they are by default, csv_parser_level) and this CPU
// has SSE4.1 and POPCNT.
bool use_simd();

}  // namespace logreg::detail
