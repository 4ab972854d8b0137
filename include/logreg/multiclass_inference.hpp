// The coefficient tables and the fit statistics of a model of K classes, from what training stored
// (inference_data): one table per class, as statsmodels' MNLogit.summary() shows them.
#pragma once
#include <string>
#include <vector>

#include "logreg/inference.hpp"
#include "logreg/model.hpp"

namespace logreg {

struct class_table {
  std::string label;  // the class this block of coefficients belongs to
  // (Intercept) first when fitted, then the features. The odds_ratio fields hold the relative-risk
  // ratios exp(estimate) against the reference class; NaN in the symmetric parameterisation, where
  // there is no reference class.
  std::vector<coefficient_row> rows;
};

struct multiclass_inference_table {
  bool available = false;  // the model holds inference data (else: the model's estimates only)
  bool has_covariance = false;
  bool exact = true;                // false: a penalised fit, the errors are approximate
  std::string covariance_type;      // nonrobust | HC0
  std::string parameterization;     // reference | symmetric
  std::string reference_class;      // reference: the class every other class is compared with
  double level = 0.95;
  double condition_number = 0;
  std::vector<class_table> classes;  // reference: every class but the reference, in order; else all
  fit_statistics statistics;        // (K - 1)(d + 1) parameters in either parameterisation
};

// The tables of a multinomial model. Without a penalty (parameterization "reference", statsmodels'
// MNLogit): for each class k but the first, the contrasts beta_k - beta_ref of the model's
// coefficients, with their Wald statistics and relative-risk ratios. With L2 ("symmetric",
// approximate): the model's coefficients of every class. Models without inference data (one-vs-rest,
// L1, elastic net, too many parameters, older files) get the model's coefficients of every class,
// estimates only. level in (0, 1); robust: HC0 errors whatever the model's default.
multiclass_inference_table make_multiclass_inference_table(const model& m, double level = 0.95, bool robust = false);

}  // namespace logreg
