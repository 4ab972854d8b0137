#include "optim/owlqn_solver.hpp"

#include "optim/lbfgs_memory.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace logreg {

namespace {

double sign(double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); }

// A point with everything the iteration needs: theta, f and its gradient g, F = f + l1'|theta|, and
// the pseudo-gradient pg of F.
struct state {
  arma::vec x, g, pg;
  double f = 0, F = 0, pg_norm = 0;
};

void evaluate(objective& f, const arma::vec& l1, state& s) {
  s.f = f.value_gradient(s.x, s.g);
  s.F = s.f + arma::dot(l1, arma::abs(s.x));
  s.pg = owlqn_pseudo_gradient(s.x, s.g, l1);
  s.pg_norm = arma::norm(s.pg, "inf");
}

bool finite(const state& s) { return std::isfinite(s.F) && std::isfinite(s.pg_norm); }
}  // namespace

arma::vec owlqn_pseudo_gradient(const arma::vec& x, const arma::vec& g, const arma::vec& l1) {
  arma::vec pg(x.n_elem);
  for (arma::uword k = 0; k < x.n_elem; ++k) {
    if (x(k) != 0) {
      pg(k) = g(k) + l1(k) * sign(x(k));
    } else if (g(k) + l1(k) < 0) {
      pg(k) = g(k) + l1(k);
    } else if (g(k) - l1(k) > 0) {
      pg(k) = g(k) - l1(k);
    } else {
      pg(k) = 0;
    }
  }
  return pg;
}

solver_report owlqn_solve(objective& f, const arma::vec& l1, arma::vec& theta, const solver_options& options,
                          int memory) {
  const arma::uword n = f.n_vars();
  if (theta.n_elem != n || l1.n_elem != n)
    throw std::invalid_argument("owlqn_solve: theta has " + std::to_string(theta.n_elem) + " and l1 " +
                                std::to_string(l1.n_elem) + " elements, the objective " + std::to_string(n) +
                                " variables");
  if (!l1.is_finite() || (n > 0 && l1.min() < 0))
    throw std::invalid_argument("owlqn_solve: the L1 weights must be finite and >= 0");
  if (memory < 1) throw std::invalid_argument("owlqn_solve: memory must be >= 1");

  solver_report rep;
  const double scale = f.gradient_scale();
  const arma::uvec penalised = arma::find(l1 > 0);
  state here, next;
  here.x = theta;
  evaluate(f, l1, here);
  rep.evaluations = 1;

  detail::lbfgs_memory pairs(memory);
  arma::vec p, xi;

  // Stops with the state `here` (theta is kept equal to here.x throughout).
  auto finish = [&](stop_reason r) {
    rep.reason = r;
    rep.objective = here.F;
    rep.gradient_norm = here.pg_norm;
    return rep;
  };

  for (;;) {
    rep.objective = here.F;
    rep.gradient_norm = here.pg_norm;
    if (!finite(here)) return finish(stop_reason::diverged);
    if (here.pg_norm <= options.tol * scale) {  // with the distance estimate on the free variables
      arma::vec q = here.pg;
      for (const arma::uword k : penalised)
        if (here.x(k) == 0) q(k) = 0;
      rep.step_estimate = arma::norm(q, 2) / pairs.min_curvature() / std::max(arma::norm(here.x, 2), 1.0);
      return finish(stop_reason::converged);
    }
    if (rep.iterations >= options.max_iter) return finish(stop_reason::max_iterations);

    // Direction: the two-loop recursion on the pseudo-gradient, p = -H pg ...
    double t0 = pairs.empty() ? std::min(1.0, 1.0 / std::max(arma::norm(here.pg, 2), 1e-300)) : 1.0;
    p = -pairs.apply(here.pg);
    // ... then, for the penalised variables at zero, the components whose sign disagrees with -pg
    // are dropped (with pg_k == 0, i.e. |g_k| <= l1_k, the variable stays at 0). The paper drops
    // them for every variable; for non-zero ones the orthant projection of the line search already
    // keeps the step in the orthant, and keeping their quasi-Newton components was measured to take
    // 2-18x fewer iterations on breast cancer (same optimum, same zeros).
    for (const arma::uword k : penalised)
      if (here.x(k) == 0 && p(k) * here.pg(k) >= 0) p(k) = 0;
    double slope = arma::dot(here.pg, p);
    if (!(slope < 0)) {  // not a descent direction (possible through the dropped components): restart
      pairs.clear();
      p = -here.pg;
      slope = arma::dot(here.pg, p);
      t0 = std::min(1.0, 1.0 / std::max(arma::norm(here.pg, 2), 1e-300));
    }
    // The orthant of the step: sign(theta_k), or for theta_k == 0 the sign of -pg_k.
    xi.zeros(n);
    for (const arma::uword k : penalised) xi(k) = here.x(k) != 0 ? sign(here.x(k)) : -sign(here.pg(k));

    // Backtracking line search (halving from t0) along the projected path theta(t) = P(theta + t p),
    // P setting the penalised components that left the orthant xi to 0. With s = theta(t) - theta,
    // a step is accepted when
    //   (a) F(t) <= F(0) + c1 pg's                                      (Armijo, as in the paper), or
    //   (b) near the optimum, where the change of F drowns in the rounding of f (a sum over n rows),
    //       i.e. |F(t) - F(0)| <= 1e-12 |F(0)|: the same test with f(t) - f(0) estimated by the
    //       trapezoid rule from the gradients, (g(0) + g(t))'s / 2, and the L1 change computed
    //       exactly. The estimate is exact up to third-order terms in s (tiny there) and is made of
    //       gradients, which keep their relative accuracy long after differences of f have lost it;
    //       it is still a decrease test, so the iteration cannot drift uphill within the noise.
    constexpr double c1 = 1e-4;
    const double noise = 1e-12 * std::fabs(here.F) + std::numeric_limits<double>::min();
    double t = t0;
    bool accepted = false;
    for (int k = 0; k < 60; ++k) {
      next.x = here.x + t * p;
      for (const arma::uword j : penalised)
        if (next.x(j) * xi(j) <= 0) next.x(j) = 0;
      if (arma::all(next.x == here.x)) break;  // the step is below the resolution of theta
      evaluate(f, l1, next);
      ++rep.evaluations;
      if (!finite(next)) {  // out of the domain of finite values: shrink fast
        t *= 0.1;
        continue;
      }
      const arma::vec s = next.x - here.x;
      // pg's < 0 for small t; it could turn >= 0 once components are clipped at 0 (an unpenalised
      // component moving against pg while the penalised ones were cut short): then shrink.
      const double decrease = c1 * arma::dot(here.pg, s);
      if (!(decrease < 0)) {
        t *= 0.5;
        continue;
      }
      if (next.F <= here.F + decrease) {
        accepted = true;
      } else if (std::fabs(next.F - here.F) <= noise) {
        const double estimate =
            0.5 * arma::dot(here.g + next.g, s) + arma::dot(l1, arma::abs(next.x) - arma::abs(here.x));
        accepted = estimate <= decrease;
      }
      if (accepted) break;
      t *= 0.5;
    }
    if (!accepted) {
      if (!pairs.empty()) {  // retry once from steepest descent before giving up
        pairs.clear();
        continue;
      }
      return finish(stop_reason::line_search_failed);
    }

    arma::vec s = next.x - here.x;
    arma::vec y = next.g - here.g;  // curvature from the smooth part only
    std::swap(here, next);
    theta = here.x;
    ++rep.iterations;
    pairs.push(std::move(s), std::move(y));
    if (options.on_iteration) options.on_iteration({rep.iterations, here.F, here.pg_norm, t});
  }
}

}  // namespace logreg
