// A regular file read in place: opened, mapped, populated and released page range by page range,
// and the SIGBUS guard that turns a file truncated while mapped into "the fast path declines".
#pragma once
#include <setjmp.h>
#include <signal.h>

#include <cstddef>
#include <string>

namespace logreg::detail {

struct file_handle {
  int fd = -1;
  explicit file_handle(const std::string& path);
  ~file_handle();
  file_handle(const file_handle&) = delete;
  file_handle& operator=(const file_handle&) = delete;
};


// The whole file mapped read-only; data is null when mmap fails.
struct mapped_file {
  const char* data = nullptr;
  std::size_t size = 0;
  mapped_file(int fd, std::size_t bytes);
  ~mapped_file();
  // Maps the pages of [from, to) in one call rather than a fault per 64 kB (Linux 5.14+; older
  // kernels refuse it, harmlessly).
  void populate(std::size_t from, std::size_t to) const;
  // Drops the page mappings of the whole pages in [from, to): unmapping them in the parsing threads
  // as they go is cheaper than one munmap of the whole file at the end. (Reads there fault back in.)
  void release(std::size_t from, std::size_t to) const;
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
};

// Reading a mapped file that another process truncates meanwhile raises SIGBUS at the first page
// past the new end. While load_parallel runs, a handler turns that into "the fast path declines"
// (the sequential reader then reads what the file holds now): each thread that reads the mapping
// does so inside survive_sigbus, which the handler jumps back to. Objects that the jump skips
// are leaked, never used again.
extern thread_local sigjmp_buf* bus_jump;  // set while a thread reads a mapping (survive_sigbus)

// Installs the SIGBUS handler (which jumps back into survive_sigbus) for its lifetime, then puts the
// previous handler back.
struct sigbus_guard {
  struct sigaction previous {};
  bool installed = false;
  sigbus_guard();
  ~sigbus_guard();
  sigbus_guard(const sigbus_guard&) = delete;
  sigbus_guard& operator=(const sigbus_guard&) = delete;
};

// Runs fn(); false if a read of the mapping raised SIGBUS on the way.
template <class Fn>
bool survive_sigbus(Fn&& fn) {
  sigjmp_buf jump;
  sigjmp_buf* const outer = bus_jump;
  if (sigsetjmp(jump, 1) != 0) {
    bus_jump = outer;
    return false;
  }
  bus_jump = &jump;
  fn();
  bus_jump = outer;
  return true;
}

// Maps the whole pages of [p, p + bytes) for writing in one call (Linux 5.14+): much cheaper than a
// fault per 4 kB page as the parser first writes them. Transparent huge pages are not asked for: on
// virtual machines that hand free memory back to the host, fresh 2 MB pages often have to be faulted
// in by the host, which measured 5-15x slower than 4 kB pages here (see docs/benchmarks.md).
void populate_for_writing(void* p, std::size_t bytes);

// Reads [offset, offset + len) fully; false on error.
bool read_at(int fd, char* buf, std::size_t len, std::size_t offset);

}  // namespace logreg::detail
