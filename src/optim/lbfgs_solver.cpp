#include <algorithm>
#include <cmath>
#include <limits>

#include "optim/lbfgs_memory.hpp"
#include "optim/solver.hpp"

namespace logreg {

namespace {
constexpr double eps = std::numeric_limits<double>::epsilon();

struct point {
  double t, f, d;  // step, phi(t) = f(x + t p), phi'(t) = g(x + t p)' p
  arma::vec g;
};

// Minimiser of the cubic through (a, fa, da) and (b, fb, db), kept inside the middle 80% of [a, b];
// bisection when the cubic has no usable minimum.
double cubic_step(const point& a, const point& b) {
  const double lo = std::min(a.t, b.t), hi = std::max(a.t, b.t), w = hi - lo;
  const double d1 = a.d + b.d - 3 * (a.f - b.f) / (a.t - b.t);
  const double disc = d1 * d1 - a.d * b.d;
  double t = 0.5 * (lo + hi);
  if (disc >= 0 && std::isfinite(disc)) {
    const double d2 = std::copysign(std::sqrt(disc), b.t - a.t);
    const double c = b.t - (b.t - a.t) * (b.d + d2 - d1) / (b.d - a.d + 2 * d2);
    if (std::isfinite(c)) t = c;
  }
  return std::clamp(t, lo + 0.1 * w, hi - 0.1 * w);
}

// Line search for the strong Wolfe conditions (Nocedal & Wright, algorithms 3.5 and 3.6).
// Returns false when no acceptable step was found within the evaluation budget.
bool wolfe_search(objective& f, const arma::vec& x, const arma::vec& p, const point& zero, double t0,
                  point& out, int& evaluations) {
  constexpr double c1 = 1e-4, c2 = 0.9;
  const double slack = 4 * eps * std::fabs(zero.f);
  arma::vec trial;
  auto eval = [&](double t) {
    point q;
    q.t = t;
    trial = x + t * p;
    q.f = f.value_gradient(trial, q.g);
    q.d = arma::dot(q.g, p);
    ++evaluations;
    return q;
  };
  auto sufficient = [&](const point& q) { return std::isfinite(q.f) && q.f <= zero.f + c1 * q.t * zero.d + slack; };
  auto curvature = [&](const point& q) { return std::fabs(q.d) <= -c2 * zero.d; };
  // Near the optimum, changes of f drown in rounding (a sum of n terms) while the gradient is still
  // informative: then accept on the approximate Wolfe conditions of Hager and Zhang: f not above
  // f(0) beyond a rounding allowance, and (2 c1 - 1) phi'(0) >= phi'(t) >= c2 phi'(0).
  const double noise = 1e-10 * std::fabs(zero.f);
  auto approximate_wolfe = [&](const point& q) {
    return std::isfinite(q.f) && q.f <= zero.f + noise && q.d >= c2 * zero.d && q.d <= (2 * c1 - 1) * zero.d;
  };

  auto zoom = [&](point lo, point hi) {
    for (int k = 0; k < 30; ++k) {
      point q = eval(cubic_step(lo, hi));
      if (approximate_wolfe(q)) {
        out = std::move(q);
        return true;
      }
      if (!sufficient(q) || q.f >= lo.f) {
        hi = std::move(q);
      } else {
        if (curvature(q)) {
          out = std::move(q);
          return true;
        }
        if (q.d * (hi.t - lo.t) >= 0) hi = lo;
        lo = std::move(q);
      }
      if (std::fabs(hi.t - lo.t) <= eps * std::max(1.0, lo.t)) break;
    }
    if (lo.t > 0 && lo.f < zero.f) {  // sufficient decrease without the curvature condition
      out = std::move(lo);
      return true;
    }
    return false;
  };

  point prev = zero;
  double t = t0;
  for (int k = 0; k < 30; ++k) {
    point q = eval(t);
    if (!std::isfinite(q.f)) {  // stepped out of the domain of finite values: shrink
      t *= 0.1;
      continue;
    }
    if (approximate_wolfe(q)) {
      out = std::move(q);
      return true;
    }
    if (!sufficient(q) || (k > 0 && q.f >= prev.f)) return zoom(prev, q);
    if (curvature(q)) {
      out = std::move(q);
      return true;
    }
    if (q.d >= 0) return zoom(q, prev);
    prev = std::move(q);
    t *= 2.5;
  }
  return false;
}
}  // namespace

solver_report lbfgs_solve(objective& f, arma::vec& x, const solver_options& options, int memory) {
  solver_report rep;
  point here;
  here.t = 0;
  here.f = f.value_gradient(x, here.g);
  rep.evaluations = 1;
  const double scale = f.gradient_scale();
  detail::lbfgs_memory pairs(memory);
  for (;;) {
    rep.objective = here.f;
    rep.gradient_norm = arma::norm(here.g, "inf");
    if (!std::isfinite(here.f) || !std::isfinite(rep.gradient_norm)) {
      rep.reason = stop_reason::diverged;
      return rep;
    }
    if (rep.gradient_norm <= options.tol * scale) {
      rep.reason = stop_reason::converged;
      rep.step_estimate = arma::norm(here.g, 2) / pairs.min_curvature() / std::max(arma::norm(x, 2), 1.0);
      return rep;
    }
    if (rep.iterations >= options.max_iter) {
      rep.reason = stop_reason::max_iterations;
      return rep;
    }
    // Two-loop recursion: p = -H_k g.
    double t0 = pairs.empty() ? std::min(1.0, 1.0 / std::max(arma::norm(here.g, 2), 1e-300)) : 1.0;
    arma::vec p = -pairs.apply(here.g);
    here.d = arma::dot(here.g, p);
    if (!(here.d < 0)) {  // not a descent direction: forget the curvature pairs
      pairs.clear();
      p = -here.g;
      here.d = arma::dot(here.g, p);
      t0 = std::min(1.0, 1.0 / std::max(arma::norm(here.g, 2), 1e-300));
    }
    point next;
    if (!wolfe_search(f, x, p, here, t0, next, rep.evaluations)) {
      rep.reason = stop_reason::line_search_failed;
      return rep;
    }
    const double step = next.t;
    arma::vec s = step * p;
    arma::vec y = next.g - here.g;
    x += s;
    here = std::move(next);
    here.t = 0;
    ++rep.iterations;
    pairs.push(std::move(s), std::move(y));
    if (options.on_iteration) options.on_iteration({rep.iterations, here.f, arma::norm(here.g, "inf"), step});
  }
}

}  // namespace logreg
