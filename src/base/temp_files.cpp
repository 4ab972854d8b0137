#include "base/temp_files.hpp"

#include <limits.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace logreg::detail {

namespace {

constexpr int slots = 64;
enum : int { free_slot = 0, filling = 1, tracked = 2 };
std::atomic<int> state[slots];
char paths[slots][PATH_MAX];

}  // namespace

void temp_file_guard::track(const std::string& path) {
  release();
  if (path.size() >= PATH_MAX) return;
  for (int i = 0; i < slots; ++i) {
    int expected = free_slot;
    if (state[i].compare_exchange_strong(expected, filling)) {
      std::memcpy(paths[i], path.c_str(), path.size() + 1);
      state[i].store(tracked);
      slot_ = i;
      return;
    }
  }
}

void temp_file_guard::release() {
  if (slot_ >= 0) state[slot_].store(free_slot);
  slot_ = -1;
}

void remove_temp_files() noexcept {
  for (int i = 0; i < slots; ++i)
    if (state[i].load() == tracked) ::unlink(paths[i]);
}

}  // namespace logreg::detail
