#include "logreg/error.hpp"
#include "optim/solver.hpp"

namespace logreg {

std::string to_string(stop_reason r) {
  switch (r) {
    case stop_reason::converged: return "converged";
    case stop_reason::max_iterations: return "iteration_limit";
    case stop_reason::line_search_failed: return "line_search_failed";
    case stop_reason::diverged: return "diverged";
  }
  return "unknown";
}

stop_reason parse_stop_reason(const std::string& text) {
  for (stop_reason r : {stop_reason::converged, stop_reason::max_iterations, stop_reason::line_search_failed,
                        stop_reason::diverged})
    if (to_string(r) == text) return r;
  throw data_error("unknown fit status '" + text + "'");
}

}  // namespace logreg
