// Training settings: what the user asked for. Stored in the model as given.
#pragma once
#include <string>

namespace logreg {

enum class penalty_kind { none, l2 };
enum class solver_kind { automatic, newton, lbfgs };

std::string to_string(penalty_kind p);
std::string to_string(solver_kind s);
penalty_kind parse_penalty(const std::string& text);  // throws usage_error naming --penalty
solver_kind parse_solver(const std::string& text);    // throws usage_error naming --solver

struct fit_settings {
  penalty_kind penalty = penalty_kind::l2;
  double C = 1.0;               // inverse regularisation strength, as scikit-learn / LIBLINEAR
  bool fit_intercept = true;
  bool standardize = true;
  solver_kind solver = solver_kind::automatic;
  double tol = 1e-10;           // stop when max|gradient| <= tol * C * (number of rows)
  int max_iter = 1000;
};

// Checks ranges once, up front; throws usage_error naming the flag and what it accepts.
void validate(const fit_settings& s);

}  // namespace logreg
