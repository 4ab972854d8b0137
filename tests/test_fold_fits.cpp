// fold_fits (every fold's fit at once, fit/fold_fits.hpp) against fit_path fold by fold, and the
// pieces it rests on: exp_nonpositive, the fold column on the parallel CSV path.
#include <doctest.h>

#include <cmath>
#include <limits>
#include <random>

#include "base/numerics.hpp"
#include "data/dataset.hpp"
#include "data/dense_design.hpp"
#include "fit/fold_fits.hpp"
#include "fit/path.hpp"
#include "fit/trainer.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"
#include "test_support.hpp"

namespace {

struct problem_data {
  arma::mat X;  // d x n
  std::vector<std::uint32_t> y, fold;
  arma::vec w;
};

// n rows, d features; column 2 is 0 except in fold 0's rows (so the training rows of fold 0 hold
// it constant), column 3 has a mean of 1e6 and a spread of 1.
problem_data make_data(arma::uword n, arma::uword d, std::uint32_t F, bool weights, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> N(0.0, 1.0);
  std::uniform_real_distribution<double> U(0.5, 2.0);
  problem_data p;
  p.X.set_size(d, n);
  for (arma::uword i = 0; i < n; ++i) {
    p.fold.push_back(static_cast<std::uint32_t>((i * 7 + 3) % F));
    double z = 0.3;
    for (arma::uword j = 0; j < d; ++j) {
      double v = N(rng) * (1.0 + j);
      if (j == 2) v = p.fold[i] == 0 ? v : 0.0;
      if (j == 3) v = 1e6 + N(rng);
      p.X(j, i) = v;
      z += (j == 3 ? (v - 1e6) : v) * (0.5 - 0.1 * static_cast<double>(j)) / (1.0 + j);
    }
    p.y.push_back(std::uniform_real_distribution<double>(0, 1)(rng) < 1 / (1 + std::exp(-z)) ? 1u : 0u);
  }
  if (weights) {
    p.w.set_size(n);
    for (arma::uword i = 0; i < n; ++i) p.w[i] = U(rng);
  }
  return p;
}

// fit_path on fold f's training rows at each C, as cross_validate runs it fold by fold.
std::vector<logreg::fit_path::point> by_path(const problem_data& p, std::uint32_t f, const std::vector<double>& Cs,
                                             const logreg::fit_settings& s) {
  std::vector<arma::uword> rows;
  for (arma::uword i = 0; i < p.X.n_cols; ++i)
    if (p.fold[i] != f) rows.push_back(i);
  arma::mat Xt = p.X.cols(arma::conv_to<arma::uvec>::from(rows));
  logreg::dense_design X(Xt.memptr(), Xt.n_rows, Xt.n_cols);
  std::vector<std::uint32_t> y;
  for (arma::uword i : rows) y.push_back(p.y[i]);
  arma::vec w = p.w.is_empty() ? arma::vec() : arma::vec(p.w.elem(arma::conv_to<arma::uvec>::from(rows)));
  logreg::fit_path path(X, y, 2, w, s);
  std::vector<logreg::fit_path::point> out;
  for (double C : Cs) out.push_back(path.fit(C, s.l1_ratio));  // (the ratio counts for elasticnet only)
  return out;
}

double relative(double a, double b) { return std::fabs(a - b) / std::max(1.0, std::fabs(b)); }

// A fit's score at the mean of fold f's training rows: its intercept measured where it is well
// determined, whatever the columns' means.
double centred(const problem_data& p, std::uint32_t f, const logreg::fit_path::point& q) {
  double z = q.intercepts[0], rows = 0;
  arma::vec mean(p.X.n_rows, arma::fill::zeros);
  for (arma::uword i = 0; i < p.X.n_cols; ++i)
    if (p.fold[i] != f) {
      mean += p.X.col(i);
      ++rows;
    }
  mean /= rows;
  for (arma::uword j = 0; j < p.X.n_rows; ++j) z += q.coefficients[0][j] * mean[j];
  return z;
}

}  // namespace

TEST_CASE("exp_nonpositive: within 1 ulp of std::exp on [-708, 0], and its ends") {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> U(-708.0, 0.0), small(-1.0, 0.0);
  double worst = 0;
  for (int k = 0; k < 200000; ++k) {
    const double x = k % 2 ? U(rng) : small(rng) * std::pow(10.0, -(k % 17));
    const double want = std::exp(x), got = logreg::exp_nonpositive(x);
    worst = std::max(worst, std::fabs(got - want) / want);
  }
  CHECK(worst <= 2.3e-16);  // 1 ulp at most
  CHECK(logreg::exp_nonpositive(0.0) == 1.0);
  CHECK(logreg::exp_nonpositive(-0.0) == 1.0);
  CHECK(logreg::exp_nonpositive(-708.0) == doctest::Approx(std::exp(-708.0)).epsilon(1e-15));
  CHECK(logreg::exp_nonpositive(-1e300) == logreg::exp_nonpositive(-708.0));  // clamped, finite, > 0
  CHECK(logreg::exp_nonpositive(-INFINITY) > 0);
}

TEST_CASE("log1p_unit: within 2 ulp of std::log1p on [0, 1]") {
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> U(0.0, 1.0);
  double worst = 0;
  for (int k = 0; k < 200000; ++k) {
    const double t = U(rng) * std::pow(10.0, -(k % 20));
    const double want = std::log1p(t), got = logreg::log1p_unit(t);
    worst = std::max(worst, std::fabs(got - want) / want);
  }
  CHECK(worst <= 4.5e-16);
  CHECK(logreg::log1p_unit(0.0) == 0.0);
  CHECK(logreg::log1p_unit(1.0) == doctest::Approx(std::log(2.0)).epsilon(1e-16));
}

TEST_CASE("fold_fits: every fold's fits equal fit_path's fold by fold, weights, a constant column, a large mean") {
  const std::vector<double> Cs = {1e-4, 3e-3, 0.1, 1, 30, 1e3};
  for (const bool weights : {false, true}) {
    CAPTURE(weights);
    const problem_data p = make_data(3000, 6, 5, weights, weights ? 7 : 8);
    logreg::fit_settings s;
    REQUIRE(logreg::fold_fits_apply(s, 2, true, 6));
    std::vector<std::vector<logreg::fit_path::point>> together;
    std::vector<std::vector<std::vector<double>>> held_out(5, std::vector<std::vector<double>>(Cs.size()));
    auto keep = [&](std::uint32_t f, std::size_t g, const std::vector<double>& p) { held_out.at(f).at(g) = p; };
    REQUIRE(logreg::fold_fits(p.X, p.y, p.w, p.fold, 5, Cs, s, together, {}, keep));
    REQUIRE(together.size() == 5);
    // The probabilities it gives for each fold's own rows are its fits' (original-scale) model's.
    double worst = 0;
    for (std::uint32_t f = 0; f < 5; ++f)
      for (std::size_t g = 0; g < Cs.size(); ++g) {
        std::size_t k = 0;
        for (arma::uword i = 0; i < p.X.n_cols; ++i) {
          if (p.fold[i] != f) continue;
          double z = together[f][g].intercepts[0];
          for (std::size_t j = 0; j < 6; ++j) z += together[f][g].coefficients[0][j] * p.X(j, i);
          REQUIRE(k < held_out[f][g].size());
          worst = std::max(worst, std::fabs(held_out[f][g][k++] - logreg::sigmoid(z)));
        }
        CHECK(k == held_out[f][g].size());
      }
    CHECK(worst < 1e-9);  // z is a sum of terms of 1e5 (column 3's mean): its rounding, not the fit's
    for (std::uint32_t f = 0; f < 5; ++f) {
      CAPTURE(f);
      const std::vector<logreg::fit_path::point> alone = by_path(p, f, Cs, s);
      REQUIRE(together[f].size() == Cs.size());
      for (std::size_t g = 0; g < Cs.size(); ++g) {
        CAPTURE(Cs[g]);
        const auto& a = together[f][g];
        const auto& b = alone[g];
        CHECK(a.C == Cs[g]);
        CHECK(a.report.converged());
        CHECK(a.report.gradient_norm <= a.report.tolerance);
        CHECK(a.nonzero == b.nonzero);
        // Both stop at max|gradient| <= 1e-10 C W: at small C the coefficients are small and that
        // bound is a few 1e-8 of them (measured: at most 8e-8). The intercept is compared at the
        // training rows' mean (b + mean'w): the original-scale intercept takes column 3's 1e6 times
        // its coefficient's difference, 1e-10 of which the tolerance allows (seen: 1e-6 of it).
        CHECK(relative(centred(p, f, a), centred(p, f, b)) < 5e-7);
        for (std::size_t j = 0; j < 6; ++j) {
          CAPTURE(j);
          // coefficients on the original scale: compare in units of 1 / spread (column 3's is 1)
          CHECK(relative(a.coefficients[0][j], b.coefficients[0][j]) < 5e-7);
        }
        if (f == 0) CHECK(a.coefficients[0][2] == 0.0);  // 0 on every training row of fold 0: constant
      }
    }
  }
}

TEST_CASE("fold_fits: L1 and elastic net, the same zeros and coefficients as fit_path's proximal Newton") {
  const std::vector<double> Cs = {1e-3, 3e-3, 1e-2, 0.1, 1, 30};
  for (const logreg::penalty_kind pen : {logreg::penalty_kind::l1, logreg::penalty_kind::elasticnet}) {
    for (const bool weights : {false, true}) {
      CAPTURE(weights);
      CAPTURE(logreg::to_string(pen));
      const problem_data p = make_data(3000, 6, 5, weights, weights ? 11 : 12);
      logreg::fit_settings s;
      s.penalty = pen;
      s.l1_ratio = 0.4;
      REQUIRE(logreg::fold_fits_apply(s, 2, true, 6));
      std::vector<std::vector<logreg::fit_path::point>> together;
      REQUIRE(logreg::fold_fits(p.X, p.y, p.w, p.fold, 5, Cs, s, together));
      std::size_t zeros = 0;
      for (std::uint32_t f = 0; f < 5; ++f) {
        CAPTURE(f);
        const std::vector<logreg::fit_path::point> alone = by_path(p, f, Cs, s);
        for (std::size_t g = 0; g < Cs.size(); ++g) {
          CAPTURE(Cs[g]);
          const auto& a = together[f][g];
          const auto& b = alone[g];
          CHECK(a.report.converged());
          CHECK(a.report.solver == "proxnewton");
          CHECK(a.l1_ratio == b.l1_ratio);
          CHECK(a.report.gradient_norm <= a.report.tolerance);
          CHECK(a.nonzero == b.nonzero);
          CHECK(relative(a.intercepts[0], b.intercepts[0]) < 5e-7);
          for (std::size_t j = 0; j < 6; ++j) {
            CAPTURE(j);
            CHECK((a.coefficients[0][j] == 0) == (b.coefficients[0][j] == 0));
            CHECK(relative(a.coefficients[0][j], b.coefficients[0][j]) < 5e-7);
            zeros += a.coefficients[0][j] == 0;
          }
        }
      }
      CHECK(zeros > 20);  // the small values of C hold exact zeros
    }
  }
}

TEST_CASE("fold_fits: small, collinear folds (breast cancer, 5 folds) take their own exact Hessians and finish") {
  // The folds' coefficients differ much on 455 training rows of 30 collinear features at large C,
  // so the shared matrix stops serving; the folds that stall go on their own exact Hessians.
  logreg::train_request req;
  req.data_path = test::dataset("breast_cancer.csv");
  req.columns.target = "diagnosis";
  logreg::loaded_training_data loaded = logreg::load_for_training(req);
  const logreg::labelled_data& data = loaded.data;
  problem_data p;
  p.X = data.X;
  for (std::size_t i = 0; i < data.X.n_cols; ++i) {
    p.y.push_back(data.labels[data.label_index[i]] == "malignant" ? 1u : 0u);
    p.fold.push_back(static_cast<std::uint32_t>(i % 5));
  }
  const std::vector<double> Cs = {0.01, 0.1, 1, 10, 100, 1000};
  for (const logreg::penalty_kind pen : {logreg::penalty_kind::l2, logreg::penalty_kind::l1}) {
    CAPTURE(logreg::to_string(pen));
    logreg::fit_settings s;
    s.penalty = pen;
    std::vector<std::vector<logreg::fit_path::point>> together;
    REQUIRE(logreg::fold_fits(p.X, p.y, p.w, p.fold, 5, Cs, s, together));
    for (std::uint32_t f = 0; f < 5; ++f) {
      const std::vector<logreg::fit_path::point> alone = by_path(p, f, Cs, s);
      for (std::size_t g = 0; g < Cs.size(); ++g) {
        CAPTURE(f);
        CAPTURE(Cs[g]);
        CHECK(together[f][g].report.converged());
        CHECK(together[f][g].report.gradient_norm <= together[f][g].report.tolerance);
        CHECK(alone[g].report.converged());
        CHECK(together[f][g].nonzero == alone[g].nonzero);
      }
    }
  }
}

TEST_CASE("fold_fits: the same bits for any thread count and fold labels; false when it cannot finish") {
  const problem_data p = make_data(5000, 5, 4, false, 3);
  const std::vector<double> Cs = {0.01, 0.1, 1, 10};
  logreg::fit_settings s;
  std::vector<std::vector<logreg::fit_path::point>> one, two;
  logreg::set_thread_count(1);
  REQUIRE(logreg::fold_fits(p.X, p.y, p.w, p.fold, 4, Cs, s, one));
  logreg::set_thread_count(2);
  REQUIRE(logreg::fold_fits(p.X, p.y, p.w, p.fold, 4, Cs, s, two));
  logreg::set_thread_count(0);
  for (std::uint32_t f = 0; f < 4; ++f)
    for (std::size_t g = 0; g < Cs.size(); ++g) {
      CHECK(one[f][g].intercepts == two[f][g].intercepts);
      CHECK(one[f][g].coefficients == two[f][g].coefficients);
    }
  // The same parts under other labels (a fold column naming them otherwise): the same bits.
  problem_data q = p;
  for (std::uint32_t& f : q.fold) f = (f * 3 + 1) % 4;
  std::vector<std::vector<logreg::fit_path::point>> relabelled;
  REQUIRE(logreg::fold_fits(q.X, q.y, q.w, q.fold, 4, Cs, s, relabelled));
  for (std::uint32_t f = 0; f < 4; ++f)
    for (std::size_t g = 0; g < Cs.size(); ++g) {
      CHECK(relabelled[(f * 3 + 1) % 4][g].intercepts == one[f][g].intercepts);
      CHECK(relabelled[(f * 3 + 1) % 4][g].coefficients == one[f][g].coefficients);
    }
  s.max_iter = 1;  // too few iterations: it gives up (cross_validate then fits fold by fold)
  std::vector<std::vector<logreg::fit_path::point>> none;
  CHECK_FALSE(logreg::fold_fits(p.X, p.y, p.w, p.fold, 4, Cs, s, none));
  CHECK(none.empty());
  // outside its case
  s = logreg::fit_settings{};
  CHECK_FALSE(logreg::fold_fits_apply(s, 3, true, 5));
  CHECK_FALSE(logreg::fold_fits_apply(s, 2, false, 5));
  s.penalty = logreg::penalty_kind::none;
  CHECK_FALSE(logreg::fold_fits_apply(s, 2, true, 5));
  s = logreg::fit_settings{};
  s.standardize = false;
  CHECK_FALSE(logreg::fold_fits_apply(s, 2, true, 5));
  s = logreg::fit_settings{};
  CHECK_FALSE(logreg::fold_fits_apply(s, 2, true, 400));  // L-BFGS's size
}

TEST_CASE("cv data: the fold column read by the parallel loader; a missing fold named by line") {
  std::string text = "a,b,y,fold\n";
  for (int i = 0; i < 4000; ++i)
    text += std::to_string(i % 13) + "." + std::to_string(i % 7) + "," + std::to_string(i % 5) + "," +
            (i % 3 ? "yes" : "no") + "," + (i % 4 == 0 ? "k" + std::to_string(i % 3) : "k3") + "\n";
  const test::temp_file file(text);
  logreg::train_request req;
  req.data_path = file.path();
  req.columns.target = "y";
  req.columns.fold = "fold";
  const logreg::loaded_training_data loaded = logreg::load_for_training(req);
  const logreg::labelled_data& d = loaded.data;
  REQUIRE(d.X.n_cols == 4000);
  REQUIRE(d.X.n_rows == 2);  // the fold column is not a feature
  CHECK(d.fold_labels == std::vector<std::string>{"k0", "k3", "k1", "k2"});  // first appearance
  REQUIRE(d.fold_index.size() == 4000);
  bool all = true;
  for (std::size_t i = 0; i < 4000; ++i) {
    const std::string want = i % 4 == 0 ? "k" + std::to_string(i % 3) : "k3";
    all = all && d.fold_labels[d.fold_index[i]] == want;
  }
  CHECK(all);
  std::string bad = text;
  bad.replace(bad.rfind("k3\n"), 2, "NA");  // the last record's fold
  const test::temp_file bad_file(bad);
  req.data_path = bad_file.path();
  try {
    (void)logreg::load_for_training(req);
    FAIL("no error");
  } catch (const logreg::data_error& e) {
    const std::string what = e.what();
    CHECK(what.find(":4001:") != std::string::npos);
    CHECK(what.find("the fold column is missing") != std::string::npos);
  }
}
