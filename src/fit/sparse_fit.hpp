// Fitting the binary model on sparse data (csr_matrix, one row per observation) without ever
// forming a dense X: the counterpart of fit_binary (binary_fit.hpp) for libsvm input.
//
// The solver works in fit_binary's coordinates, (x_ij - mean_j) / scale_j (centred only with an
// intercept), but the standardisation is applied implicitly by sparse_logistic_objective, in the
// algebra of the parameters: the stored zeros stay zeros. Same problem, same optimum, same
// conditioning: a libsvm file and the same data as CSV give the same model.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "fit/binary_fit.hpp"
#include "io/libsvm_reader.hpp"
#include "logreg/progress.hpp"
#include "logreg/settings.hpp"

namespace logreg {

// Per column: the mean and the population standard deviation (zeros included); a constant
// column, whose deviation is at most 10 eps max(1, |mean|), gets scale 1 (as standardize_in_place).
void sparse_column_statistics(const csr_matrix& X, std::vector<double>& mean, std::vector<double>& scale);

// Features above this count are not checked for separation without a penalty (the check needs a
// dense d x d Hessian).
inline constexpr std::size_t sparse_separation_max_features = 2000;

// Minimises C * sum_i c_i log(1 + exp(-s_i (x_i.w + b))) + penalty(w) as fit_binary does (solver
// choice, penalty weights for --no-standardize, the separation check without a penalty, the
// warnings), with these differences: no aliased-column step (with --penalty none, exactly collinear
// columns are left to the solver), no warm start, no inference data, and no separation check above
// sparse_separation_max_features features (a warning says so).
binary_fit_result fit_binary_sparse(const csr_matrix& X, const arma::vec& y01, const arma::vec& weights,
                                    const fit_settings& settings, const std::vector<std::string>& feature_names,
                                    const progress_callbacks& progress = {});

}  // namespace logreg
