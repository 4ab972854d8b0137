#include "logreg/settings.hpp"

#include <cmath>

#include "logreg/error.hpp"
#include "logreg/number_parser.hpp"

namespace logreg {

std::string to_string(penalty_kind p) { return p == penalty_kind::none ? "none" : "l2"; }

std::string to_string(solver_kind s) {
  switch (s) {
    case solver_kind::automatic: return "auto";
    case solver_kind::newton: return "newton";
    case solver_kind::lbfgs: return "lbfgs";
  }
  return "auto";
}

penalty_kind parse_penalty(const std::string& text) {
  if (text == "l2") return penalty_kind::l2;
  if (text == "none") return penalty_kind::none;
  throw usage_error("--penalty: expected one of l2, none; got '" + text + "'");
}

solver_kind parse_solver(const std::string& text) {
  if (text == "auto") return solver_kind::automatic;
  if (text == "newton") return solver_kind::newton;
  if (text == "lbfgs") return solver_kind::lbfgs;
  throw usage_error("--solver: expected one of auto, newton, lbfgs; got '" + text + "'");
}

void validate(const fit_settings& s) {
  if (!(s.C > 0) || !std::isfinite(s.C))
    throw usage_error("--C: expected a positive finite number, got " + format_double(s.C));
  if (!(s.tol > 0) || !std::isfinite(s.tol))
    throw usage_error("--tol: expected a positive finite number, got " + format_double(s.tol));
  if (s.max_iter < 1) throw usage_error("--max-iter: expected a whole number >= 1, got " + std::to_string(s.max_iter));
}

}  // namespace logreg
