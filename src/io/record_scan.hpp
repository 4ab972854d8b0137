// The byte-level scans of the fast CSV paths: record counting (pass 1) and finding separators 64
// bytes at a time, in SSE code on x86-64 (chosen at run time) and portable code elsewhere.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
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

// What pass 1 carries from one block of a range to the next.
struct scan_state {
  bool inside = false;       // in a quoted field: an odd number of quote characters so far
  std::size_t quotes = 0;    // quote characters so far
  std::size_t blanks = 0;    // blank lines so far (a line end right after a line end, or after CR LF's CR)
  char before[2] = {'\n', '\n'};  // the two bytes before the block (the last one first): a range starts after its line end
};

// Pass 1 over [p, p + len): counts the lines that end in [p, p + len) and are not blank (the
// sequential reader skips blank lines: nothing, or for LF line ends a CR, before the line end)
// into rows, and returns false on a NUL byte, a CR that does not start a CRLF (term '\n'), any LF
// (term '\r'), or a line end (LF or CR) inside a quoted field: a record is one line. `s` is the
// state at p, and is moved on to p + len for the next block; a range must end outside quotes (its
// caller checks). Reads only inside [p, p + len). The portable version and the SSE one give the
// same counts, states and refusals.
bool scan_records_scalar(const char* p, std::size_t len, char term, std::size_t& rows, scan_state& s);
#ifdef LOGREG_SIMD_CSV
bool scan_records(const char* p, std::size_t len, char term, std::size_t& rows, scan_state& s);

// Bit i set where byte i is inside a quoted field or is its opening quote, for a 64-byte block
// whose quote characters are the bits of `quotes`, `carry` all ones when the block starts inside
// one; carry is moved on to the block's end. (A prefix XOR: the parity of the quotes up to i.)
inline std::uint64_t inside_quotes(std::uint64_t quotes, std::uint64_t& carry) {
  std::uint64_t x = quotes;
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  x ^= carry;
  carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(x) >> 63);
  return x;
}

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

// A cell of the fast paths as the sequential reader reads it: a quoted cell ("...", a doubled quote
// inside for one) becomes its text, in place or, with doubled quotes, in `scratch`, and its quote
// characters are added to `quotes`; a cell that does not start with a quote is its bytes. False for
// a cell that starts with a quote but is not one quoted field (text after the closing quote, a
// quote left open), which the sequential reader decides.
//
// How the fast paths stay the sequential reader: their cells end at the delimiters outside quotes
// by the parity of the quote characters (pass 1 refused a line end inside them, so a record is one
// line). That is the RFC 4180 split when every quote character is in a cell that is one quoted
// field; a quote inside an unquoted cell (a character to the sequential reader) can make the
// parities differ, so a range is taken only when the quotes of its unquoted cells number all the
// quotes pass 1 counted in it (record_ranges::quotes).
inline bool unquote_cell(std::string_view& cell, std::string& scratch, std::size_t& quotes) {
  if (cell.empty() || cell.front() != '"') return true;
  if (cell.size() < 2 || cell.back() != '"') return false;
  std::string_view in = cell.substr(1, cell.size() - 2);
  std::size_t q = in.find('"');
  if (q == std::string_view::npos) {
    cell = in;
    quotes += 2;
    return true;
  }
  scratch.clear();
  std::size_t pairs = 0;
  for (; q != std::string_view::npos; q = in.find('"')) {
    if (q + 1 >= in.size() || in[q + 1] != '"') return false;
    scratch.append(in.substr(0, q + 1));
    in.remove_prefix(q + 2);
    ++pairs;
  }
  scratch.append(in);
  cell = scratch;
  quotes += 2 + 2 * pairs;
  return true;
}

// The end of the cell at p in [p, end): the next delimiter or line end (term; a CR before it is
// the caller's) after a quoted field's closing quote when the cell starts with a quote (a doubled
// quote does not close it), else the next one. `end` when there is none (or the quote is left open).
inline const char* cell_end(const char* p, const char* end, char delim, char term) {
  const char* f = p;
  if (f < end && *f == '"')
    for (++f;;) {
      f = static_cast<const char*>(std::memchr(f, '"', static_cast<std::size_t>(end - f)));
      if (!f) return end;
      ++f;
      if (f < end && *f == '"') ++f;  // a doubled quote
      else break;
    }
  while (f < end && *f != delim && *f != term) ++f;
  return f;
}

// Whether [p, end) holds nothing but line ends (blank lines, which the parsers skip).
inline bool only_line_ends(const char* p, const char* end) {
  for (; p < end; ++p)
    if (*p != '\n' && *p != '\r') return false;
  return true;
}

// The length of the blank line at p (its line end, or CR LF with term '\n'), 0 when p does not
// start one. [p, end) holds whole lines.
inline std::size_t blank_line_at(const char* p, const char* end, char term) {
  if (p < end && *p == term) return 1;
  if (term == '\n' && end - p >= 2 && p[0] == '\r' && p[1] == '\n') return 2;
  return 0;
}

// Whether to use the SSE parsers: asked for (as they are by default, csv_parser_level) and this CPU
// has SSE4.1 and POPCNT.
bool use_simd();

}  // namespace logreg::detail
