// Running parts of a pass on logreg's threads (logreg/threads.hpp says how many).
#pragma once
#include <functional>

#include "logreg/threads.hpp"

namespace logreg {

// Runs fn(0), ..., fn(parts - 1) concurrently, fn(0) on the calling thread; returns when all are
// done. An exception thrown by any part is rethrown here (the first one).
void run_parallel(int parts, const std::function<void(int)>& fn);

// While one exists on a thread, thread_count() is 1 there: work that already runs on several
// threads at an outer level (cv's folds) keeps its inner passes on its own thread. The results do
// not change: the inner sums are chunked independently of the thread count (chunking.hpp).
class serial_scope {
 public:
  serial_scope();
  ~serial_scope();
  serial_scope(const serial_scope&) = delete;
  serial_scope& operator=(const serial_scope&) = delete;

 private:
  bool previous_;
};

}  // namespace logreg
