#include "io/spooled_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "logreg/error.hpp"

namespace logreg::detail {

bool needs_spooling(const std::string& path) {
  if (path.empty() || path == "-") return true;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;  // the reader reports what is wrong
  return !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

spooled_input::spooled_input(const std::string& path) : path_(path), display_(path) {
  if (!needs_spooling(path)) return;
  const bool standard_input = path.empty() || path == "-";
  if (standard_input) display_ = "<stdin>";
  int in = 0;
  if (!standard_input) {
    in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) throw data_error(path + ": cannot open: " + std::strerror(errno));
  }
  struct closer {
    int fd;
    ~closer() {
      if (fd > 0) ::close(fd);
    }
  } close_in{in};

  const char* dir = std::getenv("TMPDIR");
  const std::string where = dir && *dir ? dir : "/tmp";
  std::string name = where + "/logreg-input-XXXXXX";
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0)
    throw data_error(display_ + ": cannot create a temporary file in " + where + " to hold the input: " +
                     std::strerror(errno) + " (set TMPDIR to another directory)");
  ::unlink(name.c_str());  // gone when the descriptor is closed, also if the process is killed
  try {
    std::vector<char> buf(1 << 20);
    for (;;) {
      const ssize_t got = ::read(in, buf.data(), buf.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw data_error(display_ + ": read error: " + std::strerror(errno));
      if (got == 0) break;
      for (ssize_t done = 0; done < got;) {
        const ssize_t put = ::write(fd_, buf.data() + done, static_cast<std::size_t>(got - done));
        if (put < 0 && errno == EINTR) continue;
        if (put < 0)
          throw data_error(display_ + ": cannot copy the input to a temporary file in " + where + ": " +
                           std::strerror(errno) + " (set TMPDIR to a directory with more room)");
        done += put;
      }
    }
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
  path_ = "/proc/self/fd/" + std::to_string(fd_);
}

spooled_input::~spooled_input() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace logreg::detail
