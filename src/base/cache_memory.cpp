#include "base/cache_memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "base/arma_memory.hpp"
#include "logreg/error.hpp"

namespace logreg::detail {

namespace {

struct region {
  void* address;
  std::size_t length;
  bool owned = true;  // a cache mapping (else a droppable file mapping of someone else's)
};

// Never destroyed: frees may come from static destructors after main returns, and the governor
// thread runs until the process ends.
struct cache_state {
  std::mutex lock;
  std::vector<region> regions;  // the live mappings
  std::string directory;
  std::size_t limit = 0, baseline = 0, peak = 0, bytes = 0, peak_bytes = 0, files = 0, releases = 0;
  std::size_t baseline_shared = 0;  // resident file-backed bytes when enabled (libraries, ...)
  std::size_t ahead = 4 << 20;  // bytes prefetch_read maps at once: 4 MB, less under a small limit
  std::size_t check_every = 8 << 20;  // bytes a thread maps between its looks at the budget
  long page = 4096;
};
cache_state* state = nullptr;
std::atomic<bool> enabled{false};
std::atomic<std::size_t> live{0};   // mappings alive (frees look them up only when there are some)
std::atomic<std::size_t> drops{0};  // pages dropped so many times (prefetch windows are stale after one)
thread_local int ordinary_depth = 0;

std::string size_text(std::size_t bytes) {
  char buf[32];
  const double b = static_cast<double>(bytes);
  if (b >= 1e9) std::snprintf(buf, sizeof buf, "%.1f GB", b / 1e9);
  else if (b >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
  else std::snprintf(buf, sizeof buf, "%.0f kB", b / 1e3);
  return buf;
}

// An unnamed file of `bytes` in the directory, its blocks reserved. -1 and errno on failure.
int cache_file(const std::string& dir, std::size_t bytes, int& error) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    // A filesystem without O_TMPFILE: a named file, unlinked at once.
    std::string path = dir + "/logreg-cache-XXXXXX";
    fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(path.c_str());
  }
  if (fd < 0) {
    error = errno;
    return -1;
  }
  const int rc = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes));
  if (rc != 0) {
    // A filesystem that cannot reserve blocks (EOPNOTSUPP is emulated by glibc) gets its size alone.
    if (rc != EINVAL || ::ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
      error = rc;
      ::close(fd);
      return -1;
    }
  }
  return fd;
}

std::size_t statm_field(int field) {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[128];
  const ssize_t got = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (got <= 0) return 0;
  buf[got] = 0;
  const char* p = buf;
  for (int i = 0; i < field; ++i) {
    p = std::strchr(p, ' ');
    if (!p) return 0;
    ++p;
  }
  return static_cast<std::size_t>(std::strtoull(p, nullptr, 10)) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

void drop_pages(cache_state& s) {
  std::lock_guard<std::mutex> hold(s.lock);
  for (const region& r : s.regions) ::madvise(r.address, r.length, MADV_DONTNEED);
  ++s.releases;
  drops.fetch_add(1);
}

// Over the budget: drop every cache page. When the memory over the budget is mostly not the
// cache's (anonymous memory), dropping would only make the passes fault their pages back in: drop
// only when the file-backed pages mapped since the start (the cache's, and the input file's) are at
// least half the budget. (Measured at the look itself: a measure taken just after a drop counts
// what the other threads map meanwhile, and then held the next drop off by that much.)
void check_budget(cache_state& s) {
  const std::size_t rss = statm_field(1), shared = statm_field(2);
  if (rss == 0) return;
  {
    std::lock_guard<std::mutex> hold(s.lock);
    if (rss > s.peak) s.peak = rss;
    if (!(rss > s.baseline + s.limit && shared > s.baseline_shared + s.limit / 2 &&
          live.load(std::memory_order_relaxed) > 0))
      return;
  }
  drop_pages(s);
}

// A thread about to map `bytes` of the cache: every check_every bytes, a look at the budget.
void note_mapped(std::size_t bytes) {
  thread_local std::size_t mapped = 0;  // since this thread's last look
  mapped += bytes;
  if (mapped < state->check_every) return;
  mapped = 0;
  check_budget(*state);
}

// The governor: a look every millisecond. (The threads that map the cache's pages look too, every
// check_every bytes they map: with both cores busy the governor may wait several milliseconds for
// one, while they map pages at gigabytes a second: 170 MB over a 256 MB limit was seen.)
void govern() {
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    check_budget(*state);
  }
}

void track(const region& r) {
  std::lock_guard<std::mutex> hold(state->lock);
  state->regions.push_back(r);
  live.fetch_add(1);
}

void* plain_alloc(std::size_t bytes) {
  void* p = nullptr;
  if (::posix_memalign(&p, 32, bytes == 0 ? 1 : bytes) != 0) return nullptr;
  return p;
}

}  // namespace

bool enable_cache_memory(const std::string& directory, std::size_t limit) {
  static std::mutex once;
  std::lock_guard<std::mutex> hold(once);
  if (enabled.load()) return false;
  int error = 0;
  const int fd = cache_file(directory, 4096, error);
  if (fd < 0)
    throw data_error("--cache-dir: cannot make a cache file in '" + directory + "': " + std::strerror(error));
  ::close(fd);
  auto* s = new cache_state;
  s->regions.reserve(1 << 16);
  s->directory = directory;
  s->limit = limit;
  // Every thread may hold a prefetched window per array it reads: under a small limit, smaller ones.
  s->ahead = std::clamp<std::size_t>(limit / 32, 256 << 10, 4 << 20);
  s->check_every = std::clamp<std::size_t>(limit / 32, 1 << 20, 8 << 20);
  s->page = ::sysconf(_SC_PAGESIZE);
  s->baseline = s->peak = resident_memory();
  s->baseline_shared = statm_field(2);
  state = s;
  enabled.store(true);
  std::thread(govern).detach();
  return true;
}

bool cache_memory_enabled() noexcept { return enabled.load(std::memory_order_acquire); }

void drop_cache_pages() noexcept {
  if (enabled.load()) drop_pages(*state);
}

cache_stats cache_memory_stats() {
  cache_stats out;
  if (!enabled.load()) return out;
  cache_state& s = *state;
  const std::size_t rss = resident_memory();
  std::lock_guard<std::mutex> hold(s.lock);
  if (rss > s.peak) s.peak = rss;
  out.directory = s.directory;
  out.limit = s.limit;
  out.baseline_rss = s.baseline;
  out.peak_rss = s.peak;
  out.cache_bytes = s.bytes;
  out.peak_cache_bytes = s.peak_bytes;
  out.files = s.files;
  out.releases = s.releases;
  return out;
}

ordinary_memory::ordinary_memory() noexcept { ++ordinary_depth; }
ordinary_memory::~ordinary_memory() { --ordinary_depth; }

void* cache_alloc(std::size_t bytes) {
  if (bytes < cache_threshold || !enabled.load(std::memory_order_acquire) || ordinary_depth > 0) {
    void* p = plain_alloc(bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  cache_state& s = *state;
  const std::size_t length = (bytes + static_cast<std::size_t>(s.page) - 1) / static_cast<std::size_t>(s.page) *
                             static_cast<std::size_t>(s.page);
  int error = 0;
  const int fd = cache_file(s.directory, length, error);
  if (fd < 0)
    throw data_error("out of core: cannot make room for " + size_text(length) + " in the cache directory '" +
                     s.directory + "': " + std::strerror(error) + " (--cache-dir puts the cache on another disk)");
  void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (p == MAP_FAILED) throw std::bad_alloc();
  std::lock_guard<std::mutex> hold(s.lock);
  s.regions.push_back({p, length});
  live.fetch_add(1);
  s.bytes += length;
  if (s.bytes > s.peak_bytes) s.peak_bytes = s.bytes;
  ++s.files;
  return p;
}

void prefetch_read(const void* p, std::size_t bytes) noexcept {
  if (!enabled.load(std::memory_order_acquire) || live.load(std::memory_order_relaxed) == 0) return;
  // A few windows per thread: a pass may read several arrays side by side (a categorical design's
  // numbers and level indices).
  struct window {
    std::uintptr_t lo = 0, hi = 0;
    std::size_t drops = SIZE_MAX;
  };
  thread_local window windows[4];
  thread_local unsigned next = 0;
  const auto a = reinterpret_cast<std::uintptr_t>(p), b = a + bytes;
  const std::size_t now = drops.load(std::memory_order_relaxed);
  for (const window& w : windows)
    if (a >= w.lo && b <= w.hi && w.drops == now) return;
  const std::uintptr_t ahead = state->ahead;
  std::uintptr_t end = 0;
  {
    cache_state& s = *state;
    std::lock_guard<std::mutex> hold(s.lock);
    for (const region& r : s.regions) {
      const auto lo = reinterpret_cast<std::uintptr_t>(r.address);
      if (a >= lo && a < lo + r.length) {
        end = std::min<std::uintptr_t>(lo + r.length, std::max(b, a + ahead));
        break;
      }
    }
  }
  if (end == 0) return;
  const std::uintptr_t first = a & ~static_cast<std::uintptr_t>(4095);
  note_mapped(end - first);
  ::madvise(reinterpret_cast<void*>(first), end - first, MADV_POPULATE_READ);
  windows[next] = {first, end, now};
  next = (next + 1) % 4;
}

void note_populated(std::size_t bytes) noexcept {
  if (!enabled.load(std::memory_order_acquire) || live.load(std::memory_order_relaxed) == 0) return;
  note_mapped(bytes);
}

void prefetch_write(void* p, std::size_t bytes) noexcept {
  if (!enabled.load(std::memory_order_acquire) || live.load(std::memory_order_relaxed) == 0 || bytes == 0) return;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = a & ~static_cast<std::uintptr_t>(4095);
  note_mapped(a + bytes - first);
  ::madvise(reinterpret_cast<void*>(first), a + bytes - first, MADV_POPULATE_WRITE);
}

void add_droppable(const void* address, std::size_t length) noexcept {
  if (!enabled.load() || !address || length == 0) return;
  try {
    track({const_cast<void*>(address), length, false});
  } catch (...) {
  }
}

void remove_droppable(const void* address) noexcept {
  if (!enabled.load() || !address) return;
  cache_state& s = *state;
  std::lock_guard<std::mutex> hold(s.lock);
  for (std::size_t i = 0; i < s.regions.size(); ++i)
    if (s.regions[i].address == address && !s.regions[i].owned) {
      s.regions[i] = s.regions.back();
      s.regions.pop_back();
      live.fetch_sub(1);
      return;
    }
}

void cache_free(void* p) noexcept {
  if (!p) return;
  // Mappings are page-aligned; posix_memalign's blocks of this size hardly ever are, and a lookup
  // settles it.
  if (live.load(std::memory_order_acquire) > 0 && (reinterpret_cast<std::uintptr_t>(p) & 4095) == 0) {
    cache_state& s = *state;
    std::unique_lock<std::mutex> hold(s.lock);
    for (std::size_t i = 0; i < s.regions.size(); ++i)
      if (s.regions[i].address == p && s.regions[i].owned) {
        const region r = s.regions[i];
        s.regions[i] = s.regions.back();
        s.regions.pop_back();
        s.bytes -= r.length;
        live.fetch_sub(1);
        hold.unlock();
        ::munmap(r.address, r.length);  // the last reference: the file is gone
        return;
      }
  }
  std::free(p);
}

namespace {
std::size_t read_number(const char* path) {
  std::FILE* f = std::fopen(path, "r");
  if (!f) return 0;
  char buf[64] = {0};
  const bool got = std::fgets(buf, sizeof buf, f) != nullptr;
  std::fclose(f);
  if (!got || std::strncmp(buf, "max", 3) == 0) return 0;
  return static_cast<std::size_t>(std::strtoull(buf, nullptr, 10));
}
}  // namespace

std::size_t available_memory() {
  // LOGREG_AVAILABLE_MEMORY (bytes) overrides what the system says: for tests, and for machines
  // whose limits the kernel does not show.
  if (const char* forced = std::getenv("LOGREG_AVAILABLE_MEMORY"); forced && *forced)
    return static_cast<std::size_t>(std::strtoull(forced, nullptr, 10));
  std::size_t bytes = 0;
  if (std::FILE* f = std::fopen("/proc/meminfo", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f))
      if (std::strncmp(line, "MemAvailable:", 13) == 0) {
        bytes = static_cast<std::size_t>(std::strtoull(line + 13, nullptr, 10)) * 1024;
        break;
      }
    std::fclose(f);
  }
  // In a container, the cgroup's limit (v2) is what counts: what it leaves, when less.
  const std::size_t max = read_number("/sys/fs/cgroup/memory.max"), used = read_number("/sys/fs/cgroup/memory.current");
  if (max > 0) {
    const std::size_t left = max > used ? max - used : 0;
    if (bytes == 0 || left < bytes) bytes = left;
  }
  return bytes;
}

std::size_t resident_memory() { return statm_field(1); }

}  // namespace logreg::detail

extern "C" {
void* logreg_arma_alloc(std::size_t bytes) { return logreg::detail::cache_alloc(bytes); }
void logreg_arma_free(void* p) noexcept { logreg::detail::cache_free(p); }
}
