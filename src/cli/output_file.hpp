// An output that is either standard output, a FIFO or device written through (never replaced), or a
// regular file replaced atomically when complete (a temporary file in the same directory, renamed).
#pragma once
#include <cstdio>
#include <string>

#include "base/temp_files.hpp"

namespace logreg::cli {

class output_file {
 public:
  explicit output_file(const std::string& path);  // "" or "-": standard output
  ~output_file();                                 // without commit(): the partial file is removed
  std::FILE* stream() const { return f_; }
  std::string name() const;                       // for messages
  void commit();                                  // flush, close, rename over the target

 private:
  std::string path_, shown_, tmp_;  // the file replaced (links resolved), the name given, the temporary
  std::FILE* f_ = nullptr;
  logreg::detail::temp_file_guard guard_;  // tmp_ is removed on SIGINT, SIGTERM, ... (cli/signals.hpp)
};

// Writes `text` to `path` (replaced atomically as output_file does); `what` names it in messages.
void write_whole_file(const std::string& path, const std::string& text, const std::string& what);

// The last component of a path ("data/x.csv" -> "x.csv"), for titles.
std::string base_name(const std::string& path);

// A directory for output files (`eval --plot DIR`): created with its parents when missing; throws
// data_error when it cannot be, or when the path is something other than a directory.
void make_output_directory(const std::string& path);

}  // namespace logreg::cli
