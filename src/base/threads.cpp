#include "base/parallel.hpp"

#include <atomic>
#include <exception>
#include <thread>
#include <vector>

extern "C" void openblas_set_num_threads(int);
// OpenBLAS's pthread build: stops its worker threads (weak: other BLAS builds may not have it).
extern "C" __attribute__((weak)) int blas_thread_shutdown_(void);

namespace logreg {

namespace {
std::atomic<int> configured{0};
thread_local bool serial = false;  // inside a serial_scope
}  // namespace

serial_scope::serial_scope() : previous_(serial) { serial = true; }
serial_scope::~serial_scope() { serial = previous_; }

void set_thread_count(int threads) { configured = threads < 0 ? 0 : threads; }

void apply_thread_policy() {
  static const bool applied = [] {
    openblas_set_num_threads(1);
    // OpenBLAS started its worker threads before main(); idle, they spin on sched_yield for their
    // first ~0.1 s (thousands of calls), competing with the CSV reader's threads. With one BLAS
    // thread they have nothing to do: stop them. (The order matters: openblas_set_num_threads
    // restarts stopped workers.)
    if (blas_thread_shutdown_) blas_thread_shutdown_();
    return true;
  }();
  (void)applied;
}

int thread_count() {
  if (serial) return 1;
  const int t = configured.load();
  if (t > 0) return t;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

void run_parallel(int parts, const std::function<void(int)>& fn) {
  if (parts <= 1) {
    fn(0);
    return;
  }
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(parts));
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(parts - 1));
  for (int c = 1; c < parts; ++c)
    pool.emplace_back([&, c] {
      try {
        fn(c);
      } catch (...) {
        errors[static_cast<std::size_t>(c)] = std::current_exception();
      }
    });
  try {
    fn(0);
  } catch (...) {
    errors[0] = std::current_exception();
  }
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace logreg
