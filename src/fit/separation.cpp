#include "fit/separation.hpp"

#include <algorithm>
#include <cmath>

#include "logreg/error.hpp"
#include "optim/solver.hpp"

namespace logreg {

void check_separation(logistic_loss& L, const arma::vec& theta, const arma::vec& y01,
                      const std::vector<std::string>& names, const fit_report& report) {
  if (report.status == "iteration_limit") return;  // not at a stationary point: nothing to conclude
  const arma::vec sign = 2 * y01 - 1;
  const arma::vec margin = L.scores(theta) % sign;
  arma::vec g;
  L.value_gradient(theta, g);
  arma::mat H;
  L.hessian(theta, H);
  const arma::vec step = newton_direction(H, g);
  // Rows already well classified whose margin a further Newton step still pushes up by more than
  // 0.01 (at a finite optimum the step moves no score by more than ~1e-8).
  const arma::vec moved = L.scores(step) % sign;  // X~' step_w + step_b, signed by the row's class
  // Counts of all rows (of every rank's, when the fit is split among MPI ranks).
  const bool split = L.data().shard().active;
  const auto extreme = static_cast<arma::uword>(
      detail::sum_over_ranks(split, static_cast<double>(arma::accu((margin > 5.0) % (moved > 1e-2)))));
  if (extreme == 0) return;
  const arma::uword n = L.data().total_obs();
  const bool complete = static_cast<arma::uword>(detail::sum_over_ranks(split, static_cast<double>(arma::accu(margin > 0)))) == n;
  // Name the features that carry the separating direction: the largest (standardised) components.
  const arma::uword d = names.size();
  std::vector<std::pair<double, std::size_t>> weight;
  for (arma::uword j = 0; j < d; ++j) weight.push_back({std::fabs(step(j)), j});
  std::sort(weight.rbegin(), weight.rend());
  std::string involved;
  for (std::size_t k = 0; k < weight.size() && k < 5; ++k) {
    if (weight[k].first < 0.1 * weight[0].first) break;
    involved += (involved.empty() ? "'" : ", '") + names[weight[k].second] + "'";
  }
  throw data_error(std::string("the classes are ") + (complete ? "completely" : "quasi-completely") +
                   " separated by the features: " + std::to_string(extreme) + " of " + std::to_string(n) +
                   " rows are pushed towards probability 0 or 1 without end (features involved: " + involved +
                   "), so the maximum-likelihood estimates do not exist (they are infinite) and " +
                   "--penalty none cannot give a meaningful model. Use --penalty l2 (the default; " +
                   "--C sets its strength), or remove the separating features. (The " + report.solver +
                   " solver stopped after " + std::to_string(report.iterations) + " iterations.)");
}

void check_multinomial_separation(multinomial_loss& L, const arma::vec& theta, const std::vector<std::uint32_t>& y) {
  const arma::uword K = L.layout().classes;
  arma::vec g;
  L.value_gradient(theta, g);
  arma::mat H;
  L.hessian(theta, H);
  const arma::vec step = newton_direction(H, g);
  const arma::mat Z = L.linear_scores(theta), dZ = L.linear_scores(step);
  arma::uword running = 0;
  for (arma::uword i = 0; i < Z.n_cols; ++i) {
    double margin = INFINITY, moved = INFINITY;
    for (arma::uword k = 0; k < K; ++k)
      if (k != y[i]) {
        margin = std::min(margin, Z(y[i], i) - Z(k, i));
        moved = std::min(moved, dZ(y[i], i) - dZ(k, i));
      }
    running += margin > 5 && moved > 1e-2;
  }
  running = static_cast<arma::uword>(detail::sum_over_ranks(L.data().shard().active, static_cast<double>(running)));
  if (running > 0)
    throw data_error("the classes are (quasi-)completely separated by the features: " + std::to_string(running) + " of " +
                     std::to_string(L.data().total_obs()) +
                     " rows are pushed towards probability 1 of their class without end, so the maximum-likelihood "
                     "estimates do not exist (they are infinite) and --penalty none cannot give a meaningful model. "
                     "Use --penalty l2 (the default; --C sets its strength).");
}

}  // namespace logreg
