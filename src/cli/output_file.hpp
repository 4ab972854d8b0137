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

}  // namespace logreg::cli
