// Exactness: fits through the whole library path (CSV -> model) against committed scikit-learn and
// statsmodels values (tests/fixtures, written by scripts/make_fixtures).
#include <doctest.h>

#include <armadillo>

#include "data/dataset.hpp"
#include "base/numerics.hpp"
#include "fit/trainer.hpp"
#include "test_support.hpp"

namespace {
std::vector<double> probabilities(const logreg::model& m, const std::string& path) {
  logreg::column_selection cols;
  cols.target = m.target;
  const logreg::labelled_data data = logreg::load_labelled_csv(path, cols);
  std::vector<double> p;
  for (arma::uword i = 0; i < data.X.n_cols; ++i) {
    double z = m.intercept;
    for (arma::uword j = 0; j < data.X.n_rows; ++j) z += m.coefficients[j] * data.X(j, i);
    p.push_back(logreg::sigmoid(z));
  }
  return p;
}

// max |a - b| / ||b||_2 over coefficients and intercept together.
double relative_to_norm(const logreg::model& m, const std::vector<double>& coef, double intercept) {
  arma::vec a(m.coefficients), b(coef);
  a.resize(a.n_elem + 1);
  b.resize(b.n_elem + 1);
  a(a.n_elem - 1) = m.intercept;
  b(b.n_elem - 1) = intercept;
  return arma::norm(a - b, "inf") / arma::norm(b, 2);
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  return d;
}

logreg::model train(const std::string& file, const std::string& target, logreg::fit_settings s) {
  logreg::train_request req;
  req.data_path = test::dataset(file);
  req.columns.target = target;
  req.settings = s;
  return logreg::train_from_csv(req).fitted;
}
}  // namespace

TEST_CASE("breast cancer, L2, C=1, raw features: scikit-learn's coefficients and probabilities") {
  const auto ref = test::fixture("breast_cancer_raw.json");
  logreg::fit_settings s;
  s.standardize = false;
  s.tol = 1e-10;
  const logreg::model m = train("breast_cancer.csv", "diagnosis", s);
  CHECK(m.report.status == "converged");
  CHECK(m.positive_class() == "malignant");
  CHECK(m.features == ref["feature_names"].get<std::vector<std::string>>());
  CHECK(relative_to_norm(m, ref["coef"], ref["intercept"]) < 1e-6);
  CHECK(max_abs_diff(probabilities(m, test::dataset("breast_cancer.csv")), ref["probability"]) < 1e-8);
  CHECK(m.report.objective == doctest::Approx(ref["objective"].get<double>()).epsilon(1e-10));
}

TEST_CASE("breast cancer, L2, C=1, standardised: scikit-learn's pipeline, with both solvers") {
  const auto ref = test::fixture("breast_cancer_std.json");
  for (logreg::solver_kind solver : {logreg::solver_kind::newton, logreg::solver_kind::lbfgs}) {
    CAPTURE(logreg::to_string(solver));
    logreg::fit_settings s;
    s.solver = solver;
    const logreg::model m = train("breast_cancer.csv", "diagnosis", s);
    CHECK(m.report.status == "converged");
    CHECK(max_abs_diff(m.mean, ref["mean"]) <= 1e-12 * 1000);
    for (std::size_t j = 0; j < m.scale.size(); ++j)
      CHECK(m.scale[j] == doctest::Approx(ref["scale"][j].get<double>()).epsilon(1e-13));
    CHECK(relative_to_norm(m, ref["coef"], ref["intercept"]) < 1e-6);
    CHECK(max_abs_diff(probabilities(m, test::dataset("breast_cancer.csv")), ref["probability"]) < 1e-8);
    CHECK(m.report.objective == doctest::Approx(ref["objective_z"].get<double>()).epsilon(1e-10));
  }
}

TEST_CASE("admissions, no penalty: statsmodels' (R glm's) estimates") {
  const auto ref = test::fixture("admissions_none.json");
  logreg::fit_settings s;
  s.penalty = logreg::penalty_kind::none;
  for (bool standardize : {true, false}) {
    CAPTURE(standardize);
    s.standardize = standardize;
    const logreg::model m = train("admissions.csv", "admit", s);
    CHECK(m.report.status == "converged");
    const auto params = ref["params"].get<std::vector<double>>();  // intercept, gre, gpa, rank
    CHECK(m.intercept == doctest::Approx(params[0]).epsilon(1e-6));
    for (std::size_t j = 0; j < 3; ++j) CHECK(m.coefficients[j] == doctest::Approx(params[j + 1]).epsilon(1e-6));
    CHECK(max_abs_diff(probabilities(m, test::dataset("admissions.csv")), ref["probability"]) < 1e-9);
  }
}

TEST_CASE("the intercept is not penalised: shifting a feature changes only the intercept") {
  // With L2, adding a constant to a feature leaves w unchanged and moves b by -w * shift, because
  // b is outside the penalty. A penalised b would resist the move and change w as well.
  arma::arma_rng::set_seed(9);
  std::string a = "x,y\n", b = "x,y\n";
  for (int i = 0; i < 200; ++i) {
    const double x = arma::randn();
    const int y = arma::randu() < logreg::sigmoid(1.5 * x - 0.5) ? 1 : 0;
    a += std::to_string(x) + "," + std::to_string(y) + "\n";
    b += std::to_string(x + 100) + "," + std::to_string(y) + "\n";
  }
  test::temp_file fa(a), fb(b);
  logreg::train_request req;
  req.settings.standardize = false;
  req.settings.tol = 1e-12;
  req.data_path = fa.path();
  const logreg::model ma = logreg::train_from_csv(req).fitted;
  req.data_path = fb.path();
  const logreg::model mb = logreg::train_from_csv(req).fitted;
  CHECK(mb.coefficients[0] == doctest::Approx(ma.coefficients[0]).epsilon(1e-8));
  CHECK(mb.intercept == doctest::Approx(ma.intercept - 100 * ma.coefficients[0]).epsilon(1e-8));
}

TEST_CASE("a constant column gives a zero coefficient, never NaN") {
  std::string text = "c,x,y\n";
  for (int i = 0; i < 40; ++i) text += "5," + std::to_string(i % 7) + "," + std::to_string((i * 7 + i / 3) % 2) + "\n";
  test::temp_file f(text);
  for (auto penalty : {logreg::penalty_kind::l2, logreg::penalty_kind::none}) {
    logreg::train_request req;
    req.data_path = f.path();
    req.settings.penalty = penalty;
    const logreg::model m = logreg::train_from_csv(req).fitted;
    CHECK(m.coefficients[0] == 0.0);
    CHECK(std::isfinite(m.coefficients[1]));
    CHECK(std::isfinite(m.intercept));
    CHECK(m.scale[0] == 1.0);
  }
}

TEST_CASE("positive class: 1, true or yes when present, else the second in sorted order") {
  CHECK(logreg::choose_positive_class({"1", "0"}, "", "y") == "1");
  CHECK(logreg::choose_positive_class({"no", "yes"}, "", "y") == "yes");
  CHECK(logreg::choose_positive_class({"True", "False"}, "", "y") == "True");
  CHECK(logreg::choose_positive_class({"malignant", "benign"}, "", "y") == "malignant");
  CHECK(logreg::choose_positive_class({">50K", "<=50K"}, "", "y") == ">50K");
  CHECK(logreg::choose_positive_class({"a", "b"}, "a", "y") == "a");
  CHECK(logreg::choose_positive_class({"+1", "-1"}, "", "y") == "+1");
  CHECK(logreg::choose_positive_class({"-1", "0"}, "", "y") == "0");
  CHECK(logreg::choose_positive_class({"10", "9"}, "", "y") == "10");  // numerically, not as text
  CHECK_THROWS_WITH(logreg::choose_positive_class({"a", "b"}, "c", "y"),
                    "--positive: 'c' is not a value of column 'y' (its values are 'a', 'b')");
}
