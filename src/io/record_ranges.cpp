#include "io/record_ranges.hpp"

#include <algorithm>
#include <cstring>

#include "io/record_scan.hpp"

namespace logreg::detail {

bool record_ranges::open(const std::string& path, std::size_t data_start, std::size_t file_size, int threads) {
  simd = use_simd();
  return cut(path, data_start, file_size, threads) && count();
}

void record_ranges::release(std::size_t from, std::size_t to) const { map_->release(from, to); }

bool record_ranges::cut(const std::string& path, std::size_t data_start, std::size_t file_size, int threads) {
  file_ = std::make_unique<file_handle>(path);
  if (file_->fd < 0 || data_start >= file_size || data_start == 0) return false;
  // The header's line end says which line end the file uses.
  char before[1];
  if (!read_at(file_->fd, before, 1, data_start - 1)) return false;
  term = before[0];
  if (term != '\n' && term != '\r') return false;
  // The file is mapped once and read in place by both passes (no copies through buffers).
  map_ = std::make_unique<mapped_file>(file_->fd, file_size);
  if (!map_->data) return false;
  text = map_->data;
  size = file_size;
  start = data_start;
  // Byte ranges: nominal equal splits, each moved forward to just after a line end. With several
  // threads there are up to 8 ranges per thread (of at least 1 MB), handed out in turn as threads
  // finish theirs: on a busy or virtual machine one thread often runs slower than the other, and
  // a fixed half each would make the whole load wait for the slower one. Every range's rows have
  // a fixed place in the result, so it does not depend on which thread reads which range.
  T = static_cast<std::size_t>(std::max(1, threads));
  const std::size_t span = file_size - data_start;
  R = T == 1 ? 1 : std::max(T, std::min(8 * T, span >> 20));
  bounds = {data_start};
  bounds.reserve(R + 1);
  const bool bounded = survive_sigbus([&] {
    for (std::size_t c = 1; c < R; ++c) {
      const std::size_t at = std::max(bounds.back(), data_start + span * c / R);
      const void* hit = at < file_size ? std::memchr(text + at, term, file_size - at) : nullptr;
      bounds.push_back(hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - text) + 1 : file_size);
    }
  });
  if (!bounded) return false;
  bounds.push_back(file_size);
  return true;
}

bool record_ranges::count() {
  std::vector<std::size_t> rows(R, 0);
  quotes.assign(R, 0);
  blanks.assign(R, 0);
  auto count_range = [&](std::size_t c, bool) {
    std::size_t n = 0;
    bool ok = true;
    scan_state q;  // (a range starts after a line end: outside quotes)
    q.before[0] = q.before[1] = term;
    for (std::size_t at = bounds[c]; ok && at < bounds[c + 1] && eligible.load(std::memory_order_relaxed);
         at += block_bytes) {
      const std::size_t len = std::min(block_bytes, bounds[c + 1] - at);
      const char* b = text + at;
      map_->populate(at, at + len);
      std::size_t block_rows = 0;
#ifdef LOGREG_SIMD_CSV
      if (simd)
        ok = scan_records(b, len, term, block_rows, q);
      else
#endif
        ok = scan_records_scalar(b, len, term, block_rows, q);
      n += block_rows;
      // A CR that ends the block must start a CRLF.
      if (term == '\n' && b[len - 1] == '\r' && at + len < bounds[c + 1] && b[len] != '\n') ok = false;
    }
    if (q.inside) ok = false;  // a quote left open at the range's end
    quotes[c] = q.quotes;
    blanks[c] = q.blanks;
    const std::size_t end = bounds[c + 1];
    if (end > bounds[c] && text[end - 1] != term) ++n;  // the last record may lack a line end
    rows[c] = n;
    if (!ok) eligible = false;
  };
  on_threads(count_range);
  if (!eligible) return false;
  first_row.assign(R + 1, 0);
  for (std::size_t c = 0; c < R; ++c) first_row[c + 1] = first_row[c] + rows[c];
  return first_row[R] > 0;
}

}  // namespace logreg::detail
