// Temporary output files (a model or an -o output being written before its rename) that must not
// outlive the process: a signal handler installed by the program (the CLI does, see
// cli/signals.cpp; the library installs none) calls remove_temp_files(), which only uses
// async-signal-safe calls. Registration is lock-free; at most 64 files at a time are tracked.
#pragma once
#include <string>

namespace logreg::detail {

class temp_file_guard {
 public:
  temp_file_guard() = default;
  explicit temp_file_guard(const std::string& path) { track(path); }
  // Tracks path until release() or destruction (one path per guard: a second call replaces it).
  void track(const std::string& path);
  ~temp_file_guard() { release(); }
  temp_file_guard(const temp_file_guard&) = delete;
  temp_file_guard& operator=(const temp_file_guard&) = delete;
  // Stops tracking (the file was renamed into place or removed). Does not remove it.
  void release();

 private:
  int slot_ = -1;
};

// Unlinks every tracked file. Async-signal-safe.
void remove_temp_files() noexcept;

}  // namespace logreg::detail
