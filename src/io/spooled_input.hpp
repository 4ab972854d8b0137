// Input that cannot be read twice (standard input, a FIFO, a pipe or process substitution named by
// path such as /dev/stdin or /dev/fd/63, a character device), copied once to an unlinked temporary
// file that the readers can then open, map and read again as often as they need (the typed CSV
// loader reads twice). A regular file is used as it is.
#pragma once
#include <memory>
#include <string>

namespace logreg::detail {

class spooled_input {
 public:
  // path "-" or "": standard input, "<stdin>" in messages. Any other path that exists and is not a
  // regular file or a directory is read once, here. Throws data_error naming the input on a read
  // error and naming the directory ($TMPDIR or /tmp) when the copy cannot be written (a full disk).
  explicit spooled_input(const std::string& path);
  ~spooled_input();
  spooled_input(const spooled_input&) = delete;
  spooled_input& operator=(const spooled_input&) = delete;

  // The path to open: the input's own, or /proc/self/fd/N of the copy.
  const std::string& path() const { return path_; }
  // The name for messages: the path as given, or "<stdin>".
  const std::string& display() const { return display_; }
  bool spooled() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
  std::string path_, display_;
};

// True when `path` must be spooled to be read more than once ("-", "", a FIFO, a device, ...).
bool needs_spooling(const std::string& path);

}  // namespace logreg::detail
