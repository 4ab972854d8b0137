// Out-of-core memory: large arrays in unnamed files of a cache directory, mapped shared, with the
// process's resident memory held within a budget.
//
// Once enable_cache_memory() has run, every allocation of at least cache_threshold bytes made
// through Armadillo (arma_memory.hpp) or buffer<T> is a MAP_SHARED mapping of a file created with
// O_TMPFILE in the cache directory (no name: it is gone when the process ends, whatever ends it,
// SIGKILL included). The file's blocks are reserved at once (posix_fallocate), so that a full disk
// or a file size limit is an error at the allocation, with the directory named, and never a SIGBUS
// in the middle of a pass. Nothing else changes: the loaders, the design matrices and the solvers
// use the same code on the same addresses, which is why an out-of-core fit is the in-memory fit bit
// for bit.
//
// The budget. A governor thread reads the process's resident memory every millisecond; when it
// exceeds the baseline (the resident memory when the cache was enabled) by more than the limit, it
// drops every cache page from the process (madvise MADV_DONTNEED). For a shared file mapping that
// loses nothing: the pages are the file's, kept by the page cache (and written back by the kernel
// when memory is short); the next access maps them again. So the resident memory stays within the
// limit plus what the process touches in a millisecond, and the data may be larger than RAM.
// Arrays below the threshold, and those allocated by std containers other than buffer<T>, stay in
// ordinary memory (with the limit counting them).
#pragma once
#include <cstddef>
#include <string>

namespace logreg::detail {

inline constexpr std::size_t cache_threshold = 256 * 1024;

// Turns the cache on (once per process; later calls change nothing and return false). Throws
// data_error when the directory cannot hold a file. limit: bytes above the baseline.
bool enable_cache_memory(const std::string& directory, std::size_t limit);
bool cache_memory_enabled() noexcept;

struct cache_stats {
  std::string directory;
  std::size_t limit = 0;
  std::size_t baseline_rss = 0;   // bytes resident when enabled
  std::size_t peak_rss = 0;       // the largest resident size the governor saw
  std::size_t cache_bytes = 0;    // bytes in cache files now
  std::size_t peak_cache_bytes = 0;
  std::size_t files = 0;          // cache files created so far
  std::size_t releases = 0;       // times the governor dropped the cache pages
};
cache_stats cache_memory_stats();
// What the governor does over the limit: drops every cache page from the process (for tests).
void drop_cache_pages() noexcept;

// While one exists, this thread's allocations are ordinary memory: for scratch space rewritten on
// every pass (a Gram workspace), which in a cache file would only fault in again after each drop.
struct ordinary_memory {
  ordinary_memory() noexcept;
  ~ordinary_memory();
  ordinary_memory(const ordinary_memory&) = delete;
  ordinary_memory& operator=(const ordinary_memory&) = delete;
};

// malloc-compatible (32-byte aligned) below the threshold or before enable_cache_memory; a cache
// mapping otherwise. Throws std::bad_alloc, or data_error naming the directory when the cache
// file cannot be made or extended.
void* cache_alloc(std::size_t bytes);
void cache_free(void* p) noexcept;

// A thread about to map `bytes` of pages itself (madvise POPULATE of a file mapping the governor may
// drop, or of a cache array): they count toward its next look at the budget, as prefetch_read's do.
void note_populated(std::size_t bytes) noexcept;

// Maps the pages of [p, p + bytes) and of a few MB after it, within p's cache mapping, in one call
// (MADV_POPULATE_READ) before a pass reads them: faulting them in one by one after the governor
// dropped them costs far more (most of all in a virtual machine). Nothing when the cache is off,
// p is not in it, or this thread populated the range since the last drop.
void prefetch_read(const void* p, std::size_t bytes) noexcept;

// The same for pages about to be written (MADV_POPULATE_WRITE), of [p, p + bytes) only.
void prefetch_write(void* p, std::size_t bytes) noexcept;

// A read-only file mapping the governor may drop as well (the input file, mapped while it is read).
void add_droppable(const void* address, std::size_t length) noexcept;
void remove_droppable(const void* address) noexcept;

// Memory the system could still give (MemAvailable of /proc/meminfo), 0 when unknown.
std::size_t available_memory();
// Resident bytes of this process now (/proc/self/statm), 0 when unknown.
std::size_t resident_memory();

}  // namespace logreg::detail
