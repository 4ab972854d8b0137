#include "optim/newton_polish.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "optim/owlqn_solver.hpp"

namespace logreg {

polish_report newton_polish(objective& f, const arma::vec& l1_weights, const arma::mat& invariant, arma::vec& theta,
                            const solver_options& options, int max_steps) {
  const arma::uword n = f.n_vars();
  const arma::vec l1 = l1_weights.is_empty() ? arma::vec(n, arma::fill::zeros) : l1_weights;
  polish_report rep;
  arma::vec g, g_new, trial;
  const double f0 = f.value_gradient(theta, g);
  rep.evaluations = 1;
  const double F0 = f0 + arma::dot(l1, arma::abs(theta));
  const double pg0 = arma::norm(owlqn_pseudo_gradient(theta, g, l1), "inf");
  rep.objective = F0;
  rep.gradient_norm = pg0;
  if (!std::isfinite(F0) || !std::isfinite(pg0)) return rep;

  // The free variables, and the signs the penalised ones keep.
  std::vector<arma::uword> free_list;
  for (arma::uword k = 0; k < n; ++k)
    if (l1(k) == 0 || theta(k) != 0) free_list.push_back(k);
  if (free_list.empty()) return rep;
  const arma::uvec F(free_list);
  arma::vec sign_l1(F.n_elem);
  for (arma::uword i = 0; i < F.n_elem; ++i) {
    const double v = theta(F(i));
    sign_l1(i) = l1(F(i)) * (v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0));
  }
  // The invariant directions that lie within the free variables.
  std::vector<arma::vec> kept;
  for (arma::uword c = 0; c < invariant.n_cols; ++c) {
    const arma::vec u = invariant.col(c);
    const arma::vec uF = u.elem(F);
    if (arma::dot(uF, uF) > 0 && std::fabs(arma::dot(uF, uF) - arma::dot(u, u)) <= 1e-12 * arma::dot(u, u))
      kept.push_back(uF / arma::norm(uF, 2));
  }

  arma::mat H, L;
  auto factor = [&]() {  // the Cholesky factor of the free variables' Hessian (+ s u u'); false if none
    f.hessian(theta, H);
    ++rep.hessians;
    arma::mat HF = H.submat(F, F);
    const double top = std::max(arma::abs(HF.diag()).max(), 1e-300);
    for (const arma::vec& u : kept) HF += top * (u * u.t());
    double mu = 0;
    for (int attempt = 0; attempt < 30; ++attempt) {
      arma::mat Hm = HF;
      if (mu > 0) Hm.diag() += mu;
      if (arma::chol(L, Hm, "lower")) return true;
      mu = mu == 0 ? top * 1e-12 : mu * 10;
    }
    return false;
  };

  double previous = INFINITY;  // the last step's 2-norm
  bool fresh = false;          // L is the Hessian at theta
  bool have = false;
  while (rep.steps < max_steps) {
    if (!have) {
      if (!factor()) break;
      have = fresh = true;
    }
    const arma::vec r = g.elem(F) + sign_l1;
    const arma::vec y = arma::solve(arma::trimatl(L), -r, arma::solve_opts::fast);
    const arma::vec p = arma::solve(arma::trimatu(L.t()), y, arma::solve_opts::fast);
    const double step = arma::norm(p, 2), size = std::max(arma::norm(theta, 2), 1.0);
    if (!std::isfinite(step) || step <= 1e-13 * size) break;
    if (!(step < 0.1 * previous)) {
      // Not shrinking: with a Hessian from an earlier point, a fresh one may still help unless the
      // step is already negligible; with a fresh one it is rounding noise.
      if (fresh || step <= 1e-10 * size) break;
      have = false;
      continue;
    }
    trial = theta;
    trial.elem(F) += p;
    bool same_face = true;
    for (arma::uword i = 0; i < F.n_elem && same_face; ++i)
      if (sign_l1(i) != 0 && trial(F(i)) * theta(F(i)) <= 0) same_face = false;
    if (!same_face) break;
    const double f_new = f.value_gradient(trial, g_new);
    ++rep.evaluations;
    const double F_new = f_new + arma::dot(l1, arma::abs(trial));
    const double pg_new = arma::norm(owlqn_pseudo_gradient(trial, g_new, l1), "inf");
    if (!std::isfinite(F_new) || !std::isfinite(pg_new) || F_new > F0 + 1e-12 * std::fabs(F0) || pg_new > pg0) break;
    theta = trial;
    g = g_new;
    rep.objective = F_new;
    rep.gradient_norm = pg_new;
    ++rep.steps;
    previous = step;
    fresh = false;
    if (options.on_iteration) options.on_iteration({rep.steps, F_new, pg_new, 1.0});
  }
  return rep;
}

}  // namespace logreg
