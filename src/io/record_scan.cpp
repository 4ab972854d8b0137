#include "io/record_scan.hpp"

#include <atomic>
#include <cstring>

#include "io/parallel_csv_loader.hpp"

namespace logreg::detail {

std::size_t count_byte(const char* p, std::size_t len, char c) {
  std::size_t count = 0;
  const char* end = p + len;
  while (p < end) {
    const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
    if (!hit) break;
    ++count;
    p = static_cast<const char*>(hit) + 1;
  }
  return count;
}

namespace {
bool has_line_end(const char* p, const char* end) {
  const std::size_t n = static_cast<std::size_t>(end - p);
  return std::memchr(p, '\n', n) || std::memchr(p, '\r', n);
}

// The block's last two bytes become the next block's `before`.
void move_on(scan_state& s, const char* b, std::size_t len) {
  if (len == 0) return;
  s.before[1] = len >= 2 ? b[len - 2] : s.before[0];
  s.before[0] = b[len - 1];
}
}  // namespace

bool scan_records_scalar(const char* b, std::size_t len, char term, std::size_t& rows, scan_state& qs) {
  // Each line end ends a record, or a blank line (nothing before it, or for LF line ends one CR).
  rows = 0;
  for (const char* p = b; (p = static_cast<const char*>(std::memchr(p, term, static_cast<std::size_t>(b + len - p))));) {
    const std::size_t i = static_cast<std::size_t>(p - b);
    const char b1 = i >= 1 ? b[i - 1] : qs.before[0];
    const char b2 = i >= 2 ? b[i - 2] : i == 1 ? qs.before[0] : qs.before[1];
    if (b1 == term || (term == '\n' && b1 == '\r' && b2 == '\n')) ++qs.blanks;
    else ++rows;
    ++p;
  }
  if (std::memchr(b, '\0', len) || (term == '\r' && std::memchr(b, '\n', len))) return false;
  if (term == '\n')
    for (const char* p = b; (p = static_cast<const char*>(std::memchr(p, '\r', static_cast<std::size_t>(b + len - p))));) {
      if (p + 1 < b + len && p[1] != '\n') return false;
      ++p;
    }
  // Quoted fields: from each opening quote to the next quote (its closing one, or the first of a
  // doubled pair, which reopens at once) no line end.
  const char* const end = b + len;
  for (const char* p = b; p < end;) {
    const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
    if (qs.inside && has_line_end(p, q ? q : end)) return false;
    if (!q) break;
    qs.inside = !qs.inside;
    ++qs.quotes;
    p = q + 1;
  }
  move_on(qs, b, len);
  return true;
}

#ifdef LOGREG_SIMD_CSV
__attribute__((target("sse4.1,popcnt"))) bool scan_records(const char* p, std::size_t len, char term, std::size_t& rows,
                                                           scan_state& qs) {
  std::uint64_t refused = 0, pending_cr = 0;
  std::uint64_t in_quotes = qs.inside ? ~std::uint64_t{0} : 0;  // all ones inside a quoted field
  std::size_t count = 0, quotes = 0, blanks = 0;
  // The line ends and CRs of the two bytes before each chunk (bit 0: the byte before, bit 1: the one
  // before it), for the blank lines.
  std::uint64_t lf_before = (qs.before[0] == '\n') | (static_cast<std::uint64_t>(qs.before[1] == '\n') << 1);
  std::uint64_t cr_before = (qs.before[0] == '\r');
  auto chunk = [&](const char* q, std::uint64_t valid) {
    const std::uint64_t lf = match_mask(q, '\n', '\n') & valid, cr = match_mask(q, '\r', '\r') & valid;
    // A line end right after a line end, or (LF) right after a CR that follows an LF: a blank line.
    const std::uint64_t prev_lf = (lf << 1) | (lf_before & 1), prev_cr = (cr << 1) | cr_before;
    const std::uint64_t prev2_lf = (lf << 2) | (lf_before >> 1 & 1) | ((lf_before & 1) << 1);
    const std::uint64_t blank = term == '\n' ? lf & (prev_lf | (prev_cr & prev2_lf)) : cr & prev_cr;
    blanks += static_cast<std::size_t>(__builtin_popcountll(blank));
    lf_before = (lf >> 63) | ((lf >> 62 & 1) << 1);
    cr_before = cr >> 63;
    const std::uint64_t quote_or_nul = match_mask(q, '"', '\0') & valid;
    if (quote_or_nul != 0 || in_quotes != 0) {
      const std::uint64_t quote = match_mask(q, '"', '"') & valid;
      refused |= quote_or_nul & ~quote;
      quotes += static_cast<std::size_t>(__builtin_popcountll(quote));
      refused |= (lf | cr) & inside_quotes(quote, in_quotes);  // a line end inside a quoted field
    }
    if (term == '\n') {
      count += static_cast<std::size_t>(__builtin_popcountll(lf));
      refused |= pending_cr & ~lf;                 // a CR at the end of the previous chunk
      const std::uint64_t lone = cr & ~(lf >> 1);  // CRs not followed by an LF in this chunk
      pending_cr = lone >> 63;
      refused |= lone & ~(std::uint64_t{1} << 63);
    } else {
      count += static_cast<std::size_t>(__builtin_popcountll(cr));
      refused |= lf;
    }
  };
  std::size_t at = 0;
  for (; at + 64 <= len; at += 64) chunk(p + at, ~std::uint64_t{0});
  if (at < len) {
    alignas(16) char last[64] = {};
    std::memcpy(last, p + at, len - at);
    chunk(last, (std::uint64_t{1} << (len - at)) - 1);
  }
  rows = count - blanks;
  qs.inside = in_quotes != 0;
  qs.quotes += quotes;
  qs.blanks += blanks;
  move_on(qs, p, len);
  return refused == 0;
}

namespace {
bool simd_supported() {
  static const bool yes = __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("popcnt");
  return yes;
}

}  // namespace
#endif

namespace {
std::atomic<int> requested_level{static_cast<int>(csv_parser_level::best)};
}  // namespace

bool use_simd() {
#ifdef LOGREG_SIMD_CSV
  return requested_level.load(std::memory_order_relaxed) >= static_cast<int>(csv_parser_level::sse) && simd_supported();
#else
  return false;
#endif
}

void set_csv_parser_level(csv_parser_level level) { requested_level = static_cast<int>(level); }

}  // namespace logreg::detail
