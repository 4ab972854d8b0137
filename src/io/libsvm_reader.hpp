// libsvm / svmlight input: one observation per line,
//
//   LABEL INDEX:VALUE INDEX:VALUE ...   # comment
//
// with 1-based feature indices, strictly increasing within a line. Tokens are separated by spaces
// or tabs; a line ends with LF or CRLF. `#` starts a comment that runs to the end of the line.
// Blank lines and lines holding only a comment are skipped (they count in line numbers). A `qid:N`
// token right after the label (svmlight's query id) is ignored. The label is text, as a CSV target
// ("+1", "-1", "0", "spam"), and may not contain ':'. Values are parsed as CSV cells are
// (number_parser.hpp: correctly rounded, locale-independent); a value of 0 is not stored.
//
// Storage, in the project's orientation (dataset.hpp: X is d x n, one column per observation):
// the rows of the file are kept compressed, one after the other, which is X in compressed-column
// form (CSR of the n x d file = CSC of X). Only the non-zeros are held: 12 bytes each.
//
// Errors are data_error "FILE:LINE:TOKEN: what" (TOKEN: the 1-based token of the line, the label
// being token 1), with " (index N)" after TOKEN when the token's index was read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/csr_matrix.hpp"
#include "logreg/progress.hpp"

namespace logreg {

// The rows of one part of a block, as parsed by one thread.
struct libsvm_rows {
  std::vector<std::size_t> row_ptr{0};     // into col / val, as csr_matrix
  std::vector<std::uint32_t> col;          // 0-based index (the file's index - 1)
  std::vector<double> val;
  std::vector<std::string_view> label;     // into the reader's buffer: valid until the next block
  std::vector<std::size_t> line;           // the line of each row (for messages)
  std::uint32_t max_index = 0;             // the largest 1-based index seen (0: none)
  std::size_t rows() const { return label.size(); }
};

// The largest index accepted: feature indices are 32-bit.
inline constexpr std::uint32_t libsvm_max_index = 2147483647;

class libsvm_reader {
 public:
  // path "-" (or empty) reads standard input, named "<stdin>" in messages. Throws data_error when
  // the file cannot be opened or is a directory. A regular file may be read from byte `from` to
  // byte `to` only (whole lines: `from` starts one; line numbers then count from that line as 1).
  explicit libsvm_reader(const std::string& path, std::size_t block_bytes = 4 << 20, std::size_t from = 0,
                         std::size_t to = SIZE_MAX);
  ~libsvm_reader();
  libsvm_reader(const libsvm_reader&) = delete;
  libsvm_reader& operator=(const libsvm_reader&) = delete;

  // The rows of the next block of whole lines (about block_bytes, more for a longer line), parsed
  // by up to `threads` threads, in input order (one libsvm_rows per thread). Empty at the end of the
  // input. Throws data_error for the first bad token in input order, whatever `threads` is.
  const std::vector<libsvm_rows>& next_block(int threads);

  const std::string& source() const { return source_; }
  std::size_t bytes_consumed() const { return consumed_; }
  std::size_t total_bytes() const { return total_bytes_; }  // 0 when unknown (a pipe)
  std::size_t rows() const { return rows_; }                 // rows returned so far

 private:
  bool read_more();  // false at the end of the input

  std::string source_;
  int fd_ = -1;
  bool owns_fd_ = false, eof_ = false;
  std::size_t block_bytes_;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
  std::size_t consumed_ = 0, total_bytes_ = 0, rows_ = 0, next_line_ = 1;
  std::size_t left_ = SIZE_MAX;  // bytes of the range still to read
  std::vector<libsvm_rows> parts_;
};

struct labelled_sparse_data {
  std::string source;
  csr_matrix X;                             // n x d, d = the largest index in the file
  std::vector<std::string> labels;          // distinct labels, in order of first appearance
  buffer<std::uint32_t> label_index;        // per observation: index into labels
  std::size_t bytes = 0;                    // size of the input read
  std::vector<double> weights;              // per observation (empty: all 1; libsvm files have none)
};

// Reads a whole libsvm file (or standard input) with thread_count() threads. Throws data_error for
// bad lines, an input without rows and more than 65536 distinct labels.
labelled_sparse_data load_labelled_libsvm(const std::string& path, const progress_callbacks& progress = {},
                                          std::size_t block_bytes = 4 << 20);

// The lines of bytes [from, to) of a regular file (from at a line start), as load_labelled_libsvm
// reads a whole file: the labels in their first appearance there, n_cols the largest index there.
// No rows is no error. Throws data_error for a bad line (its line number counted from `from`).
labelled_sparse_data load_libsvm_range(const std::string& path, std::size_t from, std::size_t to,
                                       const progress_callbacks& progress = {});

}  // namespace logreg
