// The byte-level scans of the fast CSV paths: record counting (pass 1) and finding separators 64
// bytes at a time, in SSE code on x86-64 (chosen at run time) and portable code elsewhere.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LOGREG_SIMD_CSV 1
#endif

namespace logreg::detail {

// Bytes per block of a pass over a range (progress, page population and release go by blocks).
inline constexpr std::size_t block_bytes = 4 << 20;

// Occurrences of byte c: memchr hops from one to the next with SIMD scans in between.
std::size_t count_byte(const char* p, std::size_t len, char c);

// Pass 1 over [p, p + len): counts line ends (term) into rows and returns false on a NUL byte, a CR
// that does not start a CRLF (term '\n'), any LF (term '\r'), or a line end (LF or CR) inside a
// quoted field: a record is one line. `inside` is the quote state at p (in a quoted field: an odd
// number of quote characters since the range's start) and is set to the state at p + len, for the
// next block; a range must end outside (its caller checks). Reads only inside [p, p + len). The
// portable version and the SSE one give the same counts, states and refusals.
bool scan_records_scalar(const char* p, std::size_t len, char term, std::size_t& rows, bool& inside);
#ifdef LOGREG_SIMD_CSV
bool scan_records(const char* p, std::size_t len, char term, std::size_t& rows, bool& inside);

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

// A cell of the fast paths (the bytes between two separators of a record, which pass 1 made one
// line) as the sequential reader reads it: a quoted cell ("...", a doubled quote inside for one)
// becomes its text, in place or, with doubled quotes, in `scratch`; a cell that does not start with
// a quote is its bytes (a quote later in it is a character, as in the sequential reader). False for
// a cell that starts with a quote but is not one quoted field -- one cut by a delimiter inside its
// quotes (its quotes are then odd in number), text after the closing quote -- which the sequential
// reader decides.
inline bool unquote_cell(std::string_view& cell, std::string& scratch) {
  if (cell.empty() || cell.front() != '"') return true;
  if (cell.size() < 2 || cell.back() != '"') return false;
  std::string_view in = cell.substr(1, cell.size() - 2);
  std::size_t q = in.find('"');
  if (q == std::string_view::npos) {
    cell = in;
    return true;
  }
  scratch.clear();
  for (; q != std::string_view::npos; q = in.find('"')) {
    if (q + 1 >= in.size() || in[q + 1] != '"') return false;
    scratch.append(in.substr(0, q + 1));
    in.remove_prefix(q + 2);
  }
  scratch.append(in);
  cell = scratch;
  return true;
}

// Whether to use the SSE parsers: asked for (as they are by default, csv_parser_level) and this CPU
// has SSE4.1 and POPCNT.
bool use_simd();

}  // namespace logreg::detail
