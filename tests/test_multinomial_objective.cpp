#include <doctest.h>

#include <armadillo>

#include "data/dense_design.hpp"
#include "objective/multinomial_loss.hpp"
#include "objective/penalized_objective.hpp"

TEST_CASE("multinomial: gradient and Hessian agree with finite differences") {
  arma::arma_rng::set_seed(17);
  const arma::uword d = 3, n = 9000, K = 4;  // 9000 rows: several chunks and blocks
  arma::mat Xm = arma::randn(d, n);
  Xm.row(0) *= 5;
  const logreg::dense_design X(Xm.memptr(), d, n);
  std::vector<std::uint32_t> y(n);
  for (arma::uword i = 0; i < n; ++i) y[i] = static_cast<std::uint32_t>(arma::randi(arma::distr_param(0, K - 1)));
  arma::vec w = arma::randu(n) + 0.5;
  for (bool intercept : {true, false})
    for (double l2 : {0.0, 1.0, 0.3}) {
      CAPTURE(intercept);
      CAPTURE(l2);
      logreg::multinomial_loss L(X, y, K, w, intercept);
      logreg::penalty pen;
      pen.l2 = l2;
      logreg::penalized_objective f(L, 0.01, pen);
      const arma::vec theta = 0.3 * arma::randn(f.n_vars());
      arma::vec g, gp, gm;
      f.value_gradient(theta, g);
      arma::mat H;
      f.hessian(theta, H);
      CHECK(arma::approx_equal(H, H.t(), "absdiff", 0.0));
      const double h = 1e-5;
      for (arma::uword k = 0; k < f.n_vars(); ++k) {
        arma::vec e(f.n_vars(), arma::fill::zeros);
        e(k) = h;
        const double fp = f.value_gradient(theta + e, gp), fm = f.value_gradient(theta - e, gm);
        CHECK(g(k) == doctest::Approx((fp - fm) / (2 * h)).epsilon(1e-6));
        const arma::vec column = (gp - gm) / (2 * h);
        CHECK(arma::norm(H.col(k) - column, "inf") <= 1e-6 * std::max(1.0, arma::norm(column, "inf")));
      }
    }
}

TEST_CASE("multinomial: huge scores stay finite; probabilities sum to 1") {
  arma::mat Xm{{1000.0, -1000.0, 3.0}};
  const logreg::dense_design X(Xm.memptr(), 1, 3);
  std::vector<std::uint32_t> y{0, 1, 2};
  logreg::multinomial_loss f(X, y, 3, arma::vec(), true);
  const arma::vec theta{2.0, 0.0, -1.0, 0.0, 0.5, 0.1};
  arma::vec g;
  const double v = f.value_gradient(theta, g);
  CHECK(std::isfinite(v));
  CHECK(g.is_finite());
  const arma::mat P = f.probabilities(theta);
  CHECK(arma::approx_equal(arma::sum(P, 0), arma::rowvec(3, arma::fill::ones), "absdiff", 1e-15));
}
