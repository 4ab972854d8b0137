// An output that is either standard output or a file replaced atomically when complete.
#pragma once
#include <cstdio>
#include <string>

namespace logreg::cli {

class output_file {
 public:
  explicit output_file(const std::string& path);  // "" or "-": standard output
  ~output_file();                                 // without commit(): the partial file is removed
  std::FILE* stream() const { return f_; }
  std::string name() const;                       // for messages
  void commit();                                  // flush, close, rename over the target

 private:
  std::string path_, tmp_;
  std::FILE* f_ = nullptr;
};

// Writes `text` to `path` (replaced atomically as output_file does); `what` names it in messages.
void write_whole_file(const std::string& path, const std::string& text, const std::string& what);

// The last component of a path ("data/x.csv" -> "x.csv"), for titles.
std::string base_name(const std::string& path);

// A directory for output files (`eval --plot DIR`): created with its parents when missing; throws
// data_error when it cannot be, or when the path is something other than a directory.
void make_output_directory(const std::string& path);

}  // namespace logreg::cli
