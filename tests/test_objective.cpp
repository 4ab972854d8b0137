// The objective as a solver sees it: a loss (a pure data term) composed with C and a penalty
// (penalized_objective.hpp), checked against central finite differences and the stated formula.
#include <doctest.h>

#include <armadillo>
#include <cmath>
#include <cstring>

#include "base/numerics.hpp"
#include "data/dense_design.hpp"
#include "logreg/threads.hpp"
#include "objective/logistic_loss.hpp"
#include "objective/penalized_objective.hpp"

TEST_CASE("sigmoid and log1p_exp are exact and finite at any score") {
  CHECK(logreg::sigmoid(0) == 0.5);
  CHECK(logreg::sigmoid(1000) == 1.0);
  CHECK(logreg::sigmoid(-1000) == 0.0);
  CHECK(logreg::sigmoid(-745) > 0.0);  // the smallest subnormal range is still reached, not NaN
  CHECK(logreg::sigmoid(-30) == doctest::Approx(9.357622968840175e-14).epsilon(1e-15));
  CHECK(logreg::log1p_exp(1000) == 1000.0);
  CHECK(logreg::log1p_exp(-1000) == 0.0);
  CHECK(logreg::log1p_exp(0) == doctest::Approx(std::log(2.0)).epsilon(1e-16));
  CHECK(logreg::margin_loss(-1000) == 1000.0);  // a confidently wrong row: finite, not inf
  CHECK(logreg::margin_loss(1000) == 0.0);
  CHECK(logreg::log1p_exp(-40) == doctest::Approx(4.248354255291589e-18).epsilon(1e-15));
}

namespace {
struct problem {
  arma::mat X;
  arma::vec y, w;
};

problem random_problem(arma::uword d, arma::uword n, unsigned seed) {
  arma::arma_rng::set_seed(seed);
  problem p;
  p.X = arma::randn(d, n);
  p.X.row(0) *= 10;
  p.X.row(d - 1) += 3;
  arma::vec beta = arma::randn(d);
  const arma::vec z = p.X.t() * beta + 0.3;
  p.y = arma::conv_to<arma::vec>::from(arma::randu(n) < 1 / (1 + arma::exp(-z)));
  p.w = arma::randu(n) * 2;
  return p;
}

logreg::penalty ridge(double weight, arma::vec scale = {}) {
  logreg::penalty p;
  p.l2 = weight;
  p.scale = std::move(scale);
  return p;
}
}  // namespace

TEST_CASE("gradient and Hessian agree with central finite differences") {
  const problem p = random_problem(5, 700, 7);  // 700 rows: more than one block, so blocks are summed
  const logreg::dense_design X(p.X.memptr(), p.X.n_rows, p.X.n_cols);
  for (double l2 : {1.0, 0.0, 0.4})
    for (bool intercept : {true, false})
      for (bool weighted : {true, false})
        for (bool scaled : {false, true}) {
          CAPTURE(l2);
          CAPTURE(intercept);
          CAPTURE(weighted);
          CAPTURE(scaled);
          logreg::logistic_loss L(X, p.y, weighted ? p.w : arma::vec(), intercept);
          logreg::penalized_objective f(L, 0.7, ridge(l2, scaled ? arma::vec{0.5, 2.0, 1.0, 3.0, 0.1} : arma::vec()));
          arma::arma_rng::set_seed(3);
          const arma::vec theta = 0.2 * arma::randn(f.n_vars());
          arma::vec g, gp, gm;
          f.value_gradient(theta, g);
          arma::mat H;
          f.hessian(theta, H);
          CHECK(arma::approx_equal(H, H.t(), "absdiff", 0.0));
          const double h = 1e-5;
          for (arma::uword k = 0; k < f.n_vars(); ++k) {
            arma::vec e(f.n_vars(), arma::fill::zeros);
            e(k) = h;
            const double fp = f.value_gradient(theta + e, gp);
            const double fm = f.value_gradient(theta - e, gm);
            CHECK(g(k) == doctest::Approx((fp - fm) / (2 * h)).epsilon(1e-6));
            const arma::vec column = (gp - gm) / (2 * h);
            CHECK(arma::norm(H.col(k) - column, "inf") <= 1e-6 * std::max(1.0, arma::norm(column, "inf")));
          }
        }
}

TEST_CASE("objective value matches the stated formula; the intercept is not penalised") {
  const problem p = random_problem(3, 50, 11);
  const logreg::dense_design X(p.X.memptr(), p.X.n_rows, p.X.n_cols);
  logreg::logistic_loss L(X, p.y, p.w, true);
  arma::vec theta{0.1, -0.2, 0.3, 0.05};
  double loss = 0;
  for (arma::uword i = 0; i < p.X.n_cols; ++i) {
    const double z = arma::dot(p.X.col(i), theta.head(3)) + theta(3);
    const double s = p.y(i) > 0.5 ? 1 : -1;
    loss += p.w(i) * std::log1p(std::exp(-s * z));
  }
  arma::vec g;
  CHECK(L.value_gradient(theta, g) == doctest::Approx(loss).epsilon(1e-13));  // the loss alone: no C, no penalty
  logreg::penalized_objective f(L, 2.0, ridge(1.0));
  CHECK(f.value_gradient(theta, g) == doctest::Approx(2.0 * loss + 0.5 * (0.01 + 0.04 + 0.09)).epsilon(1e-13));
  logreg::penalized_objective f2(L, 2.0, ridge(0.5, arma::vec{2.0, 1.0, 0.5}));  // lambda_j = 1 / scale_j^2
  CHECK(f2.value_gradient(theta, g) ==
        doctest::Approx(2.0 * loss + 0.5 * 0.5 * (0.01 / 4 + 0.04 + 0.09 * 4)).epsilon(1e-13));
  CHECK(f.gradient_scale() == doctest::Approx(2.0 * arma::accu(p.w)).epsilon(1e-15));
  // OWL-QN's weights: l1 / scale_j on the coefficients, 0 on the intercept.
  logreg::penalty lasso;
  lasso.l1 = 0.3;
  lasso.scale = arma::vec{2.0, 1.0, 0.5};
  const arma::vec l1 = logreg::penalized_objective(L, 1.0, lasso).l1_weights();
  CHECK(arma::approx_equal(l1, arma::vec{0.15, 0.3, 0.6, 0.0}, "absdiff", 1e-16));
}

TEST_CASE("huge scores give a finite objective and gradient") {
  arma::mat Xm{{1000.0, -1000.0, 500.0}};
  const logreg::dense_design X(Xm.memptr(), 1, 3);
  arma::vec y{0, 1, 1};
  logreg::logistic_loss f(X, y, arma::vec(), true);
  arma::vec g;
  const double value = f.value_gradient(arma::vec{5.0, 0.0}, g);
  CHECK(std::isfinite(value));
  CHECK(value == doctest::Approx(10000.0));
  CHECK(g.is_finite());
  arma::mat H;
  f.hessian(arma::vec{5.0, 0.0}, H);
  CHECK(H.is_finite());
}

TEST_CASE("objective: identical bits with any number of threads") {
  const problem p = random_problem(7, 50000, 21);
  const logreg::dense_design X(p.X.memptr(), p.X.n_rows, p.X.n_cols);
  logreg::logistic_loss L(X, p.y, p.w, true);
  logreg::penalized_objective f(L, 1.0, ridge(1.0));
  const arma::vec theta = arma::linspace(-0.3, 0.3, f.n_vars());
  arma::vec g1, g2;
  arma::mat H1, H2;
  logreg::set_thread_count(1);
  const double f1 = f.value_gradient(theta, g1);
  f.hessian(theta, H1);
  logreg::set_thread_count(3);
  const double f2 = f.value_gradient(theta, g2);
  f.hessian(theta, H2);
  logreg::set_thread_count(0);
  CHECK(f1 == f2);
  CHECK(arma::all(g1 == g2));
  CHECK(arma::all(arma::vectorise(H1 == H2)));
}

TEST_CASE("logistic_parts: sigmoid(z), sigmoid(-z) and the loss from one exp, bit for bit") {
  std::vector<double> zs{0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 1.0, -1.0, 20.0, -20.0, 36.7, -36.7, 745.0, -745.0,
                         1e308, -1e308, INFINITY, -INFINITY};
  arma::arma_rng::set_seed(1);
  for (int i = 0; i < 2000; ++i) zs.push_back(arma::randn() * std::pow(10.0, arma::randi(arma::distr_param(-3, 3))));
  for (double z : zs) {
    CAPTURE(z);
    const logreg::logistic_parts lp(z);
    const double plus = logreg::sigmoid(z), minus = logreg::sigmoid(-z);
    CHECK(std::memcmp(&lp.p, &plus, sizeof(double)) == 0);
    CHECK(std::memcmp(&lp.one_minus_p, &minus, sizeof(double)) == 0);
    for (double m : {z, -z}) {
      const double want = logreg::log1p_exp(-m), got = lp.loss(m);
      CHECK(std::memcmp(&got, &want, sizeof(double)) == 0);
    }
  }
}
