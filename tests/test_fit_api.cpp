// The public C++ API (logreg/fit.hpp, logreg/predict.hpp): a fit from a matrix is the model
// `logreg train` writes for the same numbers, dense or sparse, and predict_proba gives predict's
// probabilities.
#include <doctest.h>

#include <armadillo>

#include "data/dataset.hpp"
#include "fit/trainer.hpp"
#include "logreg/error.hpp"
#include "logreg/fit.hpp"
#include "logreg/predict.hpp"
#include "test_support.hpp"

namespace {

struct loaded {
  arma::mat X;  // d x n
  std::vector<std::string> labels, names;
};

loaded load(const std::string& file, const std::string& target) {
  logreg::column_selection cols;
  cols.target = target;
  const logreg::labelled_data data = logreg::load_labelled_csv(test::dataset(file), cols);
  loaded out;
  out.X = data.X;
  out.names = data.feature_names;
  for (std::uint32_t i : data.label_index) out.labels.push_back(data.labels[i]);
  return out;
}

logreg::model train_csv(const std::string& file, const std::string& target, const logreg::fit_settings& s) {
  logreg::train_request req;
  req.data_path = test::dataset(file);
  req.columns.target = target;
  req.settings = s;
  return logreg::train_from_csv(req).fitted;
}

}  // namespace

TEST_CASE("fit(arma::mat) gives the CSV trainer's model, bit for bit, binary and multinomial") {
  for (const auto& [file, target] : {std::pair<std::string, std::string>{"breast_cancer.csv", "diagnosis"},
                                     {"iris.csv", "species"}}) {
    CAPTURE(file);
    const loaded d = load(file, target);
    logreg::fit_options options;
    options.feature_names = d.names;
    options.target_name = target;
    const logreg::fit_result r = logreg::fit(d.X, d.labels, {}, options);
    const logreg::model want = train_csv(file, target, {});
    CHECK(r.fitted.classes == want.classes);
    CHECK(r.fitted.features == want.features);
    CHECK(r.fitted.coefficients == want.coefficients);
    CHECK(r.fitted.intercept == want.intercept);
    CHECK(r.fitted.class_coefficients == want.class_coefficients);
    CHECK(r.fitted.class_intercepts == want.class_intercepts);
    CHECK(r.fitted.report.objective == want.report.objective);
    CHECK(r.fitted.inference.has_value() == want.inference.has_value());
    // predict_proba: the probabilities of each class, columns summing to 1.
    const arma::mat P = logreg::predict_proba(r.fitted, d.X);
    REQUIRE(P.n_rows == want.classes.size());
    REQUIRE(P.n_cols == d.X.n_cols);
    CHECK(arma::abs(arma::sum(P, 0) - 1).max() < 1e-15);
    const std::vector<std::string> labels = logreg::predict_labels(r.fitted, d.X);
    std::size_t right = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) right += labels[i] == d.labels[i];
    CHECK(static_cast<double>(right) / static_cast<double>(labels.size()) > 0.95);
  }
}

TEST_CASE("fit(arma::sp_mat) gives the dense fit's model to 1e-10; default names x1..xd") {
  const loaded d = load("breast_cancer.csv", "diagnosis");
  const logreg::fit_result dense = logreg::fit(d.X, d.labels);
  const logreg::fit_result sparse = logreg::fit(arma::sp_mat(d.X), d.labels);
  CHECK(dense.fitted.features.front() == "x1");
  CHECK(sparse.fitted.features.back() == "x30");
  for (std::size_t j = 0; j < 30; ++j)
    CHECK(sparse.fitted.coefficients[j] == doctest::Approx(dense.fitted.coefficients[j]).epsilon(1e-10));
  CHECK(sparse.fitted.intercept == doctest::Approx(dense.fitted.intercept).epsilon(1e-10));
  const arma::mat P = logreg::predict_proba(dense.fitted, d.X);
  const arma::mat Ps = logreg::predict_proba(dense.fitted, arma::sp_mat(d.X));
  CHECK(arma::abs(P - Ps).max() == 0.0);
}

TEST_CASE("fit: weights, integer labels, and errors for mismatched sizes") {
  const loaded d = load("breast_cancer.csv", "diagnosis");
  arma::uvec codes(d.labels.size());
  for (std::size_t i = 0; i < codes.n_elem; ++i) codes[i] = d.labels[i] == "malignant" ? 1 : 0;
  logreg::fit_options twice;
  twice.weights = arma::vec(codes.n_elem, arma::fill::value(2.0));
  const logreg::fit_result a = logreg::fit(d.X, logreg::to_labels(codes));
  logreg::fit_settings s;
  s.C = 0.5;  // weights of 2 with C / 2: the same objective, halved
  const logreg::fit_result b = logreg::fit(d.X, logreg::to_labels(codes), s, twice);
  CHECK(a.fitted.positive_class() == "1");
  for (std::size_t j = 0; j < 30; ++j)
    CHECK(b.fitted.coefficients[j] == doctest::Approx(a.fitted.coefficients[j]).epsilon(1e-9));
  CHECK_THROWS_WITH_AS(logreg::fit(d.X, std::vector<std::string>(3, "a")), "fit: 3 labels for 569 observations (columns of X)",
                       logreg::usage_error);
  logreg::fit_options names;
  names.feature_names = {"a"};
  CHECK_THROWS_WITH_AS(logreg::fit(d.X, d.labels, {}, names), "fit: 1 feature names for 30 features (rows of X)",
                       logreg::usage_error);
  CHECK_THROWS_WITH_AS(logreg::predict_proba(a.fitted, d.X.rows(0, 9)),
                       "predict_proba: X has 10 rows but the model has 30 features", logreg::usage_error);
}
