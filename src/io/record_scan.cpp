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
}  // namespace

bool scan_records_scalar(const char* b, std::size_t len, char term, std::size_t& rows, quote_state& qs) {
  rows = count_byte(b, len, term);
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
  return true;
}

#ifdef LOGREG_SIMD_CSV
__attribute__((target("sse4.1,popcnt"))) bool scan_records(const char* p, std::size_t len, char term, std::size_t& rows,
                                                           quote_state& qs) {
  std::uint64_t refused = 0, pending_cr = 0;
  std::uint64_t in_quotes = qs.inside ? ~std::uint64_t{0} : 0;  // all ones inside a quoted field
  std::size_t count = 0, quotes = 0;
  auto chunk = [&](const char* q, std::uint64_t valid) {
    const std::uint64_t lf = match_mask(q, '\n', '\n') & valid, cr = match_mask(q, '\r', '\r') & valid;
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
  rows = count;
  qs.inside = in_quotes != 0;
  qs.quotes += quotes;
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
