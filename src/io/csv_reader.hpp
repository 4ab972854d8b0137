// Streaming RFC 4180 reader: quoted fields (with delimiters, doubled quotes and line breaks inside),
// CRLF / LF / CR-only line ends, a UTF-8 byte order mark, any one-byte delimiter.
// It reads its input in large blocks and hands out one record at a time; memory stays bounded by the
// longest record, so gigabytes on standard input are fine.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/buffer.hpp"

namespace logreg {

struct csv_dialect {
  char delimiter = ',';
};

// "file:line:field (column 'name')" — the place of a cell, as every data error names it.
std::string cell_place(const std::string& source, std::size_t line, std::size_t field,
                       std::string_view column_name);

class csv_reader {
 public:
  // path "-" (or empty) reads standard input, named "<stdin>" in messages. display_name, when given,
  // names the input in messages instead of path.
  csv_reader(const std::string& path, csv_dialect dialect = {}, std::size_t block_size = 1 << 20,
             const std::string& display_name = "");
  ~csv_reader();
  csv_reader(const csv_reader&) = delete;
  csv_reader& operator=(const csv_reader&) = delete;

  // Reads the header (the first record): names must be non-empty, distinct and UTF-8 (no NUL).
  // Throws data_error.
  // rows_required: nothing but blank lines below the header is the data_error "the header has no
  // data rows below it", found before the names are copied.
  const std::vector<std::string>& read_header(bool rows_required = false);
  const std::vector<std::string>& header() const { return header_; }
  // The index of header column `name` in constant time (after read_header); column_index's
  // data_error naming `what` when there is none. Looking a wide file's columns up one by one with
  // column_index would take time quadratic in their number.
  std::size_t column(const std::string& name, const std::string& what) const;

  // Next record; false at the end of input. Views stay valid until the next call. Blank lines are
  // skipped. After read_header(), a record whose field count differs from the header's is an error.
  bool next(std::vector<std::string_view>& fields);

  const std::string& source() const { return source_; }
  std::size_t line() const { return line_; }          // physical line where the last record began
  std::size_t records() const { return records_; }    // data records returned so far (header excluded)
  std::size_t bytes_consumed() const { return consumed_ + pos_; }
  std::size_t total_bytes() const { return total_bytes_; }  // 0 when unknown (a pipe)
  char delimiter() const { return dialect_.delimiter; }

  // Throws data_error "source:line:field (column 'name'): what" for field index (0-based) of the
  // last record.
  [[noreturn]] void fail(std::size_t field, const std::string& what) const;

  // Raw access for fast paths that parse many simple records at once (see predictor.cpp):
  // peek_raw() returns the unread bytes, at least `want` of them unless the input ends first;
  // consume_raw() skips `bytes` of them, which held `line_ends` line ends and `records` records.
  // The caller must only consume whole records whose line ends it counted exactly.
  std::string_view peek_raw(std::size_t want);
  void consume_raw(std::size_t bytes, std::size_t line_ends, std::size_t records);
  bool input_ended() const { return eof_; }
  std::size_t next_line() const { return next_line_; }  // the line the next record starts on (or after)
  char header_line_end() const { return header_line_end_; }  // '\n' (LF or CRLF) or '\r' (CR only)
  // The last record's bytes as they are in the input, from its first byte (after any blank lines
  // before it) through its line end (none at the end of input); valid until the next call.
  std::string_view raw_record() const { return {buf_.data() + record_start_, pos_ - record_start_}; }
  bool has_bom() const { return bom_; }  // the input began with a UTF-8 byte order mark

 private:
  enum class parse_result { record, end, need_more };
  parse_result parse_record(std::vector<std::string_view>& out);
  void refill();

  std::string source_;
  csv_dialect dialect_;
  int fd_ = -1;
  bool owns_fd_ = false;
  bool eof_ = false;
  bool at_start_ = true;
  bool bom_ = false;
  std::size_t record_start_ = 0;  // the last record's first byte in buf_ (raw_record)
  buffer<char> buf_;  // not zeroed when it grows: read() fills it
  std::size_t pos_ = 0, end_ = 0;  // unread bytes are buf_[pos_, end_)
  std::size_t consumed_ = 0;        // bytes discarded from the front of buf_ so far
  std::size_t total_bytes_ = 0;
  std::size_t line_ = 0, next_line_ = 1, records_ = 0;
  std::vector<std::string> header_;
  mutable std::vector<std::uint64_t> slots_;  // open addressing over header_: tag << 32 | (index + 1); 0 empty
  std::size_t find_slot(std::string_view name, std::uint64_t hash) const;
  void index_names() const;  // fills slots_; data_error for a duplicate name
  std::size_t header_line_ = 0;
  bool have_header_ = false;
  char header_line_end_ = '\n';
  std::string scratch_;  // unescaped quoted fields of the current record
  struct span { bool scratch; std::size_t off, len; };
  std::vector<span> spans_;
};

}  // namespace logreg

namespace logreg {

// Index of column `name` in `header`; a data_error naming `what` (e.g. "--target"), the source and the
// nearest existing name when there is none.
std::size_t column_index(const std::vector<std::string>& header, const std::string& name,
                         const std::string& what, const std::string& source);

// Appends `field` to `out` as one CSV field: quoted (quotes doubled) only when it must be.
void append_csv_field(std::string& out, std::string_view field, char delimiter = ',');

}  // namespace logreg
