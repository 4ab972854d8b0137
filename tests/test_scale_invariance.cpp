// Standardised fits at any magnitude (issue 13, item 4): a feature multiplied by any power of ten
// whose values stay finite gives the same probabilities; constancy is relative to the column's own
// magnitude; nothing that is not finite reaches a model, and a fit that cannot make one is an error.
#include <doctest.h>

#include <armadillo>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "data/categorical_design.hpp"
#include "data/dataset.hpp"
#include "data/dense_design.hpp"
#include "data/sparse_design.hpp"
#include "fit/trainer.hpp"
#include "logreg/error.hpp"
#include "logreg/fit.hpp"
#include "logreg/model.hpp"
#include "logreg/predict.hpp"
#include "test_support.hpp"

namespace {

struct admissions {
  arma::mat X;  // 3 x 400: gre, gpa, rank
  std::vector<std::string> labels;
};

admissions load_admissions() {
  logreg::column_selection cols;
  cols.target = "admit";
  const logreg::labelled_data data = logreg::load_labelled_csv(test::dataset("admissions.csv"), cols);
  admissions out;
  out.X = data.X;
  for (std::uint32_t i : data.label_index) out.labels.push_back(data.labels[i]);
  return out;
}

double max_abs_diff(const arma::mat& a, const arma::mat& b) { return arma::abs(a - b).max(); }

bool all_finite(const logreg::model& m) {
  auto finite = [](const std::vector<double>& v) {
    for (double x : v)
      if (!std::isfinite(x)) return false;
    return true;
  };
  bool ok = finite(m.coefficients) && finite(m.mean) && finite(m.scale) && std::isfinite(m.intercept) &&
            finite(m.class_intercepts) && std::isfinite(m.report.objective) && std::isfinite(m.report.gradient_norm);
  for (const auto& row : m.class_coefficients) ok = ok && finite(row);
  return ok;
}

const int powers[] = {-300, -250, -200, -155, -100, -20, 20, 100, 155, 200, 250, 300};

}  // namespace

TEST_CASE("scale invariance: a feature times any power of ten gives the same probabilities (dense, sparse)") {
  const admissions a = load_admissions();
  for (logreg::penalty_kind penalty : {logreg::penalty_kind::l2, logreg::penalty_kind::none, logreg::penalty_kind::l1}) {
    logreg::fit_settings s;
    s.penalty = penalty;
    const logreg::fit_result base = logreg::fit(a.X, a.labels, s);
    const arma::mat p0 = logreg::predict_proba(base.fitted, a.X);
    for (arma::uword j = 0; j < 3; ++j)
      for (int k : powers) {
        CAPTURE(static_cast<int>(penalty));
        CAPTURE(j);
        CAPTURE(k);
        arma::mat X = a.X;
        X.row(j) *= std::pow(10.0, k);
        REQUIRE(X.is_finite());
        const logreg::fit_result dense = logreg::fit(X, a.labels, s);
        CHECK(all_finite(dense.fitted));
        CHECK(max_abs_diff(logreg::predict_proba(dense.fitted, X), p0) < 1e-12);
        CHECK(dense.fitted.scale[j] == doctest::Approx(base.fitted.scale[j] * std::pow(10.0, k)).epsilon(1e-13));
        const logreg::fit_result sparse = logreg::fit(arma::sp_mat(X), a.labels, s);
        CHECK(all_finite(sparse.fitted));
        CHECK(max_abs_diff(logreg::predict_proba(sparse.fitted, X), p0) < 1e-12);
      }
  }
}

TEST_CASE("scale invariance: every feature scaled at once, multinomial and one-vs-rest") {
  logreg::column_selection cols;
  cols.target = "species";
  const logreg::labelled_data data = logreg::load_labelled_csv(test::dataset("iris.csv"), cols);
  std::vector<std::string> labels;
  for (std::uint32_t i : data.label_index) labels.push_back(data.labels[i]);
  for (logreg::multiclass_kind kind : {logreg::multiclass_kind::multinomial, logreg::multiclass_kind::ovr}) {
    logreg::fit_settings s;
    s.multiclass = kind;
    const logreg::fit_result base = logreg::fit(data.X, labels, s);
    const arma::mat p0 = logreg::predict_proba(base.fitted, data.X);
    for (int k : powers) {
      CAPTURE(k);
      const arma::mat X = data.X * std::pow(10.0, k);
      const logreg::fit_result r = logreg::fit(X, labels, s);
      CHECK(all_finite(r.fitted));
      CHECK(max_abs_diff(logreg::predict_proba(r.fitted, X), p0) < 1e-12);
    }
  }
}

TEST_CASE("scale invariance: a numeric column of a categorical design, through the CSV trainer") {
  // admissions with rank categorical: the categorical design's numeric block (gre) scaled.
  std::ifstream in(test::dataset("admissions.csv"));
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line);
  auto file_with = [&](int k) {
    std::string text = header + "\n";
    for (const std::string& r : rows) {
      std::stringstream ss(r);
      std::string admit, gre, gpa, rank;
      std::getline(ss, admit, ',');
      std::getline(ss, gre, ',');
      std::getline(ss, gpa, ',');
      std::getline(ss, rank, ',');
      text += admit + "," + gre + (k ? "e" + std::to_string(k) : std::string()) + "," + gpa + "," + rank + "\n";
    }
    return text;
  };
  logreg::train_request req;
  req.columns.target = "admit";
  req.encoding.categorical = {"rank"};
  test::temp_file f0(file_with(0));
  req.data_path = f0.path();
  const logreg::model base = logreg::train_from_csv(req).fitted;
  for (int k : powers) {
    CAPTURE(k);
    test::temp_file fk(file_with(k));
    req.data_path = fk.path();
    const logreg::train_outcome out = logreg::train_from_csv(req);
    CHECK(all_finite(out.fitted));
    for (std::size_t j = 0; j < base.coefficients.size(); ++j)
      CHECK(out.fitted.coefficients[j] * (j == 0 ? std::pow(10.0, k) : 1.0) ==
            doctest::Approx(base.coefficients[j]).epsilon(1e-11));
    CHECK(out.fitted.intercept == doctest::Approx(base.intercept).epsilon(1e-11));
  }
}

TEST_CASE("standardisation: the same means and scales from every design kind, at any magnitude") {
  arma::arma_rng::set_seed(5);
  const arma::uword n = 300;
  for (int k : {-300, -200, 0, 200, 300}) {
    CAPTURE(k);
    arma::mat X = arma::randn(4, n);
    X.row(0) *= std::pow(10.0, k);
    X.row(1) = X.row(1) * 1e-17 + 1e-15;  // a spread of 1e-17 around 1e-15: not constant
    X.row(2).fill(std::pow(10.0, k) / 3);  // constant
    for (bool center : {true, false}) {
      logreg::dense_design D{arma::mat(X)};
      arma::sp_mat S(X);
      logreg::csr_matrix c;
      c.n_rows = n;
      c.n_cols = 4;
      c.row_ptr.assign(S.col_ptrs, S.col_ptrs + n + 1);
      c.col.assign(S.row_indices, S.row_indices + S.n_nonzero);
      c.val.assign(S.values, S.values + S.n_nonzero);
      logreg::sparse_design P(std::move(c));
      std::vector<double> md, sd, ms, ss;
      D.standardize(center, md, sd);
      P.standardize(center, ms, ss);
      for (arma::uword j = 0; j < 4; ++j) {
        CHECK(std::isfinite(sd[j]));
        CHECK(ss[j] == doctest::Approx(sd[j]).epsilon(1e-13));
        CHECK(ms[j] == doctest::Approx(md[j]).epsilon(1e-13));
      }
      const double unit = std::pow(10.0, k);
      CHECK(sd[0] == doctest::Approx(arma::stddev(X.row(0) / unit, 1) * unit).epsilon(1e-13));
      CHECK(sd[1] == doctest::Approx(arma::stddev(X.row(1), 1)).epsilon(1e-10));
      CHECK(sd[1] < 1e-16);
      CHECK(sd[2] == 1.0);  // constant: scale 1
      CHECK(ss[2] == 1.0);
      // A constant centred column is 0 exactly, whatever the rounding of its mean.
      arma::mat Z(4, n), Zs(4, n);
      D.copy(0, n, Z.memptr());
      P.copy(0, n, Zs.memptr());
      if (center) {
        CHECK(arma::all(Z.row(2) == 0));
        CHECK(arma::all(Zs.row(2) == 0));
      }
      CHECK(Z.is_finite());
      CHECK(max_abs_diff(Z, Zs) < 1e-10);
    }
  }
}

TEST_CASE("constancy is relative to the column's magnitude: 1e-17 around 1e-15 is fitted") {
  const admissions a = load_admissions();
  arma::mat X = a.X;
  X.row(1) = X.row(1) * 1e-17 + 1e-15;  // gpa, squeezed
  const logreg::fit_result r = logreg::fit(X, a.labels, {});
  const logreg::fit_result base = logreg::fit(a.X, a.labels, {});
  CHECK(r.fitted.coefficients[1] != 0.0);
  CHECK(r.fitted.report.objective == doctest::Approx(base.fitted.report.objective).epsilon(1e-12));
  // A constant column of any magnitude: coefficient 0, scale 1, nothing infinite.
  for (double c : {1e-300, 1e-155, 5.0, 1e155, 1e300}) {
    CAPTURE(c);
    arma::mat Xc = arma::join_cols(arma::mat(1, a.X.n_cols, arma::fill::value(c)), a.X);
    for (logreg::penalty_kind penalty : {logreg::penalty_kind::l2, logreg::penalty_kind::none}) {
      logreg::fit_settings s;
      s.penalty = penalty;
      const logreg::fit_result rc = logreg::fit(Xc, a.labels, s);
      CHECK(rc.fitted.coefficients[0] == 0.0);
      CHECK(rc.fitted.scale[0] == 1.0);
      CHECK(all_finite(rc.fitted));
      logreg::fit_settings s0;
      s0.penalty = penalty;
      CHECK(rc.fitted.report.objective == doctest::Approx(logreg::fit(a.X, a.labels, s0).fitted.report.objective).epsilon(1e-12));
    }
  }
}

TEST_CASE("a fit that cannot make a usable model is an error, not a model with null in it") {
  const admissions a = load_admissions();
  logreg::fit_options o;
  o.weights = arma::vec(a.X.n_cols, arma::fill::value(1e308));
  CHECK_THROWS_WITH_AS(logreg::fit(a.X, a.labels, {}, o),
                       "the objective is out of the range of doubles: C x the sum of the row weights overflows (above "
                       "1e+250). Scale the --weight column down (without a penalty only the ratios of the weights "
                       "matter) or lower --C",
                       logreg::data_error);
  o.weights.fill(1e-300);
  CHECK_THROWS_AS(logreg::fit(a.X, a.labels, {}, o), logreg::data_error);
  // Without a penalty, weights only matter by their ratios: 1e200 each is the unweighted model.
  logreg::fit_settings none;
  none.penalty = logreg::penalty_kind::none;
  o.weights.fill(1e240 / 400);
  const logreg::fit_result heavy = logreg::fit(a.X, a.labels, none, o);
  const logreg::fit_result plain = logreg::fit(a.X, a.labels, none);
  CHECK(max_abs_diff(logreg::predict_proba(heavy.fitted, a.X), logreg::predict_proba(plain.fitted, a.X)) < 1e-12);
  // --no-standardize: the L2 penalty on a raw coefficient weighs 1 / scale^2 in the solver's
  // coordinates. At 1e-100 that is 1e200 (Newton's triangular solves must not give up on it); at
  // 1e-300 it is out of range: an error.
  arma::mat X = a.X;
  X.row(0) *= 1e-100;
  logreg::fit_settings raw;
  raw.standardize = false;
  const logreg::fit_result r = logreg::fit(X, a.labels, raw);
  CHECK(r.fitted.report.status == "converged");
  CHECK(all_finite(r.fitted));
  CHECK(std::fabs(r.fitted.coefficients[0]) < 1e-90);  // the raw penalty pins it near 0
  X.row(0) *= 1e-200;
  CHECK_THROWS_WITH_AS(logreg::fit(X, a.labels, raw),
                       doctest::Contains("--no-standardize: the standard deviation of 'x1' is 1.15e-298, so the L2 "
                                         "penalty on its raw coefficient"),
                       logreg::data_error);
  raw.penalty = logreg::penalty_kind::l1;  // an L1 weight of 1 / scale is still finite: a zero coefficient
  const logreg::fit_result l1 = logreg::fit(X, a.labels, raw);
  CHECK(l1.fitted.coefficients[0] == 0.0);
}

TEST_CASE("the covariance is not stored when it does not fit in doubles on the original scale") {
  const admissions a = load_admissions();
  arma::mat X = a.X;
  X.row(0) *= 1e-300;  // var(w) = var(v) / scale^2 ~ 1e600
  logreg::fit_settings none;
  none.penalty = logreg::penalty_kind::none;
  const logreg::fit_result r = logreg::fit(X, a.labels, none);
  CHECK_FALSE(r.fitted.inference.has_value());
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].rfind("the covariance of the estimates does not fit in doubles on the original scale of 'x1'", 0) == 0);
  X = a.X;
  X.row(0) *= 1e300;  // ~1e-600: lost to underflow, not stored as 0
  CHECK_FALSE(logreg::fit(X, a.labels, none).fitted.inference.has_value());
  X = a.X;
  X.row(0) *= 1e100;  // representable
  const logreg::fit_result ok = logreg::fit(X, a.labels, none);
  REQUIRE(ok.fitted.inference.has_value());
  CHECK(ok.fitted.inference->covariance.size() == 16);
}

TEST_CASE("save_model refuses what JSON cannot hold, naming the field; nothing is written") {
  logreg::model m;
  m.target = "y";
  m.classes = {"0", "1"};
  m.features = {"a", "b"};
  m.coefficients = {0.5, std::numeric_limits<double>::infinity()};
  m.report = {"converged", "newton", 3, 1.0, 1e-12, 1e-8, 0.0};
  m.n_rows = 10;
  m.class_counts = {5, 5};
  test::temp_file dir("", ".json");
  const std::string path = dir.path() + ".new";  // no file there
  struct remove_at_end {
    std::string p;
    ~remove_at_end() { std::remove(p.c_str()); }
  } cleanup{path};
  CHECK_THROWS_WITH_AS(logreg::save_model(m, path),
                       (path + ": cannot write the model: field 'coefficients[1]' is not a finite number (inf), and "
                                   "JSON has no infinity or NaN; nothing was written")
                           .c_str(),
                       logreg::data_error);
  CHECK_FALSE(std::ifstream(path).good());
  m.coefficients[1] = 1;
  m.report.objective = std::nan("");
  CHECK_THROWS_WITH(logreg::save_model(m, path),
                    doctest::Contains("field 'fit.objective' is not a finite number (nan)"));
  m.report.objective = 1;
  m.features[1] = "caf\xE9";
  CHECK_THROWS_WITH(logreg::save_model(m, path),
                    doctest::Contains("field 'features[1]' \"caf\\xE9\" holds the byte 0xE9 at byte 4, which is not valid UTF-8"));
  CHECK_FALSE(std::ifstream(path).good());
}

TEST_CASE("load_model: a number out of the range of doubles is named with the file") {
  logreg::model m;
  m.target = "y";
  m.classes = {"0", "1"};
  m.features = {"a"};
  m.coefficients = {0.5};
  m.report = {"converged", "newton", 3, 1.0, 1e-12, 1e-8, 0.0};
  m.n_rows = 10;
  m.class_counts = {5, 5};
  test::temp_file f("", ".json");
  logreg::save_model(m, f.path());
  std::stringstream text;
  text << std::ifstream(f.path()).rdbuf();
  std::string s = text.str();
  const std::size_t at = s.find("0.5");
  REQUIRE(at != std::string::npos);
  s.replace(at, 3, "1e999");
  std::ofstream(f.path(), std::ios::trunc) << s;
  CHECK_THROWS_WITH_AS(logreg::load_model(f.path()),
                       (f.path() + ": not a valid model file (the number 1e999 at byte " + std::to_string(at + 1) +
                        " is out of the range of doubles)")
                           .c_str(),
                       logreg::data_error);
}
