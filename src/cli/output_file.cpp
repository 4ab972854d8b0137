#include "cli/output_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "logreg/error.hpp"

namespace logreg::cli {

output_file::output_file(const std::string& path) : path_(path) {
  if (path.empty() || path == "-") {
    f_ = stdout;
    return;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {  // a device or a pipe: write to it as it is
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) throw data_error(path + ": cannot write: " + std::strerror(errno));
    return;
  }
  // Replace the file a symbolic link points to, not the link.
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    path_ = real;
    std::free(real);
  }
  tmp_ = path_ + ".tmp-" + std::to_string(::getpid());
  f_ = std::fopen(tmp_.c_str(), "wb");
  if (!f_) throw data_error(path + ": cannot write: " + std::strerror(errno));
}

output_file::~output_file() {
  if (f_ && f_ != stdout) {
    std::fclose(f_);
    if (!tmp_.empty()) std::remove(tmp_.c_str());
  }
}

std::string output_file::name() const { return f_ == stdout ? "<stdout>" : path_; }

void output_file::commit() {
  if (std::fflush(f_) != 0 || std::ferror(f_)) throw data_error(name() + ": cannot write: " + std::strerror(errno));
  if (f_ == stdout) return;
  const bool closed = std::fclose(f_) == 0;
  f_ = nullptr;
  if (!closed) throw data_error(path_ + ": cannot write: " + std::strerror(errno));
  if (tmp_.empty()) return;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp_.c_str());
    throw data_error(path_ + ": cannot write: " + std::strerror(err));
  }
}

void write_whole_file(const std::string& path, const std::string& text, const std::string& what) {
  output_file file(path);
  if (std::fwrite(text.data(), 1, text.size(), file.stream()) != text.size())
    throw data_error(file.name() + ": cannot write the " + what + ": " + std::strerror(errno));
  file.commit();
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos || slash + 1 == path.size() ? path : path.substr(slash + 1);
}

void make_output_directory(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) throw data_error(path + ": not a directory");
    return;
  }
  fs::create_directories(path, ec);
  if (ec) throw data_error(path + ": cannot create the directory: " + ec.message());
}

}  // namespace logreg::cli
