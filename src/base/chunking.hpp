// Deterministic parallel sums over observations, shared by the objectives.
//
// Sums over observations are split into chunks that do not depend on the thread count (at most 64,
// at least 4096 rows each); each chunk's partial sum is kept apart and the partials are added in
// chunk order. So the result is the same, bit for bit, with any number of threads.
#pragma once
#include <algorithm>
#include <armadillo>
#include <atomic>

#include "base/communicator.hpp"
#include "base/parallel.hpp"

namespace logreg::detail {

struct chunking {
  arma::uword n, count;
  // Split among MPI ranks (communicator.hpp): n and count are the whole data's, this process holds
  // the chunks [first, local_end()) and its row 0 is row `offset` of the whole; begin() gives rows
  // of this process. One process: all chunks, offset 0.
  bool distributed = false;
  arma::uword first = 0, last = 0, offset = 0;
  explicit chunking(arma::uword rows) : n(rows), count(std::max<arma::uword>(1, std::min<arma::uword>(64, rows / 4096))) {}
  arma::uword begin(arma::uword c) const { return n * c / count - offset; }
  arma::uword local_begin() const { return distributed ? first : 0; }
  arma::uword local_end() const { return distributed ? last : count; }
};

// The threads for_each_chunk runs on: `threads`, but no more than there are chunks here.
inline int chunk_threads(const chunking& ch, int threads) {
  return std::max(1, std::min<int>(threads, static_cast<int>(ch.local_end() - ch.local_begin())));
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
    const arma::uword first = ch.local_begin(), here = ch.local_end() - first;
    const arma::uword lo = first + here * static_cast<arma::uword>(t) / static_cast<arma::uword>(T);
    const arma::uword hi = first + here * static_cast<arma::uword>(t + 1) / static_cast<arma::uword>(T);
    for (arma::uword c = lo; c < hi; ++c) fn(c, t);
  });
}

// Runs fn(chunk) for every chunk, the chunks spread over `threads` threads in contiguous runs.
template <class Fn>
void for_each_chunk(const chunking& ch, int threads, Fn&& fn) {
  for_each_chunk_on_thread(ch, threads, [&](arma::uword c, int) { fn(c); });
}

// Adds the chunks' partial sums in chunk order: add(c) for every chunk c of this process, in order,
// onto the accumulators `acc`; split among ranks, in rank order with the running sums handed on
// (communicator.hpp), so that every rank ends with the one-process totals, bit for bit.
template <class Fn>
void sum_in_chunk_order(const chunking& ch, std::initializer_list<values> acc, Fn&& add) {
  in_rank_order(ch.distributed, acc, [&] {
    for (arma::uword c = ch.local_begin(); c < ch.local_end(); ++c) add(c);
  });
}

// A sum over this process's observations i (f(i), local rows) that is the same, bit for bit, for
// any number of threads and ranks: each chunk's sum left to right, the chunks' sums in chunk order.
template <class F>
double total(const chunking& ch, F&& f) {
  double sum = 0;
  sum_in_chunk_order(ch, {{&sum, 1}}, [&](arma::uword c) {
    double s = 0;
    for (arma::uword i = ch.begin(c), end = ch.begin(c + 1); i < end; ++i) s += f(i);
    sum += s;
  });
  return sum;
}
inline double total(const chunking& ch, const arma::vec& v) {
  return total(ch, [&](arma::uword i) { return v[i]; });
}

// The part of the observations this process holds when a fit is split among MPI ranks: the chunks
// [first, last) of chunking(total), which start at row `offset` of the whole.
struct shard {
  bool active = false;
  arma::uword total = 0, offset = 0, first = 0, last = 0;
};

// Threads worth using for a pass over `values` numbers: one per ~2^18, at most thread_count().
inline int threads_for_work(double values) {
  return std::max(1, std::min(thread_count(), static_cast<int>(values / (1 << 18))));
}

}  // namespace logreg::detail
