#include "io/libsvm_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "base/text.hpp"
#include "logreg/encoding.hpp"
#include "logreg/error.hpp"
#include "io/number_parser.hpp"
#include "base/parallel.hpp"

namespace logreg {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// The first problem of a part: where (line within the part, 1-based token, index or 0) and what.
struct part_error {
  bool found = false;
  std::size_t line = 0, token = 0;
  std::uint32_t index = 0;
  std::string message;
};

std::string quoted(const char* p, const char* e) { return quoted_text(std::string_view(p, static_cast<std::size_t>(e - p))); }

const char* token_end(const char* p, const char* e) {
  while (p < e && !is_space(*p)) ++p;
  return p;
}

// Parses the lines of [p, end) into `out`; `lines` receives the number of lines seen. Stops at the
// first problem and describes it in `err`.
void parse_part(const char* p, const char* end, libsvm_rows& out, std::size_t& lines, part_error& err) {
  std::size_t line = 0;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* next = nl ? nl + 1 : end;
    const char* e = nl ? nl : end;
    if (const void* hash = std::memchr(p, '#', static_cast<std::size_t>(e - p))) e = static_cast<const char*>(hash);
    auto fail = [&](std::size_t token, std::uint32_t index, std::string message) {
      err = {true, line, token, index, std::move(message)};
      lines = line;
    };
    const char* q = p;
    while (q < e && is_space(*q)) ++q;
    if (q == e) {  // blank, or a comment only
      ++line;
      p = next;
      continue;
    }
    const char* label_begin = q;
    const char* label_end = token_end(q, e);
    if (std::memchr(q, ':', static_cast<std::size_t>(label_end - q))) {
      fail(1, 0, "expected the label first, found " + quoted(q, label_end) + " (a line is LABEL INDEX:VALUE ...)");
      return;
    }
    std::size_t token = 1;
    std::uint32_t previous = 0;
    q = label_end;
    for (;;) {
      while (q < e && is_space(*q)) ++q;
      if (q == e) break;
      ++token;
      const char* t = q;
      std::uint64_t index = 0;
      const char* r = t;
      while (r < e && static_cast<unsigned char>(*r - '0') < 10 && r - t < 11) index = index * 10 + static_cast<unsigned>(*r++ - '0');
      if (r == t || r == e || *r != ':' || index == 0 || index > libsvm_max_index) {
        const char* te = token_end(t, e);
        const bool qid = te - t >= 4 && std::memcmp(t, "qid:", 4) == 0;
        if (qid && token == 2) {  // svmlight's query id: ignored
          q = te;
          continue;
        }
        if (qid)
          fail(token, 0, "a qid: token may only follow the label, found " + quoted(t, te));
        else if (!std::memchr(t, ':', static_cast<std::size_t>(te - t)))
          fail(token, 0, "expected INDEX:VALUE, found " + quoted(t, te));
        else
          fail(token, 0, "expected INDEX:VALUE with INDEX a whole number from 1 to " + std::to_string(libsvm_max_index) +
                             ", found " + quoted(t, te));
        return;
      }
      const auto idx = static_cast<std::uint32_t>(index);
      if (idx <= previous) {
        fail(token, idx, "feature indices must increase within a line, but " + std::to_string(idx) + " follows " +
                             std::to_string(previous));
        return;
      }
      previous = idx;
      const char* v = r + 1;
      double x;
      const char* ve = parse_simple_decimal(v, e, x);
      if (!ve || (ve < e && !is_space(*ve))) {
        ve = token_end(v, e);
        const cell_kind kind = parse_number(std::string_view(v, static_cast<std::size_t>(ve - v)), x);
        if (kind != cell_kind::number) {
          fail(token, idx,
               kind == cell_kind::empty        ? std::string("expected a number after ':', found nothing")
               : kind == cell_kind::non_finite ? "expected a finite number, found " + quoted(v, ve)
                                               : "expected a number, found " + quoted(v, ve));
          return;
        }
      }
      if (x != 0) {
        out.col.push_back(idx - 1);
        out.val.push_back(x);
      }
      q = ve;
    }
    out.max_index = std::max(out.max_index, previous);
    out.row_ptr.push_back(out.col.size());
    out.label.emplace_back(label_begin, static_cast<std::size_t>(label_end - label_begin));
    out.line.push_back(line);
    ++line;
    p = next;
  }
  lines = line;
}

}  // namespace

libsvm_reader::libsvm_reader(const std::string& path, std::size_t block_bytes, std::size_t from, std::size_t to)
    : block_bytes_(std::max<std::size_t>(block_bytes, 64)) {
  if (path.empty() || path == "-") {
    fd_ = 0;
    source_ = "<stdin>";
  } else {
    source_ = path;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw data_error(path + ": cannot open: " + std::strerror(errno));
    owns_fd_ = true;
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      if (owns_fd_) ::close(fd_);
      throw data_error(source_ + ": is a directory, not a libsvm file");
    }
    if (S_ISREG(st.st_mode)) total_bytes_ = static_cast<std::size_t>(st.st_size);
  }
  if (from > 0 || to != SIZE_MAX) {  // a range of a regular file
    to = std::min(to, total_bytes_);
    from = std::min(from, to);
    if (::lseek(fd_, static_cast<off_t>(from), SEEK_SET) < 0) {
      if (owns_fd_) ::close(fd_);
      throw data_error(source_ + ": cannot seek to byte " + std::to_string(from) + ": " + std::strerror(errno));
    }
    left_ = to - from;
    total_bytes_ = left_;
  }
  buf_.resize(block_bytes_);
}

libsvm_reader::~libsvm_reader() {
  if (owns_fd_) ::close(fd_);
}

bool libsvm_reader::read_more() {
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  for (;;) {
    const ssize_t got = left_ == 0 ? 0 : ::read(fd_, buf_.data() + end_, std::min(buf_.size() - end_, left_));
    if (got > 0) {
      end_ += static_cast<std::size_t>(got);
      if (left_ != SIZE_MAX) left_ -= static_cast<std::size_t>(got);
      return true;
    }
    if (got == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR) continue;
    throw data_error(source_ + ": read error: " + std::strerror(errno));
  }
}

const std::vector<libsvm_rows>& libsvm_reader::next_block(int threads) {
  if (begin_ > 0) {  // keep the unread tail (the start of a line) at the front
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  while (!eof_ && end_ < block_bytes_) read_more();
  const char* base = buf_.data();
  const char* last = nullptr;
  for (;;) {  // whole lines only; a line longer than the buffer makes it grow
    last = end_ ? static_cast<const char*>(memrchr(buf_.data(), '\n', end_)) : nullptr;
    if (last || eof_) break;
    read_more();
  }
  base = buf_.data();
  const std::size_t upto = eof_ ? end_ : static_cast<std::size_t>(last - base) + 1;
  if (upto == 0) {
    parts_.clear();
    return parts_;
  }
  // One part per thread, split at line ends; small blocks stay on one thread.
  const int T = std::max(1, std::min<int>(threads, static_cast<int>(upto / (64 << 10)) + 1));
  std::vector<const char*> bounds{base};
  for (int t = 1; t < T; ++t) {
    const char* at = std::max(bounds.back(), base + upto * static_cast<std::size_t>(t) / static_cast<std::size_t>(T));
    const char* hit = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(base + upto - at)));
    bounds.push_back(hit ? hit + 1 : base + upto);
  }
  bounds.push_back(base + upto);
  parts_.resize(static_cast<std::size_t>(T));
  std::vector<std::size_t> lines(static_cast<std::size_t>(T), 0);
  std::vector<part_error> errors(static_cast<std::size_t>(T));
  run_parallel(T, [&](int t) {
    const auto k = static_cast<std::size_t>(t);
    libsvm_rows& part = parts_[k];
    part.row_ptr.assign(1, 0);
    part.col.clear();
    part.val.clear();
    part.label.clear();
    part.line.clear();
    part.max_index = 0;
    parse_part(bounds[k], bounds[k + 1], part, lines[k], errors[k]);
  });
  std::size_t line = next_line_;
  for (std::size_t k = 0; k < parts_.size(); ++k) {
    const part_error& e = errors[k];
    if (e.found) {
      std::string place = source_ + ":" + std::to_string(line + e.line) + ":" + std::to_string(e.token);
      if (e.index) place += " (index " + std::to_string(e.index) + ")";
      throw data_error(place + ": " + e.message);
    }
    for (std::size_t& l : parts_[k].line) l += line;
    rows_ += parts_[k].rows();
    line += lines[k];
  }
  next_line_ = line;
  begin_ = upto;
  consumed_ += upto;
  return parts_;
}

namespace {

labelled_sparse_data read_libsvm(libsvm_reader& reader, const progress_callbacks& progress) {
  labelled_sparse_data data;
  data.source = reader.source();
  csr_matrix& X = data.X;
  std::unordered_map<std::string, std::uint32_t> ids;
  std::string key;
  std::uint32_t max_index = 0;
  bool reserved = false;
  for (;;) {
    const std::vector<libsvm_rows>& parts = reader.next_block(thread_count());
    if (parts.empty()) break;
    for (const libsvm_rows& part : parts) {
      const std::size_t offset = X.col.size();
      X.col.insert(X.col.end(), part.col.begin(), part.col.end());
      X.val.insert(X.val.end(), part.val.begin(), part.val.end());
      for (std::size_t r = 0; r < part.rows(); ++r) {
        X.row_ptr.push_back(offset + part.row_ptr[r + 1]);
        key.assign(part.label[r]);
        auto it = ids.find(key);
        if (it == ids.end()) {
          const std::string place = data.source + ":" + std::to_string(part.line[r]) + ":1";
          // A missing-value marker is a missing label, never a class (libsvm has no --missing).
          for (const std::string& na : default_na_values())
            if (key == na)
              throw data_error(place + ": the label is missing (" + quoted_text(key) +
                               "); every line needs a label");
          if (const std::string problem = label_text_problem(key); !problem.empty())
            throw data_error(place + ": " + problem);
          if (ids.size() == 65536)
            throw data_error(data.source + ":" + std::to_string(part.line[r]) +
                             ":1: more than 65536 distinct labels; they do not look like class labels");
          it = ids.emplace(key, static_cast<std::uint32_t>(data.labels.size())).first;
          data.labels.push_back(key);
        }
        data.label_index.push_back(it->second);
      }
      max_index = std::max(max_index, part.max_index);
    }
    // From the first block on, reserve what the whole file will need (its non-zeros per byte so far),
    // so that the arrays are not reallocated (and briefly held twice) while growing.
    if (!reserved && reader.total_bytes() > reader.bytes_consumed()) {
      const double grow = static_cast<double>(reader.total_bytes()) / static_cast<double>(reader.bytes_consumed()) * 1.02;
      X.col.reserve(static_cast<std::size_t>(static_cast<double>(X.col.size()) * grow) + 1024);
      X.val.reserve(X.col.capacity());
      X.row_ptr.reserve(static_cast<std::size_t>(static_cast<double>(X.row_ptr.size()) * grow) + 1024);
      data.label_index.reserve(X.row_ptr.capacity());
    }
    reserved = true;
    if (progress.on_load) progress.on_load(reader.bytes_consumed(), reader.total_bytes(), reader.rows());
  }
  X.n_rows = data.label_index.size();
  X.n_cols = max_index;
  data.bytes = reader.bytes_consumed();
  return data;
}

}  // namespace

labelled_sparse_data load_labelled_libsvm(const std::string& path, const progress_callbacks& progress,
                                          std::size_t block_bytes) {
  libsvm_reader reader(path, block_bytes);
  labelled_sparse_data data = read_libsvm(reader, progress);
  if (data.X.n_rows == 0)
    throw data_error(data.source + ": no data rows (the input is empty or holds only blank and comment lines)");
  return data;
}

labelled_sparse_data load_libsvm_range(const std::string& path, std::size_t from, std::size_t to,
                                       const progress_callbacks& progress) {
  libsvm_reader reader(path, 4 << 20, from, to);
  return read_libsvm(reader, progress);
}

}  // namespace logreg
