#include "fit/solve.hpp"

#include <cstdio>

#include "optim/newton_polish.hpp"
#include "optim/owlqn_solver.hpp"
#include "optim/prox_newton_solver.hpp"

namespace logreg {

solver_kind automatic_solver(const variable_layout& v) {
  const arma::uword budget = v.classes == 1 ? 301 : 200;
  return v.n_vars() <= budget ? solver_kind::newton : solver_kind::lbfgs;
}

problem make_problem(const fit_settings& settings, const arma::vec& raw_scale) {
  problem pb;
  const bool penalised = settings.penalty != penalty_kind::none;
  const double R = settings.l1_weight(), ridge = settings.l2_weight();
  pb.factor = ridge > 0 ? ridge : 1.0;
  pb.C = penalised ? settings.C / pb.factor : 1.0;
  pb.terms.l2 = ridge > 0 ? 1.0 : 0.0;
  pb.terms.l1 = R / pb.factor;
  if (!settings.standardize) pb.terms.scale = raw_scale;
  return pb;
}

namespace {

// The directions along which the smooth part of the objective is constant: for K > 1 scores the
// common shift of the intercepts and, without an L2 term, of each feature's coefficients (softmax
// is unchanged by adding one vector to every class's scores). None for one score.
arma::mat invariant_directions(const variable_layout& v, bool l2) {
  if (v.classes < 2) return {};
  std::vector<arma::vec> cols;
  auto shift = [&](arma::uword offset) {
    arma::vec u(v.n_vars(), arma::fill::zeros);
    for (arma::uword k = 0; k < v.classes; ++k) u(k * v.block() + offset) = 1;
    cols.push_back(std::move(u));
  };
  if (v.intercept) shift(v.features);
  if (!l2)
    for (arma::uword j = 0; j < v.features; ++j) shift(j);
  arma::mat U(v.n_vars(), cols.size());
  for (std::size_t c = 0; c < cols.size(); ++c) U.col(c) = cols[c];
  return U;
}

}  // namespace

bool polish_wanted(const loss& L, const solver_report& rep, double tol) {
  return rep.reason == stop_reason::converged && L.n_vars() <= polish_max_variables && rep.step_estimate > tol &&
         L.hessian_cost() <= polish_cost_share * static_cast<double>(rep.evaluations);
}

solve_outcome solve(loss& L, const problem& pb, const fit_settings& settings, const progress_callbacks& progress,
                    arma::vec& theta, fit_report& report,
                    const std::function<void(penalized_objective&, solver_kind, arma::vec&)>& before_solve) {
  penalized_objective f(L, pb.C, pb.terms);
  solver_options opts;
  opts.tol = settings.tol;
  opts.max_iter = settings.max_iter;
  opts.on_iteration = progress.on_iteration;
  opts.reuse_hessian = pb.along_path;
  const bool refine = !pb.along_path;  // the accuracy checks beyond the gradient test (problem::along_path)
  const arma::mat invariant = invariant_directions(L.layout(), pb.terms.l2 > 0);
  const solver_kind kind = settings.solver == solver_kind::automatic ? automatic_solver(L.layout()) : settings.solver;
  solve_outcome out;
  std::string name;
  if (pb.terms.l1 > 0 && pb.along_path && kind == solver_kind::newton) {  // L1 or elastic net, few variables
    out.rep = prox_newton_solve(f, f.l1_weights(), theta, opts);
    name = "proxnewton";
  } else if (pb.terms.l1 > 0) {  // L1 or elastic net: OWL-QN (exact zeros); intercepts are not penalised
    out.rep = owlqn_solve(f, f.l1_weights(), theta, opts);
    name = "owlqn";
  } else {
    if (before_solve) before_solve(f, kind, theta);
    if (kind == solver_kind::newton) {  // the step test as well (solver_options::step_tol)
      solver_options nopts = opts;
      if (refine) nopts.step_tol = settings.tol;
      nopts.invariant = invariant;
      out.rep = newton_solve(f, theta, nopts);
    } else {
      out.rep = lbfgs_solve(f, theta, opts);
    }
    name = to_string(kind);
    out.suggest_newton = kind == solver_kind::lbfgs;
  }
  if (refine && polish_wanted(L, out.rep, settings.tol)) {
    solver_options popts = opts;
    const int base = out.rep.iterations;
    if (opts.on_iteration)
      popts.on_iteration = [&](const iteration_info& it) {
        iteration_info shifted = it;
        shifted.iteration += base;
        opts.on_iteration(shifted);
      };
    const polish_report pol = newton_polish(f, pb.terms.l1 > 0 ? f.l1_weights() : arma::vec(),
                                            invariant, theta, popts);
    out.rep.iterations += pol.steps;
    out.rep.evaluations += pol.evaluations;
    out.rep.objective = pol.objective;
    out.rep.gradient_norm = pol.gradient_norm;
    report.polish_steps = pol.steps;
  }
  report.status = to_string(out.rep.reason);
  report.solver = name;
  report.iterations = out.rep.iterations;
  report.objective = pb.factor * out.rep.objective;
  report.gradient_norm = pb.factor * out.rep.gradient_norm;
  report.tolerance = pb.factor * settings.tol * f.gradient_scale();
  return out;
}

std::string non_convergence_warning(const fit_report& report, stop_reason reason, bool suggest_newton) {
  char numbers[128];
  std::snprintf(numbers, sizeof numbers, "max|gradient| %.3g > tolerance %.3g", report.gradient_norm, report.tolerance);
  std::string advice = reason == stop_reason::max_iterations ? "raise --max-iter" : "loosen --tol";
  if (suggest_newton) advice += ", try --solver newton";
  return "the fit did not converge (" + report.status + " after " + std::to_string(report.iterations) + " " +
         report.solver + " iterations; " + numbers + "): the coefficients are not the optimum. To fix: " + advice + ".";
}

}  // namespace logreg
