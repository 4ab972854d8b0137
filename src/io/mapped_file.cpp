#include "io/mapped_file.hpp"

#include "base/cache_memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace logreg::detail {

namespace {
#ifdef MADV_POPULATE_READ
constexpr int populate_read = MADV_POPULATE_READ, populate_write = MADV_POPULATE_WRITE;
#else
constexpr int populate_read = 22, populate_write = 23;  // older headers; older kernels refuse them (EINVAL): harmless
#endif

}  // namespace

file_handle::file_handle(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}

file_handle::~file_handle() {
  if (fd >= 0) ::close(fd);
}

mapped_file::mapped_file(int fd, std::size_t bytes) : size(bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p != MAP_FAILED) data = static_cast<const char*>(p);
  if (data) add_droppable(data, size);  // out of core: the budget's governor may drop its pages too
}

mapped_file::~mapped_file() {
  if (data) remove_droppable(data);
  if (data) ::munmap(const_cast<char*>(data), size);
}

void mapped_file::populate(std::size_t from, std::size_t to) const {
  const std::size_t first = from / 4096 * 4096;
  if (to <= first) return;
  note_populated(to - first);  // out of core: the budget looks at these pages too
  ::madvise(const_cast<char*>(data) + first, to - first, populate_read);
}

void mapped_file::release(std::size_t from, std::size_t to) const {
  const std::size_t page = 4096, first = (from + page - 1) / page * page, last = to / page * page;
  if (last > first) ::madvise(const_cast<char*>(data) + first, last - first, MADV_DONTNEED);
}

thread_local sigjmp_buf* bus_jump = nullptr;

namespace {
extern "C" void on_sigbus(int sig, siginfo_t*, void*) {
  if (bus_jump) siglongjmp(*bus_jump, 1);
  ::signal(sig, SIG_DFL);  // not a read of ours: the default action
  ::raise(sig);
}

}  // namespace

sigbus_guard::sigbus_guard() {
  struct sigaction action {};
  action.sa_sigaction = on_sigbus;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  installed = ::sigaction(SIGBUS, &action, &previous) == 0;
}

sigbus_guard::~sigbus_guard() {
  if (installed) ::sigaction(SIGBUS, &previous, nullptr);
}

void populate_for_writing(void* p, std::size_t bytes) {
  const std::uintptr_t page = 4096;
  const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(page - 1);
  if (end <= begin) return;
  note_populated(end - begin);
  ::madvise(reinterpret_cast<void*>(begin), end - begin, populate_write);
}

bool read_at(int fd, char* buf, std::size_t len, std::size_t offset) {
  while (len > 0) {
    const ssize_t got = ::pread(fd, buf, len, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buf += got;
    len -= static_cast<std::size_t>(got);
    offset += static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace logreg::detail
