// Many fits of one data set, one value of C (and L1 ratio) after another, each starting from the
// previous solution: the engine of `cv` and `path`. The design is standardised once, on its own rows
// (as `logreg train` on those rows standardises), so a fit at C is the fit `logreg train` makes at
// that C on these rows, to the solver's tolerance (only the starting point differs). Going from the
// strongest penalty (smallest C) to the weakest keeps each start close to the next optimum.
//
// Penalised fits only (l2, l1, elasticnet): without a penalty C means nothing.
#pragma once
#include <armadillo>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/design.hpp"
#include "logreg/model.hpp"
#include "logreg/settings.hpp"
#include "objective/loss.hpp"

namespace logreg {

class fit_path {
 public:
  // y[i] in [0, K) (binary: 1 = the positive class); weights per observation (empty: 1). X is
  // standardised in place. Throws usage_error for --penalty none.
  fit_path(design& X, std::vector<std::uint32_t> y, arma::uword K, arma::vec weights, const fit_settings& settings);
  ~fit_path();
  fit_path(const fit_path&) = delete;
  fit_path& operator=(const fit_path&) = delete;

  struct point {
    double C = 0, l1_ratio = 0;
    std::vector<std::vector<double>> coefficients;  // on the original scale; binary: one row
    std::vector<double> intercepts;
    fit_report report;        // one-vs-rest: the worst of the K fits, as train reports it
    std::size_t nonzero = 0;  // coefficients that are not 0, over every class
  };

  // The fit at C (and l1_ratio, for an elastic net), from the previous fit's solution.
  point fit(double C, double l1_ratio);
  // The next fit starts from the intercept-only fit again (a new path, e.g. another l1 ratio).
  void restart();

  // The C at which a coefficient first leaves 0 as C grows, with an L1 part of weight l1_ratio: the
  // user's objective C L + R |w|_1 + ... has w = 0 optimal while C |dL/dw_j| <= R mu_j at the
  // intercept-only fit (mu_j = 1, or 1 / scale_j with --no-standardize). With l1_ratio 0 it is
  // the same quantity for R = 1: the scale of C at which the data start to move the coefficients.
  double boundary_C(double l1_ratio) const;

  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& scale() const { return scale_; }

 private:
  struct problem_state;  // one loss and its solution (K of them for one-vs-rest)
  design& X_;
  arma::uword K_;
  fit_settings settings_;
  std::vector<double> mean_, scale_;
  std::vector<std::unique_ptr<problem_state>> problems_;
  std::vector<std::uint32_t> y_;
};

}  // namespace logreg
