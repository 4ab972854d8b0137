// Threads. logreg runs its own threads (CSV parsing, blocks of the objective); how many is set here.
//
// The thread policy is opt-in for library users: apply_thread_policy() sets OpenBLAS to one thread
// (logreg's threads do the parallel work, so the two never compete for the cores, and results are
// the same bit for bit for any thread count) and stops OpenBLAS's idle worker threads. The command
// line applies it first thing. A program that also uses BLAS itself may prefer not to.
#pragma once

namespace logreg {

// 0 = one thread per core (the default).
void set_thread_count(int threads);
// The threads logreg's parallel passes use. No side effects.
int thread_count();

// Sets OpenBLAS to one thread and stops its idle workers (a process-wide change). Idempotent.
void apply_thread_policy();

}  // namespace logreg
