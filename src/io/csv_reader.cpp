#include "io/csv_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "base/text.hpp"
#include "io/text_hash.hpp"
#include "logreg/error.hpp"

namespace logreg {

std::string cell_place(const std::string& source, std::size_t line, std::size_t field,
                       std::string_view column_name) {
  std::string s = source + ":" + std::to_string(line) + ":" + std::to_string(field + 1);
  if (!column_name.empty()) s += " (column '" + printable(column_name) + "')";
  return s;
}

csv_reader::csv_reader(const std::string& path, csv_dialect dialect, std::size_t block_size,
                       const std::string& display_name)
    : dialect_(dialect) {
  // Checked before the file is opened: a constructor that throws runs no destructor to close it.
  if (dialect_.delimiter == '"' || dialect_.delimiter == '\n' || dialect_.delimiter == '\r')
    throw usage_error("--delimiter: a quote or a line break cannot be the delimiter");
  if (path.empty() || path == "-") {
    fd_ = 0;
    source_ = "<stdin>";
  } else {
    source_ = path;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw data_error(path + ": cannot open: " + std::strerror(errno));
    owns_fd_ = true;
  }
  if (!display_name.empty()) source_ = display_name;
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) total_bytes_ = static_cast<std::size_t>(st.st_size);
  if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (owns_fd_) ::close(fd_);
    throw data_error(source_ + ": is a directory, not a CSV file");
  }
  // A regular file smaller than a block is read with a buffer of its size (the buffer grows when a
  // record needs more): reading a small file costs no zeroed megabytes.
  if (total_bytes_ > 0 && total_bytes_ < block_size) block_size = total_bytes_ + 1;
  buf_.resize(block_size < 4096 ? 4096 : block_size);
}

csv_reader::~csv_reader() {
  if (owns_fd_) ::close(fd_);
}

void csv_reader::refill() {
  // Keep the unread tail (the start of a record), grow the buffer when one record fills it.
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    consumed_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  // One record fills the buffer: four times the room (a header of millions of names is parsed again
  // after each growth, so few growths keep that near linear).
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 4);
  for (;;) {
    const ssize_t got = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (got > 0) {
      end_ += static_cast<std::size_t>(got);
      return;
    }
    if (got == 0) {
      eof_ = true;
      return;
    }
    if (errno == EINTR) continue;
    throw data_error(source_ + ": read error: " + std::strerror(errno));
  }
}

csv_reader::parse_result csv_reader::parse_record(std::vector<std::string_view>& out) {
  const char* b = buf_.data();
  std::size_t p = pos_;
  std::size_t line = next_line_;
  const char delim = dialect_.delimiter;

  if (at_start_) {  // a UTF-8 byte order mark is not part of the first field
    if (end_ - p < 3 && !eof_) return parse_result::need_more;
    if (end_ - p >= 3 && std::memcmp(b + p, "\xEF\xBB\xBF", 3) == 0) {
      p += 3;
      bom_ = true;
    }
  }
  // Skip blank lines.
  while (p < end_ && (b[p] == '\n' || b[p] == '\r')) {
    if (b[p] == '\r') {
      if (p + 1 == end_ && !eof_) return parse_result::need_more;
      if (p + 1 < end_ && b[p + 1] == '\n') ++p;
    }
    ++p;
    ++line;
  }
  if (p == end_) {
    if (!eof_) return parse_result::need_more;
    pos_ = p;
    next_line_ = line;
    at_start_ = false;
    return parse_result::end;
  }

  const std::size_t record_line = line;
  const std::size_t record_start = p;
  spans_.clear();
  scratch_.clear();
  for (;;) {  // one field per pass
    if (p < end_ && b[p] == '"') {
      ++p;
      std::size_t start = p;
      bool copied = false;  // switched to scratch_ after the first doubled quote
      std::size_t scratch_off = scratch_.size();
      for (;;) {
        if (p == end_) {
          if (!eof_) return parse_result::need_more;
          line_ = record_line;
          fail(spans_.size(), "unclosed quote: the quoted field that starts here never ends");
        }
        const char c = b[p];
        if (c == '"') {
          if (p + 1 == end_ && !eof_) return parse_result::need_more;
          if (p + 1 < end_ && b[p + 1] == '"') {  // doubled quote = one literal quote
            scratch_.append(b + start, p - start);
            scratch_.push_back('"');
            copied = true;
            p += 2;
            start = p;
            continue;
          }
          break;  // closing quote
        }
        if (c == '\n') ++line;
        if (c == '\r' && !(p + 1 < end_ && b[p + 1] == '\n')) {
          if (p + 1 == end_ && !eof_) return parse_result::need_more;
          ++line;
        }
        ++p;
      }
      if (copied) {
        scratch_.append(b + start, p - start);
        spans_.push_back({true, scratch_off, scratch_.size() - scratch_off});
      } else {
        spans_.push_back({false, start, p - start});
      }
      ++p;  // the closing quote
      if (p < end_ && b[p] != delim && b[p] != '\n' && b[p] != '\r') {
        line_ = record_line;
        fail(spans_.size() - 1, "unexpected character '" + printable(std::string_view(b + p, 1)) +
                                    "' after the closing quote of a quoted field");
      }
      if (p == end_ && !eof_) return parse_result::need_more;
    } else {
      const std::size_t start = p;
      while (p < end_ && b[p] != delim && b[p] != '\n' && b[p] != '\r') ++p;
      if (p == end_ && !eof_) return parse_result::need_more;
      spans_.push_back({false, start, p - start});
    }
    // Now at a delimiter, a line end, or the end of input.
    if (p < end_ && b[p] == delim) {
      ++p;
      continue;
    }
    if (p < end_ && b[p] == '\r') {
      if (p + 1 == end_ && !eof_) return parse_result::need_more;
      if (p + 1 < end_ && b[p + 1] == '\n') ++p;
      ++p;
      ++line;
    } else if (p < end_ && b[p] == '\n') {
      ++p;
      ++line;
    }
    break;
  }

  out.clear();
  out.reserve(spans_.size());
  for (const span& s : spans_)
    out.emplace_back(s.scratch ? scratch_.data() + s.off : b + s.off, s.len);
  record_start_ = record_start;
  pos_ = p;
  line_ = record_line;
  next_line_ = line;
  at_start_ = false;
  return parse_result::record;
}

bool csv_reader::next(std::vector<std::string_view>& fields) {
  for (;;) {
    switch (parse_record(fields)) {
      case parse_result::record:
        if (have_header_) {
          ++records_;
          if (fields.size() != header_.size()) {
            throw data_error(source_ + ":" + std::to_string(line_) + ": expected " +
                             std::to_string(header_.size()) + " fields as in the header, found " +
                             std::to_string(fields.size()));
          }
        }
        return true;
      case parse_result::end:
        return false;
      case parse_result::need_more:
        // The record is parsed again from its start with more bytes: room for its fields, at once.
        if (end_ - pos_ == buf_.size()) spans_.reserve(4 * spans_.size());
        refill();
        break;
    }
  }
}

const std::vector<std::string>& csv_reader::read_header(bool rows_required) {
  std::vector<std::string_view> fields;
  if (!next(fields)) throw data_error(source_ + ": the input is empty; expected a header row");
  if (rows_required) {
    // Nothing but blank lines after the header: fail before a string per name is made (a header of
    // millions of names took seconds and gigabytes more). Reading on into the free end of the
    // buffer moves nothing, so the views of the names stay valid. The blank lines may fill what
    // was read so far: read on while there is room and everything after the header is blank.
    const auto blank = [](char c) { return c == '\n' || c == '\r'; };
    const auto all_read = [&] { return eof_ || (total_bytes_ > 0 && consumed_ + end_ >= total_bytes_); };
    std::size_t checked = pos_;  // [pos_, checked) is blank
    for (;;) {
      checked = static_cast<std::size_t>(std::find_if_not(buf_.data() + checked, buf_.data() + end_, blank) - buf_.data());
      if (checked < end_ || all_read() || end_ == buf_.size()) break;
      const ssize_t got = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
      if (got > 0) end_ += static_cast<std::size_t>(got);
      else if (got == 0) eof_ = true;
      else if (errno != EINTR) throw data_error(source_ + ": read error: " + std::strerror(errno));
    }
    if (checked == end_ && all_read()) throw data_error(source_ + ": the header has no data rows below it");
  }
  header_.assign(fields.begin(), fields.end());
  header_line_ = line_;
  for (std::size_t i = 0; i < header_.size(); ++i) {
    const std::string& name = header_[i];
    if (name.empty()) fail(i, "empty column name in the header");
    // Names end up in the model and in every message: UTF-8, no NUL (a NUL used to cut messages
    // short and became part of a feature's name).
    if (const std::string problem = text_problem(name, "the column name"); !problem.empty()) fail(i, problem);
  }
  have_header_ = true;
  if (pos_ > 0 && buf_[pos_ - 1] == '\r') header_line_end_ = '\r';
  // The index of the names (and the check for duplicates) now, unless nothing follows the header:
  // then it waits for the first column() (a header of millions of names and no rows fails in the
  // loaders' "no data rows" check without it).
  while (pos_ == end_ && !eof_) refill();
  if (pos_ < end_) index_names();
  return header_;
}

// An open-addressing table of the names (at most half full): duplicates are found, and columns
// looked up, in constant time each, in 8 bytes per slot (a header may have millions of names).
void csv_reader::index_names() const {
  std::size_t size = 16;
  while (size < 2 * header_.size()) size *= 2;
  slots_.assign(size, 0);
  for (std::size_t i = 0; i < header_.size(); ++i) {
    const std::string& name = header_[i];
    const std::uint64_t h = detail::text_hash64(name);
    const std::size_t at = find_slot(name, h);
    if (slots_[at] != 0)  // placed as before the index was lazy: the header's line, no column name
      throw data_error(cell_place(source_, header_line_, i, {}) + ": duplicate column name '" + printable(name) +
                       "' in the header (also column " + std::to_string(static_cast<std::uint32_t>(slots_[at]) - 1 + 1) + ")");
    slots_[at] = (h >> 32 << 32) | (static_cast<std::uint64_t>(i) + 1);
  }
}

// The slot of `name`: the one that holds it, or the empty one where it would go.
std::size_t csv_reader::find_slot(std::string_view name, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const std::uint32_t tag = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const std::uint64_t slot = slots_[i];
    if (slot == 0) return i;
    if (static_cast<std::uint32_t>(slot >> 32) == tag && header_[static_cast<std::uint32_t>(slot) - 1] == name) return i;
  }
}

std::size_t csv_reader::column(const std::string& name, const std::string& what) const {
  if (slots_.empty() && have_header_) index_names();
  if (!slots_.empty()) {
    const std::uint64_t slot = slots_[find_slot(name, detail::text_hash64(name))];
    if (slot != 0) return static_cast<std::uint32_t>(slot) - 1;
  }
  return column_index(header_, name, what, source_);  // the message, with the nearest name
}

std::string_view csv_reader::peek_raw(std::size_t want) {
  if (want > buf_.size()) buf_.resize(want);
  while (!eof_ && end_ - pos_ < want) refill();  // refill() moves the unread bytes to the front
  return std::string_view(buf_.data() + pos_, end_ - pos_);
}

void csv_reader::consume_raw(std::size_t bytes, std::size_t line_ends, std::size_t records) {
  pos_ += bytes;
  next_line_ += line_ends;
  records_ += records;
}

void csv_reader::fail(std::size_t field, const std::string& what) const {
  std::string_view name;
  if (have_header_ && field < header_.size()) name = header_[field];
  throw data_error(cell_place(source_, line_, field, name) + ": " + what);
}

}  // namespace logreg

#include "base/spelling.hpp"

namespace logreg {

std::size_t column_index(const std::vector<std::string>& header, const std::string& name,
                         const std::string& what, const std::string& source) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  std::string msg = what + ": " + source + " has no column '" + printable(name) + "'";
  const std::string near = nearest_name(name, header);
  if (!near.empty()) msg += " (did you mean '" + printable(near) + "'?)";
  else if (header.size() == 1 && header[0].find_first_of(",;\t|") != std::string::npos)
    msg += " (the header was read as one single column: is --delimiter right?)";
  throw data_error(msg);
}

void append_csv_field(std::string& out, std::string_view field, char delimiter) {
  if (field.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace logreg
