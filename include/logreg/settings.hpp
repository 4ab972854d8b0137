// Training settings: what the user asked for. Stored in the model as given.
#pragma once
#include <string>

namespace logreg {

enum class penalty_kind { none, l2, l1, elasticnet };
enum class solver_kind { automatic, newton, lbfgs };
enum class multiclass_kind { multinomial, ovr };

std::string to_string(penalty_kind p);
std::string to_string(solver_kind s);
std::string to_string(multiclass_kind m);
penalty_kind parse_penalty(const std::string& text);        // throws usage_error naming --penalty
solver_kind parse_solver(const std::string& text);          // throws usage_error naming --solver
multiclass_kind parse_multiclass(const std::string& text);  // throws usage_error naming --multiclass

// The objective, scikit-learn's (R = l1_ratio: 1 for l1, 0 for l2):
//   C * sum_i c_i loss_i + R ||w||_1 + (1 - R) / 2 ||w||^2      (no penalty term with penalty none)
struct fit_settings {
  penalty_kind penalty = penalty_kind::l2;
  double C = 1.0;               // inverse regularisation strength, as scikit-learn / LIBLINEAR
  double l1_ratio = 0.5;        // elastic net only
  bool fit_intercept = true;
  bool standardize = true;
  solver_kind solver = solver_kind::automatic;
  multiclass_kind multiclass = multiclass_kind::multinomial;  // for more than two classes
  double tol = 1e-10;           // stop when max|gradient| <= tol * C * (sum of row weights)
  int max_iter = 1000;
  std::string class_weight;     // "" (none), "balanced", or "LABEL=W,LABEL=W,..."
  std::string weight_column;    // "" or the column of per-row sample weights

  // The weight R of ||w||_1 (0 for none and l2).
  double l1_weight() const;
  // The weight of ||w||^2 / 2 (0 for none and l1).
  double l2_weight() const;
};

// Checks ranges once, up front; throws usage_error naming the flag and what it accepts.
void validate(const fit_settings& s);

}  // namespace logreg
