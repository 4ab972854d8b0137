// OWL-QN: L1-penalised minimisation with exact zeros (src/owlqn_solver.cpp).
#include <doctest.h>

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "logistic_objective.hpp"
#include "optim/owlqn_solver.hpp"
#include "optim/prox_newton_solver.hpp"
#include "optim/solver.hpp"
#include "test_support.hpp"

#include "quadratic_objective.hpp"

namespace {
using test::quadratic;

// Wraps an objective and spoils it: NaN everywhere, or a value that drifts up with every call.
class faulty final : public logreg::objective {
 public:
  enum mode { nan_value, drift };
  faulty(logreg::objective& f, mode m) : f_(f), m_(m) {}
  arma::uword n_vars() const override { return f_.n_vars(); }
  double value_gradient(const arma::vec& x, arma::vec& g) override {
    const double v = f_.value_gradient(x, g);
    if (m_ == nan_value) return std::numeric_limits<double>::quiet_NaN();
    return v + 1000.0 * calls_++;  // every evaluation is worse than the one before: no step is acceptable
  }
  void hessian(const arma::vec& x, arma::mat& H) override { f_.hessian(x, H); }

 private:
  logreg::objective& f_;
  mode m_;
  int calls_ = 0;
};

// The exact lasso solution of 1/2 (x - c)' A (x - c) + sum l1_k |x_k| for small n: every sign
// pattern s in {-1, 0, 1}^n is tried; on its support A_SS (x_S - c_S) + A_SZ (0 - c_Z) + l1_S s_S = 0
// is solved and the pattern kept if the signs agree and |g_k| <= l1_k on the zeros.
arma::vec lasso_by_enumeration(const arma::mat& A, const arma::vec& c, const arma::vec& l1) {
  const arma::uword n = c.n_elem;
  std::size_t patterns = 1;
  for (arma::uword k = 0; k < n; ++k) patterns *= 3;
  for (std::size_t code = 0; code < patterns; ++code) {
    arma::vec s(n);
    std::size_t rest = code;
    for (arma::uword k = 0; k < n; ++k, rest /= 3) s(k) = static_cast<double>(rest % 3) - 1.0;
    const arma::uvec S = arma::find(s != 0);
    arma::vec x(n, arma::fill::zeros);
    if (!S.is_empty()) {
      // A_SS x_S = A_S. c - l1_S s_S
      const arma::vec rhs = A.rows(S) * c - l1(S) % s(S);
      x(S) = arma::solve(A(S, S), rhs);
    }
    const arma::vec g = A * (x - c);
    bool ok = true;
    for (arma::uword k = 0; k < n && ok; ++k) {
      if (s(k) != 0)
        ok = x(k) * s(k) > 0;
      else
        ok = std::fabs(g(k)) <= l1(k) + 1e-12;
    }
    if (ok) return x;
  }
  FAIL("no sign pattern satisfies the KKT conditions");
  return {};
}

// Breast cancer, standardised with the population std, y = 1 for malignant.
struct breast_cancer {
  arma::mat Z;
  arma::vec y, mean, sd;
  breast_cancer() {
    logreg::column_selection cols;
    cols.target = "diagnosis";
    const logreg::labelled_data data = logreg::load_labelled_csv(test::dataset("breast_cancer.csv"), cols);
    REQUIRE(data.X.n_rows == 30);
    REQUIRE(data.X.n_cols == 569);
    std::uint32_t positive = 0;
    while (positive < data.labels.size() && data.labels[positive] != "malignant") ++positive;
    REQUIRE(positive < data.labels.size());
    y.set_size(data.X.n_cols);
    for (arma::uword i = 0; i < y.n_elem; ++i) y(i) = data.label_index[i] == positive ? 1.0 : 0.0;
    mean = arma::mean(data.X, 1);
    Z = data.X.each_col() - mean;
    sd = arma::sqrt(arma::mean(arma::square(Z), 1));  // population std, as StandardScaler
    Z.each_col() /= sd;
  }
};

const breast_cancer& bc() {
  static const breast_cancer data;
  return data;
}

// l1 weights: `w` for the d coefficients, 0 for the intercept.
arma::vec l1_weights(arma::uword d, double w) {
  arma::vec l1(d + 1);
  l1.fill(w);
  l1(d) = 0;
  return l1;
}

double relative_to_norm(const arma::vec& a, const arma::vec& b) { return arma::norm(a - b, "inf") / arma::norm(b, 2); }
}  // namespace

TEST_CASE("owlqn: pseudo-gradient as in Andrew & Gao") {
  const arma::vec x{1, -2, 0, 0, 0, 0};
  const arma::vec g{0.5, 0.5, -3, 3, 0.5, -0.5};
  const arma::vec l1{1, 1, 1, 1, 1, 0};
  const arma::vec pg = logreg::owlqn_pseudo_gradient(x, g, l1);
  CHECK(pg(0) == 1.5);   // g + l1 sign(x)
  CHECK(pg(1) == -0.5);  // g - l1
  CHECK(pg(2) == -2);    // g + l1 < 0: moving up pays
  CHECK(pg(3) == 2);     // g - l1 > 0: moving down pays
  CHECK(pg(4) == 0);     // |g| <= l1: 0 is optimal in this coordinate
  CHECK(pg(5) == -0.5);  // unpenalised: the gradient
}

TEST_CASE("owlqn: l1 = 0 reproduces lbfgs_solve") {
  SUBCASE("quadratic") {
    const arma::mat A = arma::diagmat(arma::vec{1, 10, 100, 1000});
    const arma::vec c{1, -2, 3, -4};
    quadratic f(A, c);
    logreg::solver_options opts;
    opts.tol = 1e-12;
    arma::vec x(4, arma::fill::zeros);
    const auto rep = logreg::owlqn_solve(f, arma::vec(4, arma::fill::zeros), x, opts);
    CHECK(rep.reason == logreg::stop_reason::converged);
    CHECK(arma::norm(x - c, "inf") < 1e-10);
  }
  SUBCASE("breast cancer, L2, C = 1") {
    const auto& d = bc();
    test::logistic_objective f(d.Z, d.y, {}, 1.0, true, true);
    logreg::solver_options opts;
    opts.tol = 1e-10;
    arma::vec a(31, arma::fill::zeros), b(31, arma::fill::zeros);
    const auto ra = logreg::lbfgs_solve(f, a, opts);
    const auto rb = logreg::owlqn_solve(f, arma::vec(31, arma::fill::zeros), b, opts);
    REQUIRE(ra.reason == logreg::stop_reason::converged);
    CHECK(rb.reason == logreg::stop_reason::converged);
    CHECK(rb.gradient_norm <= 1e-10 * f.gradient_scale());
    // both stop at max|g| <= 1e-10 * C n; the coefficients then agree to ~cond(H) times that
    CHECK(relative_to_norm(b, a) < 1e-7);
    CHECK(rb.objective == doctest::Approx(ra.objective).epsilon(1e-13));
    MESSAGE("lbfgs ", ra.iterations, " iterations, owlqn ", rb.iterations, "; max|diff| ",
            arma::norm(a - b, "inf"), ", objective diff ", rb.objective - ra.objective);
  }
}

TEST_CASE("owlqn: soft-thresholding, 1-D and separable, exact zeros") {
  logreg::solver_options opts;
  opts.tol = 1e-14;
  SUBCASE("1-D: x = sign(c) max(|c| - l1, 0)") {
    for (const double c : {3.0, -3.0, 0.7, -0.7, 0.25, -0.25, 0.0}) {
      CAPTURE(c);
      quadratic f(arma::mat(1, 1, arma::fill::ones), arma::vec{c});
      for (const double start : {0.0, 5.0, -5.0, 0.3}) {
        CAPTURE(start);
        arma::vec x{start};
        const auto rep = logreg::owlqn_solve(f, arma::vec{0.5}, x, opts);
        CHECK(rep.reason == logreg::stop_reason::converged);
        const double expected = std::copysign(std::max(std::fabs(c) - 0.5, 0.0), c);
        CHECK(std::fabs(x(0) - expected) <= 1e-14);
        if (expected == 0) CHECK(x(0) == 0.0);  // exactly
        const double F = 0.5 * (x(0) - c) * (x(0) - c) + 0.5 * std::fabs(x(0));
        CHECK(rep.objective == doctest::Approx(F).epsilon(1e-15));
      }
    }
  }
  SUBCASE("separable: x_k = sign(c_k) max(|c_k| - l1_k / a_k, 0)") {
    const arma::vec a{1, 2, 4, 1, 1, 0.5, 3};
    const arma::vec c{3, -0.5, 0.2, -2, 0, 1, -1};
    const arma::vec l1{1, 2, 0.5, 0, 1, 0.25, 3.3};
    quadratic f(arma::diagmat(a), c);
    arma::vec x{-1, 1, 1, 1, 1, -1, 1};
    const auto rep = logreg::owlqn_solve(f, l1, x, opts);
    CHECK(rep.reason == logreg::stop_reason::converged);
    const arma::vec expected = arma::sign(c) % arma::clamp(arma::abs(c) - l1 / a, 0.0, arma::datum::inf);
    CHECK(arma::norm(x - expected, "inf") < 1e-13);
    CHECK(arma::all((x == 0) == (expected == 0)));
    CHECK(arma::accu(x == 0) == 3);
  }
}

TEST_CASE("owlqn: coupled quadratics against the lasso by enumeration of sign patterns") {
  logreg::solver_options opts;
  opts.tol = 1e-13;
  arma::arma_rng::set_seed(20070612);
  int zeros = 0;
  for (int trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    const arma::uword n = 2 + static_cast<arma::uword>(trial % 4);  // 2..5 variables
    const arma::mat B = arma::randn(n, n);
    const arma::mat A = B * B.t() + 0.1 * arma::eye(n, n);
    const arma::vec c = 2 * arma::randn(n);
    arma::vec l1 = arma::randu(n) * 2;
    if (trial % 5 == 0) l1(0) = 0;  // an unpenalised variable
    const arma::vec expected = lasso_by_enumeration(A, c, l1);
    quadratic f(A, c);
    arma::vec x = arma::randn(n);
    const auto rep = logreg::owlqn_solve(f, l1, x, opts);
    CHECK(rep.reason == logreg::stop_reason::converged);
    CHECK(arma::norm(x - expected, "inf") < 1e-9 * std::max(1.0, arma::norm(expected, "inf")));
    CHECK(arma::all((x == 0) == (expected == 0)));
    zeros += static_cast<int>(arma::accu(expected == 0));
  }
  CHECK(zeros > 10);  // the cases do exercise exact zeros
}

TEST_CASE("owlqn: breast cancer against scikit-learn (saga), L1 and elastic net") {
  const auto ref = test::fixture("l1_breast_cancer.json");
  const auto& d = bc();
  // The standardisation matches StandardScaler's.
  const arma::vec mean_ref(ref["mean"].get<std::vector<double>>()), scale_ref(ref["scale"].get<std::vector<double>>());
  CHECK(arma::norm((d.mean - mean_ref) / mean_ref, "inf") < 1e-13);
  CHECK(arma::norm((d.sd - scale_ref) / scale_ref, "inf") < 1e-13);
  REQUIRE(ref["cases"].size() >= 2);
  std::ostringstream summary;
  summary << "OWL-QN against scikit-learn:";
  for (const auto& cs : ref["cases"]) {
    const std::string name = cs["name"];
    CAPTURE(name);
    const double C = cs["C"], R = cs["l1_ratio"];
    // sklearn: C * loss + R ||w||_1 + (1 - R)/2 ||w||^2. With R < 1 this is (1 - R) times
    //   [C/(1 - R)] * loss + 1/2 ||w||^2 + [R/(1 - R)] ||w||_1,
    // a logistic_objective with the L2 penalty and l1 weights R/(1 - R); with R = 1 no L2 at all.
    const bool enet = R < 1;
    const double factor = enet ? 1 - R : 1.0;
    test::logistic_objective f(d.Z, d.y, {}, C / factor, enet, true);
    const arma::vec l1 = l1_weights(30, R / factor);
    arma::vec expected(cs["coef"].get<std::vector<double>>());
    expected.resize(31);
    expected(30) = cs["intercept"];
    arma::vec sk(cs["sklearn"]["coef"].get<std::vector<double>>());
    sk.resize(31);
    sk(30) = cs["sklearn"]["intercept"];
    const std::vector<bool> zero = cs["zero"];

    for (const double tol : {1e-6, 1e-10, 1e-12}) {
      CAPTURE(tol);
      logreg::solver_options opts;
      opts.tol = tol;
      arma::vec theta(31, arma::fill::zeros);
      const auto rep = logreg::owlqn_solve(f, l1, theta, opts);
      CHECK(rep.reason == logreg::stop_reason::converged);
      CHECK(rep.gradient_norm <= tol * f.gradient_scale());
      const double F = factor * rep.objective;
      // F as reported is f + l1'|theta|
      arma::vec g;
      const double f_plus_l1 = f.value_gradient(theta, g) + arma::dot(l1, arma::abs(theta));
      CHECK(rep.objective == doctest::Approx(f_plus_l1).epsilon(1e-15));
      std::vector<bool> our_zero(30);
      for (arma::uword k = 0; k < 30; ++k) our_zero[k] = theta(k) == 0.0;
      if (tol <= 1e-10) {
        CHECK(our_zero == zero);
        CHECK(std::fabs(F - cs["sklearn"]["objective"].get<double>()) <= 1e-7 * std::fabs(F));
        CHECK(relative_to_norm(theta, sk) < 1e-5);
        // and much closer to the polished optimum
        CHECK(std::fabs(F - cs["objective"].get<double>()) <= 1e-13 * std::fabs(F));
        CHECK(relative_to_norm(theta, expected) < (tol <= 1e-12 ? 1e-9 : 1e-7));
      }
      summary << "\n  " << name << ", tol " << tol << ": " << rep.iterations << " iterations, " << rep.evaluations
              << " evaluations, " << std::count(our_zero.begin(), our_zero.end(), true) << " zeros (sklearn "
              << std::count(zero.begin(), zero.end(), true) << "), F - F_ref " << F - cs["objective"].get<double>()
              << ", F - F_saga " << F - cs["sklearn"]["objective"].get<double>() << ", max|theta - ref|/||ref|| "
              << relative_to_norm(theta, expected) << ", vs saga " << relative_to_norm(theta, sk);
    }
  }
  MESSAGE(summary.str());
}

TEST_CASE("owlqn: tight tolerances over a range of penalties, standardised and raw features") {
  // On the raw features (scales from 1e-3 to 1e3) the problem is badly conditioned and takes
  // thousands of iterations (as it does for lbfgs_solve with L2); at C >= 1 there it needs more
  // than 50000, so only the small C are run.
  const auto& d = bc();
  logreg::column_selection cols;
  cols.target = "diagnosis";
  const arma::mat X = logreg::load_labelled_csv(test::dataset("breast_cancer.csv"), cols).X;
  struct setting {
    bool standardised;
    double C;
    bool l2;
    double tol;
  };
  std::vector<setting> settings;
  for (const double C : {0.01, 0.1, 1.0, 10.0})
    for (const bool l2 : {false, true})
      for (const double tol : {1e-10, 1e-13}) settings.push_back({true, C, l2, tol});
  for (const double C : {0.01, 0.1})
    for (const bool l2 : {false, true}) settings.push_back({false, C, l2, 1e-10});
  std::ostringstream summary;
  summary << "OWL-QN, breast cancer, l1 = 1:";
  for (const setting& st : settings) {
    std::ostringstream label;
    label << (st.standardised ? "standardised" : "raw") << ", C " << st.C << (st.l2 ? ", + L2" : "") << ", tol "
          << st.tol;
    const std::string what = label.str();
    CAPTURE(what);
    test::logistic_objective f(st.standardised ? d.Z : X, d.y, {}, st.C, st.l2, true);
    logreg::solver_options opts;
    opts.tol = st.tol;
    opts.max_iter = 50000;
    arma::vec theta(31, arma::fill::zeros);
    const auto rep = logreg::owlqn_solve(f, l1_weights(30, 1.0), theta, opts);
    CHECK(rep.reason == logreg::stop_reason::converged);
    CHECK(rep.gradient_norm <= st.tol * f.gradient_scale());
    summary << "\n  " << what << ": " << logreg::to_string(rep.reason) << ", " << rep.iterations << " iterations, "
            << rep.evaluations << " evaluations, " << arma::accu(theta.head(30) == 0) << " zeros, max|pg| / (C n) "
            << rep.gradient_norm / f.gradient_scale();
  }
  MESSAGE(summary.str());
}

TEST_CASE("owlqn: stop reasons, callback and argument checks") {
  const auto& d = bc();
  test::logistic_objective f(d.Z, d.y, {}, 0.1, false, true);
  const arma::vec l1 = l1_weights(30, 1.0);
  SUBCASE("max_iterations, with the callback once per iteration") {
    logreg::solver_options opts;
    opts.max_iter = 3;
    int calls = 0;
    double last_objective = arma::datum::inf;
    opts.on_iteration = [&](const logreg::iteration_info& info) {
      ++calls;
      CHECK(info.iteration == calls);
      CHECK(info.objective < last_objective);
      CHECK(info.step > 0);
      last_objective = info.objective;
    };
    arma::vec theta(31, arma::fill::zeros);
    const auto rep = logreg::owlqn_solve(f, l1, theta, opts);
    CHECK(rep.reason == logreg::stop_reason::max_iterations);
    CHECK(rep.iterations == 3);
    CHECK(calls == 3);
    CHECK(rep.objective == last_objective);
  }
  SUBCASE("diverged") {
    faulty bad(f, faulty::nan_value);
    arma::vec theta(31, arma::fill::zeros);
    const auto rep = logreg::owlqn_solve(bad, l1, theta, {});
    CHECK(rep.reason == logreg::stop_reason::diverged);
    CHECK(rep.iterations == 0);
  }
  SUBCASE("line_search_failed") {
    faulty bad(f, faulty::drift);
    arma::vec theta(31, arma::fill::zeros);
    const arma::vec start = theta;
    const auto rep = logreg::owlqn_solve(bad, l1, theta, {});
    CHECK(rep.reason == logreg::stop_reason::line_search_failed);
    CHECK(arma::all(theta == start));
  }
  SUBCASE("already optimal: no iteration, exact zeros stay") {
    arma::vec theta(30, arma::fill::zeros);
    test::logistic_objective g(d.Z, d.y, {}, 0.1, false, false);  // no intercept: 0 is optimal
    const auto rep = logreg::owlqn_solve(g, arma::vec(30, arma::fill::value(1e6)), theta, {});
    CHECK(rep.reason == logreg::stop_reason::converged);
    CHECK(rep.iterations == 0);
    CHECK(rep.gradient_norm == 0);
  }
  SUBCASE("bad arguments") {
    arma::vec theta(31, arma::fill::zeros);
    arma::vec short_theta(30, arma::fill::zeros);
    CHECK_THROWS_AS(logreg::owlqn_solve(f, l1, short_theta, {}), std::invalid_argument);
    CHECK_THROWS_AS(logreg::owlqn_solve(f, l1.head(30).eval(), theta, {}), std::invalid_argument);
    arma::vec negative = l1;
    negative(3) = -1;
    CHECK_THROWS_AS(logreg::owlqn_solve(f, negative, theta, {}), std::invalid_argument);
    arma::vec nan = l1;
    nan(3) = arma::datum::nan;
    CHECK_THROWS_AS(logreg::owlqn_solve(f, nan, theta, {}), std::invalid_argument);
    CHECK_THROWS_AS(logreg::owlqn_solve(f, l1, theta, {}, 0), std::invalid_argument);
  }
}

// The proximal Newton solver (optim/prox_newton_solver.hpp), on the same problems.

TEST_CASE("prox newton: the coordinate-descent direction is the Newton step without L1 and the lasso with it") {
  arma::arma_rng::set_seed(2012);
  for (int trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    const arma::uword n = 2 + static_cast<arma::uword>(trial % 4);
    const arma::mat B = arma::randn(n, n);
    const arma::mat H = B * B.t() + 0.1 * arma::eye(n, n);
    const arma::vec g = arma::randn(n), theta = arma::randn(n);
    arma::vec d;
    logreg::prox_newton_direction(H, g, arma::vec(n, arma::fill::zeros), theta, d);
    CHECK(arma::norm(d + arma::solve(H, g), "inf") < 1e-10 * std::max(1.0, arma::norm(d, "inf")));
    // With L1: theta + d minimises g'd + d'Hd/2 + l1'|theta + d|, the lasso of
    // 1/2 (x - c)' H (x - c) + l1'|x| with c = theta - H^-1 g.
    const arma::vec l1 = arma::randu(n) * 2;
    logreg::prox_newton_direction(H, g, l1, theta, d);
    const arma::vec expected = lasso_by_enumeration(H, theta - arma::solve(H, g), l1);
    CHECK(arma::norm(theta + d - expected, "inf") < 1e-9 * std::max(1.0, arma::norm(expected, "inf")));
    CHECK(arma::all(((theta + d) == 0) == (expected == 0)));
  }
}

TEST_CASE("prox newton: coupled quadratics against the lasso by enumeration") {
  logreg::solver_options opts;
  opts.tol = 1e-13;
  arma::arma_rng::set_seed(20070612);
  for (int trial = 0; trial < 40; ++trial) {
    CAPTURE(trial);
    const arma::uword n = 2 + static_cast<arma::uword>(trial % 4);
    const arma::mat B = arma::randn(n, n);
    const arma::mat A = B * B.t() + 0.1 * arma::eye(n, n);
    const arma::vec c = 2 * arma::randn(n);
    arma::vec l1 = arma::randu(n) * 2;
    if (trial % 5 == 0) l1(0) = 0;
    const arma::vec expected = lasso_by_enumeration(A, c, l1);
    quadratic f(A, c);
    arma::vec x = arma::randn(n);
    const auto rep = logreg::prox_newton_solve(f, l1, x, opts);
    CHECK(rep.reason == logreg::stop_reason::converged);
    // The model is the function: each iteration solves the problem up to the coordinate descent's
    // own stopping point, so a few iterations reach tol 1e-13 (up to 15 here, at the rounding floor).
    CHECK(rep.iterations <= 30);
    CHECK(arma::norm(x - expected, "inf") < 1e-9 * std::max(1.0, arma::norm(expected, "inf")));
    CHECK(arma::all((x == 0) == (expected == 0)));
  }
}

TEST_CASE("prox newton: breast cancer, L1 and elastic net: the optimum of the fixtures, scikit-learn's zeros") {
  const auto ref = test::fixture("l1_breast_cancer.json");
  const auto& d = bc();
  std::ostringstream summary;
  summary << "proximal Newton:";
  for (const auto& cs : ref["cases"]) {
    const std::string name = cs["name"];
    CAPTURE(name);
    const double C = cs["C"], R = cs["l1_ratio"];
    const bool enet = R < 1;
    const double factor = enet ? 1 - R : 1.0;
    test::logistic_objective f(d.Z, d.y, {}, C / factor, enet, true);
    const arma::vec l1 = l1_weights(30, R / factor);
    arma::vec expected(cs["coef"].get<std::vector<double>>());
    expected.resize(31);
    expected(30) = cs["intercept"];
    const std::vector<bool> zero = cs["zero"];
    logreg::solver_options opts;
    opts.tol = 1e-10;
    arma::vec theta(31, arma::fill::zeros);
    const auto rep = logreg::prox_newton_solve(f, l1, theta, opts);
    CHECK(rep.reason == logreg::stop_reason::converged);
    CHECK(rep.gradient_norm <= opts.tol * f.gradient_scale());
    CHECK(rep.iterations < 30);  // OWL-QN: about a hundred
    std::vector<bool> our_zero(30);
    for (arma::uword k = 0; k < 30; ++k) our_zero[k] = theta(k) == 0.0;
    CHECK(our_zero == zero);
    const double F = factor * rep.objective;
    CHECK(std::fabs(F - cs["objective"].get<double>()) <= 1e-13 * std::fabs(F));
    CHECK(relative_to_norm(theta, expected) < 1e-9);
    summary << "\n  " << name << ": " << rep.iterations << " iterations, " << rep.evaluations << " evaluations, "
            << "max|theta - ref|/||ref|| " << relative_to_norm(theta, expected);
  }
  MESSAGE(summary.str());
}
