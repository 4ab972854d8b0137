#include "io/parallel_csv_loader.hpp"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <fast_float/fast_float.h>
#include <thread>
#include <unordered_map>

#include "io/number_parser.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LOGREG_SIMD_CSV 1
#endif

namespace logreg::detail {

namespace {

constexpr std::size_t block_bytes = 4 << 20;
#ifdef MADV_POPULATE_READ
constexpr int populate_read = MADV_POPULATE_READ, populate_write = MADV_POPULATE_WRITE;
#else
constexpr int populate_read = 22, populate_write = 23;  // older headers; older kernels refuse them (EINVAL): harmless
#endif

struct file_handle {
  int fd = -1;
  explicit file_handle(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~file_handle() {
    if (fd >= 0) ::close(fd);
  }
};


// The whole file mapped read-only; data is null when mmap fails.
struct mapped_file {
  const char* data = nullptr;
  std::size_t size = 0;
  mapped_file(int fd, std::size_t bytes) : size(bytes) {
    void* p = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) data = static_cast<const char*>(p);
  }
  ~mapped_file() {
    if (data) ::munmap(const_cast<char*>(data), size);
  }
  // Maps the pages of [from, to) in one call rather than a fault per 64 kB (Linux 5.14+; older
  // kernels refuse it, harmlessly).
  void populate(std::size_t from, std::size_t to) const {
    const std::size_t first = from / 4096 * 4096;
    if (to > first) ::madvise(const_cast<char*>(data) + first, to - first, populate_read);
  }
  // Drops the page mappings of the whole pages in [from, to): unmapping them in the parsing threads
  // as they go is cheaper than one munmap of the whole file at the end. (Reads there fault back in.)
  void release(std::size_t from, std::size_t to) const {
    const std::size_t page = 4096, first = (from + page - 1) / page * page, last = to / page * page;
    if (last > first) ::madvise(const_cast<char*>(data) + first, last - first, MADV_DONTNEED);
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
};

// Reading a mapped file that another process truncates meanwhile raises SIGBUS at the first page
// past the new end. While load_parallel runs, a handler turns that into "the fast path declines"
// (the sequential reader then reads what the file holds now): each thread that reads the mapping
// does so inside survive_sigbus, which the handler jumps back to. Objects that the jump skips
// are leaked, never used again.
thread_local sigjmp_buf* bus_jump = nullptr;

extern "C" void on_sigbus(int sig, siginfo_t*, void*) {
  if (bus_jump) siglongjmp(*bus_jump, 1);
  ::signal(sig, SIG_DFL);  // not a read of ours: the default action
  ::raise(sig);
}

// Installs on_sigbus for its lifetime, then puts the previous handler back.
struct sigbus_guard {
  struct sigaction previous {};
  bool installed = false;
  sigbus_guard() {
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    installed = ::sigaction(SIGBUS, &action, &previous) == 0;
  }
  ~sigbus_guard() {
    if (installed) ::sigaction(SIGBUS, &previous, nullptr);
  }
  sigbus_guard(const sigbus_guard&) = delete;
  sigbus_guard& operator=(const sigbus_guard&) = delete;
};

// Runs fn(); false if a read of the mapping raised SIGBUS on the way.
template <class Fn>
bool survive_sigbus(Fn&& fn) {
  sigjmp_buf jump;
  sigjmp_buf* const outer = bus_jump;
  if (sigsetjmp(jump, 1) != 0) {
    bus_jump = outer;
    return false;
  }
  bus_jump = &jump;
  fn();
  bus_jump = outer;
  return true;
}

// Maps the whole pages of [p, p + bytes) for writing in one call (Linux 5.14+): much cheaper than a
// fault per 4 kB page as the parser first writes them. Transparent huge pages are not asked for: on
// virtual machines that hand free memory back to the host, fresh 2 MB pages often have to be faulted
// in by the host, which measured 5-15x slower than 4 kB pages here (see docs/benchmarks.md).
void populate_for_writing(void* p, std::size_t bytes) {
  const std::uintptr_t page = 4096;
  const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(page - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, populate_write);
}

// Occurrences of byte c: memchr hops from one to the next with SIMD scans in between.
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

// scan_records (below) in portable code: the same counts and refusals.
bool scan_records_scalar(const char* b, std::size_t len, char term, std::size_t& rows) {
  rows = count_byte(b, len, term);
  if (std::memchr(b, '"', len) || std::memchr(b, '\0', len) || (term == '\r' && std::memchr(b, '\n', len))) return false;
  if (term == '\n')
    for (const char* p = b; (p = static_cast<const char*>(std::memchr(p, '\r', static_cast<std::size_t>(b + len - p))));) {
      if (p + 1 < b + len && p[1] != '\n') return false;
      ++p;
    }
  return true;
}

// Reads [offset, offset + len) fully; false on error.
bool read_at(int fd, char* buf, std::size_t len, std::size_t offset) {
  while (len > 0) {
    const ssize_t got = ::pread(fd, buf, len, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buf += got;
    len -= static_cast<std::size_t>(got);
    offset += static_cast<std::size_t>(got);
  }
  return true;
}



#ifdef LOGREG_SIMD_CSV
// The byte-level helpers of the SIMD record parser (x86-64). Separators are found 64 bytes at a time
// with SSE2 (every x86-64 has it); numbers are converted 16 bytes at a time with SSSE3 / SSE4.1,
// which the parser checks for at run time.

// Bit i set where p[i] is a or b, for the 64 bytes at p.
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
const digit_shuffles shuffles;

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

// Pass 1 of load_parallel over [p, p + len) in one sweep: counts line ends (term) into rows and
// returns false on a quote, a NUL byte, a CR that does not start a CRLF (term '\n') or any LF
// (term '\r'). Reads only inside [p, p + len).
__attribute__((target("sse4.1,popcnt"))) bool scan_records(const char* p, std::size_t len, char term, std::size_t& rows) {
  std::uint64_t refused = 0, pending_cr = 0;
  std::size_t count = 0;
  auto chunk = [&](const char* q, std::uint64_t valid) {
    const std::uint64_t lf = match_mask(q, '\n', '\n') & valid, cr = match_mask(q, '\r', '\r') & valid;
    refused |= (match_mask(q, '"', '\0') & valid);
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
  return refused == 0;
}

bool simd_supported() {
  static const bool yes = __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("popcnt");
  return yes;
}

#endif

// What each column of a record is: a feature's index (>= 0), -1 ignored, -2 target, -3 weight.
std::vector<long> column_role_table(const column_roles& roles) {
  std::vector<long> role(roles.n_columns, -1);
  for (std::size_t j = 0; j < roles.features.size(); ++j) role[roles.features[j]] = static_cast<long>(j);
  role[roles.target] = -2;
  if (roles.weight != SIZE_MAX) role[roles.weight] = -3;
  return role;
}

// Ids of texts in first-appearance order, up to `limit` of them (missing_cell_id past it).
struct text_dictionary {
  std::unordered_map<std::string, std::uint32_t, text_hash, std::equal_to<>> ids;
  std::vector<std::string> texts;
  std::uint32_t id(std::string_view text, std::size_t limit = SIZE_MAX) {
    auto it = ids.find(text);
    if (it != ids.end()) return it->second;
    if (texts.size() >= limit) return missing_cell_id;
    it = ids.emplace(std::string(text), static_cast<std::uint32_t>(texts.size())).first;
    texts.emplace_back(text);
    return it->second;
  }
};

struct range_result {
  std::size_t rows = 0;              // records counted in pass 1
  std::vector<std::string> labels;   // first-appearance order within the range
  bool ok = true;
};

// Parses the records of one byte range (whole records only) into columns [first_row, ...).
class range_parser {
 public:
  range_parser(const column_roles& roles, char delim, char terminator, double* X, std::uint32_t* label_index,
               double* weights, std::size_t d)
      : roles_(roles), delim_(delim), term_(terminator), X_(X), label_index_(label_index), weights_(weights), d_(d) {
    role_ = column_role_table(roles);
    expect_.assign(roles.n_columns, delim_);
    expect_.back() = term_;
  }

  // Parses complete records in [p, end); returns false on anything the fast path does not take.
  bool parse_records(const char* p, const char* end, std::size_t& row, std::size_t row_limit, range_result& res) {
    while (p < end) {
      if (row >= row_limit) return false;
      double* x = X_ + row * d_;
      for (std::size_t k = 0; k < roles_.n_columns; ++k) {
        const bool last = k + 1 == roles_.n_columns;
        const char expected = last ? term_ : delim_;
        const long role = role_[k];
        if (role >= 0) {
          double v;
          const char* ptr = parse_simple_decimal_padded(p, v);  // records end with a line end; 8 bytes of padding
          if (!ptr) {
            auto r = fast_float::from_chars(p, end, v);
            ptr = (r.ec == std::errc() && std::isfinite(v)) ? r.ptr : nullptr;
          }
          if (ptr && ptr < end && (*ptr == expected || (last && *ptr == '\r' && term_ == '\n'))) {
            x[role] = v;
            p = ptr;
          } else {  // blanks, a leading '+', or not a number: classify the whole cell
            const char* f = p;
            while (f < end && *f != delim_ && *f != term_) ++f;
            const char* cell_end = (last && f > p && f[-1] == '\r' && term_ == '\n') ? f - 1 : f;
            if (parse_number(std::string_view(p, static_cast<std::size_t>(cell_end - p)), v) != cell_kind::number)
              return false;
            x[role] = v;
            p = cell_end;
          }
        } else {
          const char* f = p;
          while (f < end && *f != delim_ && *f != term_) ++f;
          const char* cell_end = (last && f > p && f[-1] == '\r' && term_ == '\n') ? f - 1 : f;
          if (role != -1 && !other_cell(role, std::string_view(p, static_cast<std::size_t>(cell_end - p)), row, res))
            return false;
          p = cell_end;
        }
        // p is at the delimiter (or the line end for the last field).
        if (last) {
          if (p < end && *p == '\r' && term_ == '\n') ++p;
          if (p >= end || *p != term_) return false;  // too many fields, or a stray character
          ++p;
        } else {
          if (p >= end || *p != delim_) return false;  // too few fields
          ++p;
        }
      }
      ++row;
    }
    return true;
  }

#ifdef LOGREG_SIMD_CSV
  // parse_records with separators found 64 bytes at a time and each cell converted by simd_decimal
  // (parse_number when the cell has another form). Same results, same refusals. [p, end) holds
  // complete records; 64 bytes past `end` are readable.
  __attribute__((target("sse4.1"))) bool parse_records_simd(const char* p, const char* end, std::size_t& row,
                                                            std::size_t row_limit, range_result& res) {
    if (row >= row_limit) return p == end;
    const std::size_t columns = roles_.n_columns;
    const bool crlf = term_ == '\n';
    const char* const expect = expect_.data();
    const long* const roles = role_.data();
    std::size_t k = 0;
    double* x = X_ + row * d_;
    const char* start = p;
    for (const char* base = p; base < end; base += 64) {
      std::uint64_t m = match_mask(base, delim_, term_);
      const std::size_t left = static_cast<std::size_t>(end - base);
      if (left < 64) m &= (std::uint64_t{1} << left) - 1;
      for (; m != 0; m &= m - 1) {
        const char* sep = base + __builtin_ctzll(m);
        if (*sep != expect[k]) return false;  // too few or too many fields
        if (k + 1 < columns) {
          if (!cell_simd(roles[k], start, static_cast<std::size_t>(sep - start), x, row, res)) return false;
          ++k;
        } else {  // the record's last cell; a CR before the LF is not part of it
          const char* cell_end = (crlf && sep > start && sep[-1] == '\r') ? sep - 1 : sep;
          if (!cell_simd(roles[k], start, static_cast<std::size_t>(cell_end - start), x, row, res)) return false;
          k = 0;
          x += d_;
          if (++row == row_limit) return sep + 1 == end;  // the range's last record
        }
        start = sep + 1;
      }
    }
    return k == 0 && start == end;
  }

  // One cell of role `role` (a feature index, or -1, -2, -3) of the record at x.
  __attribute__((target("sse4.1"), always_inline)) bool cell_simd(long role, const char* p, std::size_t len, double* x,
                                                                  std::size_t row, range_result& res) {
    if (role >= 0) {
      double v;
      if (!simd_decimal(p, len, v) && parse_number(std::string_view(p, len), v) != cell_kind::number) return false;
      x[role] = v;
      return true;
    }
    return role == -1 || other_cell(role, std::string_view(p, len), row, res);
  }
#endif

 private:
  // A cell that is not a feature: the label (role -2) or the sample weight (role -3).
  bool other_cell(long role, std::string_view cell, std::size_t row, range_result& res) {
    if (role == -2) {
      if (cell.empty()) return false;
      label_index_[row] = label_id(cell, res);
      return label_index_[row] != UINT32_MAX;
    }
    double w;
    if (parse_number(cell, w) != cell_kind::number || w < 0) return false;
    weights_[row] = w;
    return true;
  }

  // The id of a label, in first-appearance order. The first few labels are found by a linear scan
  // (a classification target has few classes, and hashing a string per row costs more).
  std::uint32_t label_id(std::string_view label, range_result& res) {
    for (std::size_t i = 0; i < res.labels.size() && i < 8; ++i)
      if (res.labels[i] == label) return static_cast<std::uint32_t>(i);
    auto it = ids_.find(std::string(label));
    if (it == ids_.end()) {
      if (res.labels.size() >= (1u << 16)) return UINT32_MAX;
      it = ids_.emplace(std::string(label), static_cast<std::uint32_t>(res.labels.size())).first;
      res.labels.emplace_back(label);
    }
    return it->second;
  }


  const column_roles& roles_;
  char delim_, term_;
  double* X_;
  std::uint32_t* label_index_;
  double* weights_;
  std::size_t d_;
  std::vector<long> role_;  // feature index, -1 ignored, -2 target, -3 weight
  std::vector<char> expect_;  // the character after each column's cell: the delimiter, or the line end
  std::unordered_map<std::string, std::uint32_t> ids_;
};

}  // namespace

namespace {
std::atomic<int> requested_level{static_cast<int>(csv_parser_level::best)};

#ifdef LOGREG_SIMD_CSV
// Whether to use the SSE parser: asked for (as it is by default) and this CPU has it.
bool use_simd() {
  return requested_level.load(std::memory_order_relaxed) >= static_cast<int>(csv_parser_level::sse) && simd_supported();
}
#endif
}  // namespace

void set_csv_parser_level(csv_parser_level level) { requested_level = static_cast<int>(level); }

namespace {

// The part both fast paths share: the file mapped once, cut into byte ranges at line ends, and the
// records of every range counted (pass 1), so that each range's rows have a fixed place.
class record_ranges {
 public:
  // Maps the file, cuts it and counts its records; false when the fast path cannot take it (then
  // nothing else is used).
  bool open(const std::string& path, std::size_t data_start, std::size_t file_size, int threads) {
#ifdef LOGREG_SIMD_CSV
    simd = use_simd();
#endif
    return cut(path, data_start, file_size, threads) && count();
  }

  // Runs fn(range, reporting) for every range on T threads, each taking the next range when done
  // with one; `reporting` is true on the calling thread (the one that may report progress).
  template <class Fn>
  void on_threads(Fn&& fn) {
    std::atomic<std::size_t> next{0};
    auto work = [&](bool reporting) {
      const bool read = survive_sigbus([&] {
        for (std::size_t c; (c = next.fetch_add(1)) < R && eligible.load(std::memory_order_relaxed);) fn(c, reporting);
      });
      if (!read) eligible = false;  // the file shrank while being read
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < T; ++t) pool.emplace_back(work, false);
    work(true);
    for (auto& t : pool) t.join();
  }

  void release(std::size_t from, std::size_t to) const { map_->release(from, to); }

  // Counts a parsed block of pass 2 and, on the reporting thread, tells `progress`.
  void advance(std::size_t bytes, std::size_t rows, bool reporting, const progress_callbacks& progress) {
    const std::size_t done = bytes_done_.fetch_add(bytes) + bytes;
    const std::size_t rows_so_far = rows_done_.fetch_add(rows) + rows;
    if (reporting && progress.on_load) progress.on_load(start + done, size, rows_so_far);
  }

 private:
  const sigbus_guard guard_;  // first: installed before the file is mapped, removed after it is unmapped
  std::unique_ptr<file_handle> file_;
  std::unique_ptr<mapped_file> map_;
  std::atomic<std::size_t> bytes_done_{0}, rows_done_{0};

 public:
  const char* text = nullptr;
  std::size_t size = 0, start = 0;
  char term = '\n';
  bool simd = false;  // the SSE parsers (count and parse)
  std::size_t T = 1, R = 1;
  std::vector<std::size_t> bounds;     // R + 1 byte offsets
  std::vector<std::size_t> first_row;  // R + 1 record numbers
  std::atomic<bool> eligible{true};

 private:
  bool cut(const std::string& path, std::size_t data_start, std::size_t file_size, int threads) {
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

  // Pass 1 (parallel): count records; refuse quotes, NUL bytes, a CR that does not start a CRLF (a
  // lone CR ends a line for the full reader) and, in a CR-only file, any LF. Fills first_row; false
  // when the file has something the fast path does not take, or no records.
  // The file's pages stay mapped for pass 2, which drops them block by block as it goes (mapped
  // file pages count in the resident set).
  bool count() {
    std::vector<std::size_t> rows(R, 0);
    auto count_range = [&](std::size_t c, bool) {
      std::size_t n = 0;
      bool ok = true;
      for (std::size_t at = bounds[c]; ok && at < bounds[c + 1] && eligible.load(std::memory_order_relaxed);
           at += block_bytes) {
        const std::size_t len = std::min(block_bytes, bounds[c + 1] - at);
        const char* b = text + at;
        map_->populate(at, at + len);
        std::size_t block_rows = 0;
#ifdef LOGREG_SIMD_CSV
        if (simd)
          ok = scan_records(b, len, term, block_rows);
        else
#endif
          ok = scan_records_scalar(b, len, term, block_rows);
        n += block_rows;
        // A CR that ends the block must start a CRLF.
        if (term == '\n' && b[len - 1] == '\r' && at + len < bounds[c + 1] && b[len] != '\n') ok = false;
      }
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

};

}  // namespace

bool load_parallel(const std::string& path, std::size_t data_start, std::size_t file_size, const column_roles& roles,
                   char delimiter, int threads, labelled_data& out, const progress_callbacks& progress) {
  record_ranges ranges;
  if (!ranges.open(path, data_start, file_size, threads)) return false;
  const std::size_t d = roles.features.size();
  const char term = ranges.term;
  const char* const text = ranges.text;
  const std::size_t R = ranges.R;
  const std::vector<std::size_t>& bounds = ranges.bounds;
  std::atomic<bool>& eligible = ranges.eligible;
  const std::vector<std::size_t>& first_row = ranges.first_row;
  const std::size_t n = first_row[R];
  std::vector<range_result> results(R);

  arma::mat X(d, n, arma::fill::none);
  std::vector<std::uint32_t> label_index(n);
  arma::vec weights(roles.weight == SIZE_MAX ? 0 : n);

  // Pass 2 (parallel): parse each range into its columns, in blocks of whole records (progress is
  // reported per block). The parsers read up to 64 bytes past a block's end, so records that end
  // within 64 bytes of the end of the file are parsed from a padded copy.
  const std::size_t in_place_end = file_size > 64 ? file_size - 64 : 0;
  auto parse_range = [&](std::size_t c, bool reporting) {
    range_result& res = results[c];
    range_parser parser(roles, delimiter, term, X.memptr(), label_index.data(), weights.memptr(), d);
    std::size_t row = first_row[c], at = bounds[c];
    const std::size_t end = bounds[c + 1];
    // Rows per byte of this range, to map the matrix's pages a block ahead of the parser.
    const double rows_per_byte = end > at ? static_cast<double>(first_row[c + 1] - row) / static_cast<double>(end - at) : 0;
    std::size_t populated = row;  // rows whose pages are mapped
    auto parse = [&](const char* p, const char* q) {
#ifdef LOGREG_SIMD_CSV
      if (ranges.simd) return parser.parse_records_simd(p, q, row, first_row[c + 1], res);
#endif
      return parser.parse_records(p, q, row, first_row[c + 1], res);
    };
    while (at < end) {
      const std::size_t row_before = row;
      const std::size_t limit = std::min({end, in_place_end, at + block_bytes});
      const char* stop = nullptr;  // just after the last line end in [at, limit)
      if (populated < first_row[c + 1]) {
        const std::size_t ahead = std::min(first_row[c + 1], row + 64 + static_cast<std::size_t>(rows_per_byte * block_bytes));
        if (ahead > populated) {
          populate_for_writing(X.colptr(populated), (ahead - populated) * d * sizeof(double));
          populated = ahead;
        }
      }
      if (limit > at) {
        stop = static_cast<const char*>(memrchr(text + at, term, limit - at));
        if (!stop && limit == at + block_bytes)  // a record longer than a block
          stop = static_cast<const char*>(std::memchr(text + limit, term, std::min(end, in_place_end) - limit));
      }
      std::size_t upto;
      bool parsed;
      if (stop) {
        upto = static_cast<std::size_t>(stop - text) + 1;
        parsed = parse(text + at, text + upto);
        ranges.release(at, upto);
      } else {  // the tail of the file: a padded copy, the last record given its line end
        std::vector<char> tail(text + at, text + end);
        if (tail.back() != term) tail.push_back(term);
        const std::size_t records = tail.size();
        tail.resize(records + 64);
        upto = end;
        parsed = parse(tail.data(), tail.data() + records);
      }
      if (!parsed || !eligible.load(std::memory_order_relaxed)) {
        res.ok = false;
        eligible = false;
        return;
      }
      ranges.advance(upto - at, row - row_before, reporting, progress);
      at = upto;
    }
    if (row != first_row[c + 1]) res.ok = false;
  };
  ranges.on_threads(parse_range);
  if (!eligible) return false;
  for (const range_result& r : results)
    if (!r.ok) return false;

  // Labels: ranges in file order give the global first-appearance order.
  text_dictionary labels;
  for (std::size_t c = 0; c < R; ++c) {
    std::vector<std::uint32_t> remap;
    for (const std::string& l : results[c].labels) remap.push_back(labels.id(l));
    for (std::size_t i = first_row[c]; i < first_row[c + 1]; ++i) label_index[i] = remap[label_index[i]];
  }
  if (labels.texts.size() > (1u << 16)) return false;
  out.X = std::move(X);
  out.labels = std::move(labels.texts);
  out.label_index = std::move(label_index);
  out.weights = std::move(weights);
  out.bytes = file_size;
  if (progress.on_load) progress.on_load(file_size, file_size, n);
  return true;
}

}  // namespace logreg::detail

namespace logreg::detail {

namespace {

// Parses the records of one byte range of a typed file (whole records, each ending with the line
// end) into out at records [row, row_limit). Dictionaries are the range's own (ids local to it).
class typed_range_parser {
 public:
  typed_range_parser(const column_roles& roles, const typed_rules& rules, char delim, char term, typed_cells& out)
      : roles_(roles), rules_(rules), delim_(delim), term_(term), out_(out), role_(column_role_table(roles)),
        dict_(roles.features.size()) {}

  bool parse(const char* p, const char* end, std::size_t& row, std::size_t row_limit) {
    const std::size_t columns = roles_.n_columns;
    const bool crlf = term_ == '\n';
    const row_encoder& na = *rules_.na;
    while (p < end) {
      if (row >= row_limit) return false;
      std::uint8_t missing = 0;
      std::string_view label;
      for (std::size_t k = 0; k < columns; ++k) {
        const char* f = p;
        while (f < end && *f != delim_ && *f != term_) ++f;
        if (f == end) return false;
        const bool last = k + 1 == columns;
        if (*f != (last ? term_ : delim_)) return false;  // too few or too many fields
        const char* cell_end = (last && crlf && f > p && f[-1] == '\r') ? f - 1 : f;
        const std::string_view cell(p, static_cast<std::size_t>(cell_end - p));
        p = f + 1;
        const long role = role_[k];
        if (role >= 0) {
          const std::size_t j = static_cast<std::size_t>(role);
          if (na.is_missing(cell)) {
            if (!rules_.missing_allowed) return false;
            missing |= missing_feature;
            if (rules_.categorical[j])
              out_.ids[j][row] = missing_cell_id;
            else
              out_.values[j][row] = std::numeric_limits<double>::quiet_NaN();
          } else if (rules_.categorical[j]) {
            out_.ids[j][row] = dict_[j].id(cell);
          } else if (parse_number(cell, out_.values[j][row]) != cell_kind::number) {
            return false;  // text in a numeric column, or a non-finite number: the sequential reader decides
          }
        } else if (role == -2) {
          if (na.is_missing(cell)) {
            if (!rules_.missing_rows_allowed) return false;
            missing |= missing_label;
          }
          label = cell;
        } else if (role == -3) {
          double w = 0;
          if (na.is_missing(cell) && rules_.missing_rows_allowed) {
            missing |= missing_weight;
            w = std::numeric_limits<double>::quiet_NaN();
          } else if (parse_number(cell, w) != cell_kind::number || w < 0) {
            return false;
          }
          out_.weights[row] = w;
        }
      }
      out_.has_missing[row] = missing;
      // A row that --missing drop leaves out does not name a class (as in the sequential reader).
      if (missing != 0 && rules_.missing_rows_allowed) {
        out_.label_index[row] = missing_cell_id;
      } else {
        out_.label_index[row] = labels_.id(label, std::size_t{1} << 16);
        if (out_.label_index[row] == missing_cell_id) return false;  // too many classes
      }
      ++row;
    }
    return true;
  }

  std::vector<text_dictionary>& dictionaries() { return dict_; }
  text_dictionary& labels() { return labels_; }

 private:
  const column_roles& roles_;
  const typed_rules& rules_;
  char delim_, term_;
  typed_cells& out_;
  std::vector<long> role_;
  std::vector<text_dictionary> dict_;  // per feature (used by the categorical ones)
  text_dictionary labels_;
};

}  // namespace

bool load_parallel_typed(const std::string& path, std::size_t data_start, std::size_t file_size,
                         const column_roles& roles, const typed_rules& rules, char delimiter, int threads,
                         typed_cells& out, const progress_callbacks& progress) {
  record_ranges ranges;
  if (!ranges.open(path, data_start, file_size, threads)) return false;
  const std::size_t R = ranges.R, d = roles.features.size();
  const std::vector<std::size_t>& first_row = ranges.first_row;
  const std::size_t n = first_row[R];
  out = typed_cells{};
  out.records = n;
  out.values.resize(d);
  out.ids.resize(d);
  out.texts.resize(d);
  for (std::size_t j = 0; j < d; ++j) {
    if (rules.categorical[j])
      out.ids[j].resize(n);
    else
      out.values[j].resize(n);
  }
  out.label_index.resize(n);
  out.has_missing.resize(n);
  if (roles.weight != SIZE_MAX) out.weights.resize(n);

  // Pass 2 (parallel): each range's records into their places, in blocks of whole records.
  std::vector<std::unique_ptr<typed_range_parser>> parsers(R);
  const char* const text = ranges.text;
  const char term = ranges.term;
  auto parse_range = [&](std::size_t c, bool reporting) {
    parsers[c] = std::make_unique<typed_range_parser>(roles, rules, delimiter, term, out);
    typed_range_parser& parser = *parsers[c];
    std::size_t row = first_row[c], at = ranges.bounds[c];
    const std::size_t end = ranges.bounds[c + 1];
    while (at < end) {
      const std::size_t row_before = row;
      const std::size_t limit = std::min(end, at + block_bytes);
      const char* stop = static_cast<const char*>(memrchr(text + at, term, limit - at));
      if (!stop && limit < end) stop = static_cast<const char*>(std::memchr(text + limit, term, end - limit));
      std::size_t upto;
      bool parsed;
      if (stop) {
        upto = static_cast<std::size_t>(stop - text) + 1;
        parsed = parser.parse(text + at, text + upto, row, first_row[c + 1]);
        ranges.release(at, upto);
      } else {  // the file's last record, without a line end: a copy given one
        std::string last(text + at, text + end);
        last.push_back(term);
        upto = end;
        parsed = parser.parse(last.data(), last.data() + last.size(), row, first_row[c + 1]);
      }
      if (!parsed || !ranges.eligible.load(std::memory_order_relaxed)) {
        ranges.eligible = false;
        return;
      }
      ranges.advance(upto - at, row - row_before, reporting, progress);
      at = upto;
    }
    if (row != first_row[c + 1]) ranges.eligible = false;
  };
  ranges.on_threads(parse_range);
  if (!ranges.eligible) return false;

  // The ranges' dictionaries in file order give the global first-appearance order.
  std::vector<text_dictionary> global(d);
  text_dictionary labels;
  for (std::size_t c = 0; c < R; ++c) {
    typed_range_parser& parser = *parsers[c];
    std::vector<std::uint32_t> label_map;
    for (const std::string& l : parser.labels().texts) label_map.push_back(labels.id(l));
    if (labels.texts.size() > (std::size_t{1} << 16)) return false;
    for (std::size_t i = first_row[c]; i < first_row[c + 1]; ++i)
      if (out.label_index[i] != missing_cell_id) out.label_index[i] = label_map[out.label_index[i]];
    for (std::size_t j = 0; j < d; ++j) {
      if (!rules.categorical[j]) continue;
      std::vector<std::uint32_t> map;
      for (const std::string& t : parser.dictionaries()[j].texts) map.push_back(global[j].id(t));
      std::uint32_t* ids = out.ids[j].data();
      for (std::size_t i = first_row[c]; i < first_row[c + 1]; ++i)
        if (ids[i] != missing_cell_id) ids[i] = map[ids[i]];
    }
  }
  for (std::size_t j = 0; j < d; ++j) out.texts[j] = std::move(global[j].texts);
  out.labels = std::move(labels.texts);
  if (progress.on_load) progress.on_load(file_size, file_size, n);
  return true;
}

}  // namespace logreg::detail
