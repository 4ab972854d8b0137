#include "cli/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

#include "logreg/error.hpp"

namespace logreg::cli {

output_file::output_file(const std::string& path) : path_(path), shown_(path) {
  if (path.empty() || path == "-") {
    f_ = stdout;
    return;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw data_error(path + ": cannot write: it is a directory");
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
  std::random_device rd;
  tmp_ = path_ + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
  guard_.track(tmp_);
  const int fd = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  f_ = fd < 0 ? nullptr : ::fdopen(fd, "wb");
  if (!f_) {
    const int err = errno;
    if (fd >= 0) ::close(fd), ::unlink(tmp_.c_str());
    guard_.release();
    throw data_error(path + ": cannot write: " + std::strerror(err));
  }
}

output_file::~output_file() {
  if (f_ && f_ != stdout) {
    std::fclose(f_);
    if (!tmp_.empty()) std::remove(tmp_.c_str());
  }
  guard_.release();
}

std::string output_file::name() const { return f_ == stdout ? "<stdout>" : shown_; }

void output_file::commit() {
  if (std::fflush(f_) != 0 || std::ferror(f_)) throw data_error(name() + ": cannot write: " + std::strerror(errno));
  if (f_ == stdout) return;
  const bool closed = std::fclose(f_) == 0;
  f_ = nullptr;
  if (!closed) {
    const int err = errno;
    if (!tmp_.empty()) std::remove(tmp_.c_str());
    guard_.release();
    throw data_error(shown_ + ": cannot write: " + std::strerror(err));
  }
  if (tmp_.empty()) return;
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp_.c_str());
    guard_.release();
    throw data_error(shown_ + ": cannot write: " + std::strerror(err));
  }
  guard_.release();
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
