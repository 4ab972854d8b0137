#include "parallel_csv_loader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fast_float/fast_float.h>
#include <thread>
#include <unordered_map>

#include "logreg/number_parser.hpp"

namespace logreg::detail {

namespace {

constexpr std::size_t block_bytes = 4 << 20;

struct file_handle {
  int fd = -1;
  explicit file_handle(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~file_handle() {
    if (fd >= 0) ::close(fd);
  }
};

// Fresh memory is faulted in page by page as it is first written; 2 MB pages make that ~500x fewer
// faults for a large matrix (where the kernel allows transparent huge pages on request).
void advise_huge_pages(void* p, std::size_t bytes) {
  const std::uintptr_t page = 2 << 20;
  const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(page - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
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

// Scans [begin, end) in blocks, calling fn(block, length) for each.
template <class Fn>
bool for_each_block(int fd, std::size_t begin, std::size_t end, std::vector<char>& buf, Fn&& fn) {
  buf.resize(block_bytes);
  for (std::size_t at = begin; at < end; at += block_bytes) {
    const std::size_t len = std::min(block_bytes, end - at);
    if (!read_at(fd, buf.data(), len, at)) return false;
    if (!fn(buf.data(), len)) return false;
  }
  return true;
}

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
    role_.assign(roles.n_columns, -1);
    for (std::size_t j = 0; j < roles.features.size(); ++j) role_[roles.features[j]] = static_cast<long>(j);
    role_[roles.target] = -2;
    if (roles.weight != SIZE_MAX) role_[roles.weight] = -3;
  }

  // Parses complete records in [p, end); returns false on anything the fast path does not take.
  bool parse_records(const char* p, const char* end, std::size_t& row, range_result& res) {
    while (p < end) {
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
          if (role == -3) {
            double w;
            if (parse_number(std::string_view(p, static_cast<std::size_t>(cell_end - p)), w) != cell_kind::number || w < 0)
              return false;
            weights_[row] = w;
          }
          if (role == -2) {
            const std::string_view label(p, static_cast<std::size_t>(cell_end - p));
            if (label.empty()) return false;
            label_index_[row] = label_id(label, res);
            if (label_index_[row] == UINT32_MAX) return false;
          }
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

 private:
  std::uint32_t label_id(std::string_view label, range_result& res) {
    if (!last_label_.empty() && label == last_label_) return last_id_;
    auto it = ids_.find(std::string(label));
    if (it == ids_.end()) {
      if (res.labels.size() >= (1u << 16)) return UINT32_MAX;
      it = ids_.emplace(std::string(label), static_cast<std::uint32_t>(res.labels.size())).first;
      res.labels.emplace_back(label);
    }
    last_label_ = it->first;
    last_id_ = it->second;
    return it->second;
  }

  const column_roles& roles_;
  char delim_, term_;
  double* X_;
  std::uint32_t* label_index_;
  double* weights_;
  std::size_t d_;
  std::vector<long> role_;  // feature index, -1 ignored, -2 target
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::string last_label_;
  std::uint32_t last_id_ = 0;
};

}  // namespace

bool load_parallel(const std::string& path, std::size_t data_start, std::size_t file_size, const column_roles& roles,
                   char delimiter, int threads, labelled_data& out, const progress_callbacks& progress) {
  file_handle file(path);
  if (file.fd < 0 || data_start >= file_size || data_start == 0) return false;
  // The header's line end says which line end the file uses.
  char before[1];
  if (!read_at(file.fd, before, 1, data_start - 1)) return false;
  const char term = before[0];
  if (term != '\n' && term != '\r') return false;
  const std::size_t d = roles.features.size();

  // Byte ranges: nominal equal splits, each moved forward to just after a line end.
  const std::size_t T = static_cast<std::size_t>(std::max(1, threads));
  const std::size_t span = file_size - data_start;
  std::vector<std::size_t> bounds{data_start};
  {
    std::vector<char> probe(1 << 16);
    for (std::size_t c = 1; c < T; ++c) {
      std::size_t at = std::max(bounds.back(), data_start + span * c / T);
      std::size_t found = file_size;
      while (at < file_size) {
        const std::size_t len = std::min(probe.size(), file_size - at);
        if (!read_at(file.fd, probe.data(), len, at)) return false;
        const void* hit = std::memchr(probe.data(), term, len);
        if (hit) {
          found = at + static_cast<std::size_t>(static_cast<const char*>(hit) - probe.data()) + 1;
          break;
        }
        at += len;
      }
      bounds.push_back(found);
    }
    bounds.push_back(file_size);
  }

  // Pass 1 (parallel): count records, refuse quotes and the other line-end character.
  const char other = term == '\n' ? '\0' : '\n';  // CR-only files must not contain LF
  std::vector<range_result> results(T);
  std::atomic<bool> eligible{true};
  auto count_range = [&](std::size_t c) {
    std::vector<char> buf;
    std::size_t rows = 0;
    char last = term;
    bool pending_cr = false;  // the previous block ended with a CR: this one must start with LF
    const bool ok = for_each_block(file.fd, bounds[c], bounds[c + 1], buf, [&](const char* b, std::size_t len) {
      if (std::memchr(b, '"', len) || (other && std::memchr(b, other, len))) return false;
      if (term == '\n') {  // every CR must start a CRLF: a lone CR ends a line for the full reader
        if (pending_cr && b[0] != '\n') return false;
        for (const char* p = b; (p = static_cast<const char*>(std::memchr(p, '\r', static_cast<std::size_t>(b + len - p))));) {
          if (p + 1 < b + len && p[1] != '\n') return false;
          ++p;
        }
        pending_cr = b[len - 1] == '\r';
      }
      rows += count_byte(b, len, term);
      last = b[len - 1];
      return eligible.load(std::memory_order_relaxed);
    });
    if (bounds[c + 1] > bounds[c] && last != term) ++rows;  // the last record may lack a line end
    results[c].rows = rows;
    if (!ok) eligible = false;
  };
  {
    std::vector<std::thread> pool;
    for (std::size_t c = 1; c < T; ++c) pool.emplace_back(count_range, c);
    count_range(0);
    for (auto& t : pool) t.join();
  }
  if (!eligible) return false;
  std::vector<std::size_t> first_row(T + 1, 0);
  for (std::size_t c = 0; c < T; ++c) first_row[c + 1] = first_row[c] + results[c].rows;
  const std::size_t n = first_row[T];
  if (n == 0) return false;

  arma::mat X(d, n, arma::fill::none);
  advise_huge_pages(X.memptr(), X.n_elem * sizeof(double));
  std::vector<std::uint32_t> label_index(n);
  arma::vec weights(roles.weight == SIZE_MAX ? 0 : n);

  // Pass 2 (parallel): parse each range into its columns.
  std::atomic<std::size_t> bytes_done{0};
  auto parse_range = [&](std::size_t c) {
    range_result& res = results[c];
    range_parser parser(roles, delimiter, term, X.memptr(), label_index.data(), weights.memptr(), d);
    // The parser may read up to 8 bytes past the last line end: keep that much padding after `have`.
    constexpr std::size_t pad = 8;
    std::vector<char> buf(block_bytes + 1 + pad);
    std::size_t row = first_row[c], have = 0, at = bounds[c];
    const std::size_t end = bounds[c + 1];
    while (at < end || have > 0) {
      const std::size_t len = std::min(buf.size() - pad - have, end - at);
      if (len > 0 && !read_at(file.fd, buf.data() + have, len, at)) {
        res.ok = false;
        return;
      }
      at += len;
      have += len;
      // Complete records only: up to the last line end (or the end of the range).
      std::size_t upto = have;
      if (at < end) {
        const char* last = static_cast<const char*>(memrchr(buf.data(), term, have));
        if (!last) {  // one record longer than the buffer
          buf.resize(buf.size() * 2 + pad);
          continue;
        }
        upto = static_cast<std::size_t>(last - buf.data()) + 1;
      } else if (buf[have - 1] != term) {
        buf.resize(std::max(buf.size(), have + 1 + pad));
        buf[have++] = term;  // give the final record its line end
        upto = have;
      }
      if (row + count_byte(buf.data(), upto, term) > first_row[c + 1] ||
          !parser.parse_records(buf.data(), buf.data() + upto, row, res) || !eligible.load(std::memory_order_relaxed)) {
        res.ok = false;
        eligible = false;
        return;
      }
      std::memmove(buf.data(), buf.data() + upto, have - upto);
      have -= upto;
      const std::size_t done = bytes_done.fetch_add(upto) + upto;
      if (c == 0 && progress.on_load) progress.on_load(data_start + done, file_size, row);
      if (at >= end && have == 0) break;
    }
    if (row != first_row[c + 1]) res.ok = false;
  };
  {
    std::vector<std::thread> pool;
    for (std::size_t c = 1; c < T; ++c) pool.emplace_back(parse_range, c);
    parse_range(0);
    for (auto& t : pool) t.join();
  }
  for (const range_result& r : results)
    if (!r.ok) return false;

  // Labels: ranges in file order give the global first-appearance order.
  std::vector<std::string> labels;
  std::unordered_map<std::string, std::uint32_t> global;
  for (std::size_t c = 0; c < T; ++c) {
    std::vector<std::uint32_t> remap;
    for (const std::string& l : results[c].labels) {
      auto it = global.find(l);
      if (it == global.end()) {
        it = global.emplace(l, static_cast<std::uint32_t>(labels.size())).first;
        labels.push_back(l);
      }
      remap.push_back(it->second);
    }
    for (std::size_t i = first_row[c]; i < first_row[c + 1]; ++i) label_index[i] = remap[label_index[i]];
  }
  if (labels.size() > (1u << 16)) return false;
  out.X = std::move(X);
  out.labels = std::move(labels);
  out.label_index = std::move(label_index);
  out.weights = std::move(weights);
  out.bytes = file_size;
  if (progress.on_load) progress.on_load(file_size, file_size, n);
  return true;
}

}  // namespace logreg::detail
