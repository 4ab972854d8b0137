// Running parts of a pass on logreg's threads (logreg/threads.hpp says how many).
#pragma once
#include <functional>

#include "logreg/threads.hpp"

namespace logreg {

// Runs fn(0), ..., fn(parts - 1) concurrently, fn(0) on the calling thread; returns when all are
// done. An exception thrown by any part is rethrown here (the first one).
void run_parallel(int parts, const std::function<void(int)>& fn);

}  // namespace logreg
