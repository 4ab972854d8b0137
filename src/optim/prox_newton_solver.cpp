#include "optim/prox_newton_solver.hpp"

#include <cmath>
#include <limits>

#include "optim/owlqn_solver.hpp"

namespace logreg {

namespace {
constexpr double eps = std::numeric_limits<double>::epsilon();

double l1_term(const arma::vec& theta, const arma::vec& l1) { return arma::dot(l1, arma::abs(theta)); }

double soft_threshold(double u, double t) { return u > t ? u - t : (u < -t ? u + t : 0.0); }
}  // namespace

int prox_newton_direction(const arma::mat& H, const arma::vec& g, const arma::vec& l1, const arma::vec& theta,
                          arma::vec& d, double tol, int max_sweeps) {
  const arma::uword n = g.n_elem;
  d.zeros(n);
  arma::vec Hd(n, arma::fill::zeros);
  // A coordinate with no curvature (a constant column without L2) gets a tiny one, so that its
  // step stays finite; it is then decided by the line search.
  const double floor = 1e-12 * std::max(arma::abs(H.diag()).max(), 1e-300);
  int sweeps = 0;
  while (sweeps < max_sweeps) {
    ++sweeps;
    double largest = 0;
    for (arma::uword k = 0; k < n; ++k) {
      const double a = std::max(H(k, k), floor);
      const double z = theta[k] + d[k];
      // The model along coordinate k: (g_k + (Hd)_k) (z' - z) + a (z' - z)^2 / 2 + l1_k |z'|.
      const double znew = soft_threshold(z - (g[k] + Hd[k]) / a, l1[k] / a);
      const double delta = znew - z;
      if (delta == 0) continue;
      d[k] += delta;
      Hd += delta * H.col(k);
      largest = std::max(largest, std::fabs(delta) / std::max(1.0, std::fabs(znew)));
    }
    if (largest <= tol) break;
  }
  return sweeps;
}

solver_report prox_newton_solve(objective& f, const arma::vec& l1, arma::vec& theta, const solver_options& options) {
  solver_report rep;
  arma::vec g, g_new, trial, d;
  double fx = f.value_gradient(theta, g);
  double F = fx + l1_term(theta, l1);
  rep.evaluations = 1;
  const double scale = f.gradient_scale();
  arma::mat H;
  double previous_norm = INFINITY;
  for (;;) {
    const arma::vec pg = owlqn_pseudo_gradient(theta, g, l1);
    rep.objective = F;
    rep.gradient_norm = arma::norm(pg, "inf");
    if (!std::isfinite(F) || !std::isfinite(rep.gradient_norm)) {
      rep.reason = stop_reason::diverged;
      return rep;
    }
    if (rep.gradient_norm <= options.tol * scale) {
      rep.reason = stop_reason::converged;
      return rep;
    }
    if (rep.iterations >= options.max_iter) {
      rep.reason = stop_reason::max_iterations;
      return rep;
    }
    // As Newton's (solver_options::reuse_hessian): the Hessian is kept while the pseudo-gradient
    // falls a hundredfold per iteration.
    if (!options.reuse_hessian || H.is_empty() || rep.gradient_norm > 0.01 * previous_norm) f.hessian(theta, H);
    previous_norm = rep.gradient_norm;
    prox_newton_direction(H, g, l1, theta, d);
    // The decrease the model predicts (Tseng & Yun's Delta): g'd + L1(theta + d) - L1(theta) < 0
    // unless theta is optimal for the model.
    // Summed per coordinate: near the optimum the L1 sums of theta + d and theta agree to their
    // last digits, and their difference would be rounding.
    double predicted = 0;
    for (arma::uword k = 0; k < d.n_elem; ++k)
      predicted += g[k] * d[k] + l1[k] * (std::fabs(theta[k] + d[k]) - std::fabs(theta[k]));
    const double noise = 1e-12 * std::max(1.0, std::fabs(F));
    const double pg_norm = rep.gradient_norm;
    double t = 1.0, F_new = F, f_new = fx;
    bool accepted = false;
    for (int k = 0; k < 60 && predicted < 0; ++k) {
      trial = theta + t * d;
      f_new = f.value_gradient(trial, g_new);
      ++rep.evaluations;
      F_new = f_new + l1_term(trial, l1);
      if (std::isfinite(F_new) && F_new <= F + 1e-4 * t * predicted + 4 * eps * std::fabs(F)) {
        accepted = true;
        break;
      }
      // Below the rounding noise of F the full step is judged by the pseudo-gradient, as Newton's is.
      if (k == 0 && std::isfinite(F_new) && -predicted <= noise && F_new <= F + noise &&
          arma::norm(owlqn_pseudo_gradient(trial, g_new, l1), "inf") < pg_norm) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      rep.reason = stop_reason::line_search_failed;
      return rep;
    }
    const bool moved = arma::any(trial != theta);
    theta = trial;
    g = g_new;
    fx = f_new;
    F = F_new;
    ++rep.iterations;
    if (options.on_iteration)
      options.on_iteration({rep.iterations, F, arma::norm(owlqn_pseudo_gradient(theta, g, l1), "inf"), t});
    if (!moved) {  // precision exhausted before the tolerance was met
      rep.objective = F;
      rep.gradient_norm = arma::norm(owlqn_pseudo_gradient(theta, g, l1), "inf");
      rep.reason = rep.gradient_norm <= options.tol * scale ? stop_reason::converged : stop_reason::line_search_failed;
      return rep;
    }
  }
}

}  // namespace logreg
