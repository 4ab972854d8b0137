// Without a penalty the likelihood has no maximum when a hyperplane separates the classes
// (completely, or quasi-completely: with ties on it). Newton then drives some margins to infinity
// while the gradient vanishes like exp(-margin), so "converged" alone proves nothing. A further
// Newton step betrays it: at a true optimum it moves no score; along a separating direction
// gradient and curvature vanish together, so the step stays large and keeps pushing the separated
// rows' margins up. A far-out row that is merely well classified does not move. The step itself
// points along the separating direction, which names the features involved.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

#include "logreg/model.hpp"
#include "objective/logistic_loss.hpp"
#include "objective/multinomial_loss.hpp"

namespace logreg {

// Above this many variables the check (it needs the dense Hessian) is skipped with a warning.
inline constexpr std::size_t separation_max_variables = 2001;

// Binary: throws data_error when a further Newton step from theta (the fit's end, unpenalised)
// still pushes well-classified rows' margins up; names the features along that step. No-op when the
// fit stopped on the iteration limit.
void check_separation(logistic_loss& L, const arma::vec& theta, const arma::vec& y01,
                      const std::vector<std::string>& names, const fit_report& report);

// Multinomial: the same test on each row's margin (its own score minus the best other).
void check_multinomial_separation(multinomial_loss& L, const arma::vec& theta, const std::vector<std::uint32_t>& y);

}  // namespace logreg
