// Exact collinearity among the feature columns, found before an unpenalised fit: a column that is a
// linear combination of the columns before it (and of the intercept) makes the likelihood flat along
// a line, so its coefficient is not identified. As R's glm, logreg drops it ("aliased").
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "data/design.hpp"

namespace logreg {

struct aliased_column {
  arma::uword index = 0;    // the column (a row of X)
  // For people, in the file's units: "column 'x3' is an exact linear combination of other columns
  // ('x3' = 2*'x1' - 'x2' + 0.5)", "column 'c' is constant (5), so collinear
  // with the intercept", "column 'z' is 0 in every row".
  std::string relation;
};

struct collinearity_result {
  std::vector<arma::uword> kept;        // the identified columns, in order
  std::vector<aliased_column> aliased;  // the others, in order
};

// A column whose residual, after projecting out the intercept and the kept columns before it, has
// a norm below this share of the column's raw norm (in the file's units) is an exact combination of
// them. Combinations computed in double precision and written with 10 or more significant digits
// fall below it; R's glm uses 1e-11 in the same sense. Near-dependence above it is left to the
// conditioning warning.
inline constexpr double collinearity_tolerance = 1e-9;

// X is d x n, one column per observation; feature j is row j (term j of a design). mean / scale
// describe a standardisation already applied to X (x = mean + scale * x~; empty: none), so that the relations
// are reported in the units of the file. Columns are taken in order: the later of two collinear
// columns is the one aliased. Costs one pass over X (a Gram matrix, n d^2 flops), and when some
// column comes within 1e-3 of dependence, a second one (a QR decomposition by blocks of the design's
// dense copy, ~2 n d^2).
collinearity_result find_aliased_columns(const design& X, bool intercept, const std::vector<std::string>& names,
                                         const std::vector<double>& mean, const std::vector<double>& scale,
                                         double tolerance = collinearity_tolerance);
// The same for a dense matrix.
collinearity_result find_aliased_columns(const arma::mat& X, bool intercept, const std::vector<std::string>& names,
                                         const std::vector<double>& mean, const std::vector<double>& scale,
                                         double tolerance = collinearity_tolerance);

}  // namespace logreg
