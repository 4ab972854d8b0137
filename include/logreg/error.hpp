// Errors thrown by the library. The command line maps them to exit codes:
//   data_error  -> 1 (bad input data, unreadable file, a fit that cannot be trusted)
//   usage_error -> 2 (bad command line: unknown flag, value out of range)
#pragma once
#include <stdexcept>
#include <string>

namespace logreg {

struct data_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace logreg
