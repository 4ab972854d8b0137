// The out-of-core allocator (base/cache_memory.hpp): large arrays in unnamed cache files whose
// pages may be dropped at any time without losing a value; small ones, and everything before the
// cache is enabled, in ordinary memory.
#include <doctest.h>
#include <unistd.h>

#include <armadillo>
#include <cstdint>
#include <fstream>
#include <string>

#include "base/buffer.hpp"
#include "base/cache_memory.hpp"

namespace {

// The line of /proc/self/maps of the mapping that holds p ("" when none).
std::string mapping_of(const void* p) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  while (std::getline(maps, line)) {
    const auto dash = line.find('-'), space = line.find(' ');
    const std::uintptr_t lo = std::stoull(line.substr(0, dash), nullptr, 16);
    const std::uintptr_t hi = std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16);
    if (a >= lo && a < hi) return line;
  }
  return "";
}

}  // namespace

TEST_CASE("cache memory: large arrays live in unnamed shared files, survive dropped pages, and go when freed") {
  using namespace logreg;
  // Before the cache is on (in a process of its own under ctest): ordinary memory.
  if (!detail::cache_memory_enabled()) {
    buffer<double> before(1 << 20);
    CHECK(mapping_of(before.data()).find(" rw-s ") == std::string::npos);
  }
  const char* tmp = std::getenv("TMPDIR");
  detail::enable_cache_memory(tmp && *tmp ? tmp : "/tmp", std::size_t(1) << 40);  // no drops but ours
  CHECK(detail::cache_memory_enabled());

  // A large Armadillo matrix and a large buffer: page-aligned shared mappings of deleted files.
  arma::mat X(1000, 1000);  // 8 MB
  for (arma::uword i = 0; i < X.n_elem; ++i) X[i] = static_cast<double>(i) * 0.5 - 3;
  buffer<std::uint32_t> codes(1 << 20);
  for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = static_cast<std::uint32_t>(i * 2654435761u);
  CHECK(reinterpret_cast<std::uintptr_t>(X.memptr()) % 4096 == 0);
  const std::string line = mapping_of(X.memptr());
  CHECK(line.find(" rw-s ") != std::string::npos);  // shared
  CHECK(line.find("(deleted)") != std::string::npos);  // a file without a name
  CHECK(mapping_of(codes.data()).find(" rw-s ") != std::string::npos);
  // Small ones stay in ordinary memory; so do the allocations of an ordinary_memory scope.
  arma::vec small(100, arma::fill::ones);
  CHECK(mapping_of(small.memptr()).find(" rw-s ") == std::string::npos);
  {
    const detail::ordinary_memory scope;
    arma::mat scratch(1000, 1000, arma::fill::zeros);
    CHECK(mapping_of(scratch.memptr()).find(" rw-s ") == std::string::npos);
  }

  // Dropping every cache page loses nothing: the values come back from the file.
  const std::size_t drops = detail::cache_memory_stats().releases;
  detail::drop_cache_pages();
  CHECK(detail::cache_memory_stats().releases == drops + 1);
  bool same = true;
  for (arma::uword i = 0; i < X.n_elem; ++i) same = same && X[i] == static_cast<double>(i) * 0.5 - 3;
  for (std::size_t i = 0; i < codes.size(); ++i) same = same && codes[i] == static_cast<std::uint32_t>(i * 2654435761u);
  CHECK(same);
  // Prefetching is harmless anywhere: in the cache, past it, and outside it.
  detail::prefetch_read(X.memptr() + 10, 100 * sizeof(double));
  detail::prefetch_read(small.memptr(), 8);
  detail::prefetch_write(X.memptr(), X.n_elem * sizeof(double));
  CHECK(X[12] == 12 * 0.5 - 3);

  // Freed: the mapping is gone (and with it the file).
  const void* where = X.memptr();
  const std::size_t bytes = detail::cache_memory_stats().cache_bytes;
  X.reset();
  CHECK(mapping_of(where).empty());
  CHECK(detail::cache_memory_stats().cache_bytes == bytes - 8000 * 1000 / 4096 * 4096 - 4096 * ((8000 * 1000) % 4096 != 0));
}

TEST_CASE("cache memory: a directory that cannot hold a file is an error naming it") {
  if (logreg::detail::cache_memory_enabled()) return;  // only in a process of its own (ctest)
  CHECK_THROWS_WITH(logreg::detail::enable_cache_memory("/no/such/dir", 1 << 20),
                    "--cache-dir: cannot make a cache file in '/no/such/dir': No such file or directory");
  CHECK(!logreg::detail::cache_memory_enabled());
}
