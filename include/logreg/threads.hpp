// One thread policy for the whole library: logreg runs its own threads (CSV parsing, blocks of
// the objective) and keeps OpenBLAS single-threaded, so the two never compete for the cores.
#pragma once
#include <functional>

namespace logreg {

// 0 = one thread per core (the default).
void set_thread_count(int threads);
int thread_count();

// Runs fn(0), ..., fn(parts - 1) concurrently, fn(0) on the calling thread; returns when all are
// done. An exception thrown by any part is rethrown here (the first one).
void run_parallel(int parts, const std::function<void(int)>& fn);

}  // namespace logreg
