#include "logreg/settings.hpp"

#include <cmath>

#include "logreg/error.hpp"
#include "io/number_parser.hpp"

namespace logreg {

std::string to_string(penalty_kind p) {
  switch (p) {
    case penalty_kind::none: return "none";
    case penalty_kind::l2: return "l2";
    case penalty_kind::l1: return "l1";
    case penalty_kind::elasticnet: return "elasticnet";
  }
  return "l2";
}

std::string to_string(multiclass_kind m) { return m == multiclass_kind::ovr ? "ovr" : "multinomial"; }

multiclass_kind parse_multiclass(const std::string& text) {
  if (text == "multinomial" || text == "auto") return multiclass_kind::multinomial;
  if (text == "ovr") return multiclass_kind::ovr;
  throw usage_error("--multiclass: expected one of multinomial, ovr; got '" + text + "'");
}

double fit_settings::l1_weight() const {
  return penalty == penalty_kind::l1 ? 1.0 : penalty == penalty_kind::elasticnet ? l1_ratio : 0.0;
}

double fit_settings::l2_weight() const {
  return penalty == penalty_kind::l2 ? 1.0 : penalty == penalty_kind::elasticnet ? 1.0 - l1_ratio : 0.0;
}

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
  if (text == "l1") return penalty_kind::l1;
  if (text == "elasticnet") return penalty_kind::elasticnet;
  throw usage_error("--penalty: expected one of l2, l1, elasticnet, none; got '" + text + "'");
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
  if (!(s.l1_ratio >= 0 && s.l1_ratio <= 1))
    throw usage_error("--l1-ratio: expected a number from 0 to 1, got " + format_double(s.l1_ratio));
  if (s.max_iter < 1) throw usage_error("--max-iter: expected a whole number >= 1, got " + std::to_string(s.max_iter));
}

}  // namespace logreg
