// Deterministic parallel sums over observations, shared by the objectives.
//
// Sums over observations are split into chunks that do not depend on the thread count (at most 64,
// at least 4096 rows each); each chunk's partial sum is kept apart and the partials are added in
// chunk order. So the result is the same, bit for bit, with any number of threads.
#pragma once
#include <algorithm>
#include <armadillo>
#include <atomic>

#include "base/parallel.hpp"

namespace logreg::detail {

struct chunking {
  arma::uword n, count;
  explicit chunking(arma::uword rows) : n(rows), count(std::max<arma::uword>(1, std::min<arma::uword>(64, rows / 4096))) {}
  arma::uword begin(arma::uword c) const { return n * c / count; }
};

// The threads for_each_chunk runs on: `threads`, but no more than there are chunks.
inline int chunk_threads(const chunking& ch, int threads) {
  return std::max(1, std::min<int>(threads, static_cast<int>(ch.count)));
}

// Chunked passes run so far (for_each_chunk_on_thread calls): the out-of-core report's count of
// passes over the data.
inline std::atomic<std::size_t> chunked_passes{0};

// Runs fn(chunk, thread) for every chunk, the chunks spread over chunk_threads(ch, threads) threads
// in contiguous runs; `thread` (0 ...) says which, for per-thread scratch space.
template <class Fn>
void for_each_chunk_on_thread(const chunking& ch, int threads, Fn&& fn) {
  const int T = chunk_threads(ch, threads);
  chunked_passes.fetch_add(1, std::memory_order_relaxed);
  run_parallel(T, [&](int t) {
    const arma::uword lo = ch.count * static_cast<arma::uword>(t) / static_cast<arma::uword>(T);
    const arma::uword hi = ch.count * static_cast<arma::uword>(t + 1) / static_cast<arma::uword>(T);
    for (arma::uword c = lo; c < hi; ++c) fn(c, t);
  });
}

// Runs fn(chunk) for every chunk, the chunks spread over `threads` threads in contiguous runs.
template <class Fn>
void for_each_chunk(const chunking& ch, int threads, Fn&& fn) {
  for_each_chunk_on_thread(ch, threads, [&](arma::uword c, int) { fn(c); });
}

// Threads worth using for a pass over `values` numbers: one per ~2^18, at most thread_count().
inline int threads_for_work(double values) {
  return std::max(1, std::min(thread_count(), static_cast<int>(values / (1 << 18))));
}

}  // namespace logreg::detail
