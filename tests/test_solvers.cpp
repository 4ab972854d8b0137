#include <doctest.h>

#include <armadillo>

#include "logistic_objective.hpp"
#include "optim/solver.hpp"

#include "quadratic_objective.hpp"

namespace {
using test::quadratic;

// The Rosenbrock function: a classic hard case for line searches.
class rosenbrock final : public logreg::objective {
 public:
  arma::uword n_vars() const override { return 2; }
  double value_gradient(const arma::vec& x, arma::vec& g) override {
    const double a = 1 - x(0), b = x(1) - x(0) * x(0);
    g = {-2 * a - 400 * x(0) * b, 200 * b};
    return a * a + 100 * b * b;
  }
  void hessian(const arma::vec& x, arma::mat& H) override {
    H = {{2 - 400 * (x(1) - 3 * x(0) * x(0)), -400 * x(0)}, {-400 * x(0), 200}};
  }
};
}  // namespace

TEST_CASE("solvers reach the minimum of an ill-conditioned quadratic") {
  arma::mat A = arma::diagmat(arma::vec{1, 10, 100, 1000});
  arma::vec c{1, -2, 3, -4};
  quadratic f(A, c);
  logreg::solver_options opts;
  opts.tol = 1e-12;
  arma::vec x(4, arma::fill::zeros);
  auto rep = logreg::newton_solve(f, x, opts);
  CHECK(rep.reason == logreg::stop_reason::converged);
  CHECK(rep.iterations == 1);
  CHECK(arma::norm(x - c, "inf") < 1e-12);
  x.zeros();
  rep = logreg::lbfgs_solve(f, x, opts);
  CHECK(rep.reason == logreg::stop_reason::converged);
  CHECK(arma::norm(x - c, "inf") < 1e-10);
}

TEST_CASE("solvers on Rosenbrock") {
  rosenbrock f;
  logreg::solver_options opts;
  opts.tol = 1e-10;
  arma::vec x{-1.2, 1.0};
  auto rep = logreg::newton_solve(f, x, opts);
  CHECK(rep.reason == logreg::stop_reason::converged);
  CHECK(arma::norm(x - arma::vec{1, 1}, "inf") < 1e-8);
  x = {-1.2, 1.0};
  rep = logreg::lbfgs_solve(f, x, opts);
  CHECK(rep.reason == logreg::stop_reason::converged);
  CHECK(arma::norm(x - arma::vec{1, 1}, "inf") < 1e-8);
}

TEST_CASE("every stop has a named reason") {
  rosenbrock f;
  logreg::solver_options opts;
  opts.tol = 1e-10;
  opts.max_iter = 2;
  arma::vec x{-1.2, 1.0};
  CHECK(logreg::newton_solve(f, x, opts).reason == logreg::stop_reason::max_iterations);
  x = {-1.2, 1.0};
  const auto rep = logreg::lbfgs_solve(f, x, opts);
  CHECK(rep.reason == logreg::stop_reason::max_iterations);
  CHECK(rep.iterations == 2);
  CHECK(logreg::to_string(logreg::stop_reason::converged) == "converged");
  CHECK(logreg::to_string(logreg::stop_reason::max_iterations) == "iteration_limit");
  CHECK(logreg::to_string(logreg::stop_reason::line_search_failed) == "line_search_failed");
  CHECK(logreg::to_string(logreg::stop_reason::diverged) == "diverged");
  CHECK(logreg::parse_stop_reason("iteration_limit") == logreg::stop_reason::max_iterations);
}

TEST_CASE("Newton and L-BFGS agree on a logistic problem; progress is reported") {
  arma::arma_rng::set_seed(5);
  arma::mat X = arma::randn(4, 500);
  arma::vec y = arma::conv_to<arma::vec>::from(arma::randu(500) < 0.4);
  test::logistic_objective f(X, y, arma::vec(), 1.0, true, true);
  logreg::solver_options opts;
  opts.tol = 1e-12;
  int calls = 0;
  opts.on_iteration = [&calls](const logreg::iteration_info& it) { calls = it.iteration; };
  arma::vec a(5, arma::fill::zeros), b(5, arma::fill::zeros);
  const auto ra = logreg::newton_solve(f, a, opts);
  CHECK(calls == ra.iterations);
  const auto rb = logreg::lbfgs_solve(f, b, opts);
  CHECK(ra.reason == logreg::stop_reason::converged);
  CHECK(rb.reason == logreg::stop_reason::converged);
  CHECK(arma::norm(a - b, "inf") < 1e-9);
  CHECK(ra.objective == doctest::Approx(rb.objective).epsilon(1e-14));
}
