// How the library reports progress without printing: the caller passes callbacks, the CLI decides
// what to show (stderr, only on a terminal, never with --quiet).
#pragma once
#include <cstddef>
#include <functional>
#include <string>

namespace logreg {

struct iteration_info {
  int iteration = 0;
  double objective = 0;
  double gradient_norm = 0;  // infinity norm of the gradient
  double step = 0;           // step length accepted by the line search
};

struct progress_callbacks {
  // Called now and then while loading: bytes read so far, total bytes (0 if unknown), rows so far.
  std::function<void(std::size_t bytes, std::size_t total, std::size_t rows)> on_load;
  // Called after every solver iteration.
  std::function<void(const iteration_info&)> on_iteration;
  // A finished stage, said in one line for people (e.g. "read 569 rows x 30 features ...").
  std::function<void(const std::string&)> on_note;
};

}  // namespace logreg
