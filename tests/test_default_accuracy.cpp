// Accurate by default on ill-conditioned data (issue 13 item 10): fits with the default settings
// (tol 1e-10, solver auto) on scikit-learn's digits land within 1e-8 (normwise, relative) of the
// exact optimum, tests/fixtures/accuracy_digits.json (scripts/fixtures/accuracy_fixtures.py, which
// explains how the optima were found: Newton-polished in float64 with long-double gradients).
//
// With the gradient test alone (before the Newton step test and the polish after L-BFGS / OWL-QN,
// fit/solve.hpp) the errors were 2.0e-8 (L1), 2.1e-6 (L2, C = 100, Newton), 2.4e-6 (multinomial)
// and 1.3e-7 (346 features).
//
// The error is taken on everything a model stores: every coefficient and intercept on the
// original scale, stacked, ||fit - exact|| / ||exact||.
#include <doctest.h>

#include <armadillo>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "logreg/fit.hpp"
#include "test_support.hpp"

namespace {

using json = nlohmann::json;

struct digits_data {
  arma::mat pixels;  // 64 x 1797, one column per image
  arma::uvec digit;
};

const digits_data& digits() {
  static const digits_data data = [] {
    std::ifstream in(std::string(LOGREG_FIXTURE_DIR) + "/digits.csv");
    std::vector<std::vector<double>> rows;
    std::string line;
    while (std::getline(in, line)) {
      std::vector<double> row;
      std::stringstream cells(line);
      std::string cell;
      while (std::getline(cells, cell, ',')) row.push_back(std::stod(cell));
      rows.push_back(std::move(row));
    }
    digits_data d;
    d.pixels.set_size(64, rows.size());
    d.digit.set_size(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (arma::uword j = 0; j < 64; ++j) d.pixels(j, i) = rows[i].at(j);
      d.digit(i) = static_cast<arma::uword>(rows[i].at(64));
    }
    return d;
  }();
  return data;
}

const json& accuracy_fixture() {
  static const json file = test::fixture("accuracy_digits.json");
  return file;
}

const json& find_case(const std::string& name) {
  for (const json& c : accuracy_fixture()["cases"])
    if (c["name"] == name) return c;
  FAIL("no case '" << name << "' in accuracy_digits.json");
  throw 0;
}

// The stored exact optimum, stacked as the model's numbers are by stacked_model.
arma::vec stacked_reference(const json& c) {
  std::vector<double> v;
  for (const json& row : c["coef"])
    for (const json& x : row) v.push_back(x.get<double>());
  for (const json& b : c["intercept"]) v.push_back(b.get<double>());
  return arma::vec(v);
}

arma::vec stacked_model(const logreg::model& m) {
  std::vector<double> v;
  if (m.binary()) {
    v = m.coefficients;
    v.push_back(m.intercept);
  } else {
    for (const auto& row : m.class_coefficients) v.insert(v.end(), row.begin(), row.end());
    v.insert(v.end(), m.class_intercepts.begin(), m.class_intercepts.end());
  }
  return arma::vec(v);
}

double relative_error(const logreg::model& m, const json& c) {
  const arma::vec exact = stacked_reference(c), got = stacked_model(m);
  REQUIRE(got.n_elem == exact.n_elem);
  return arma::norm(got - exact) / arma::norm(exact);
}

}  // namespace

TEST_CASE("default accuracy: digits binary L1 (C = 1, scikit-learn's sparsity example) within 1e-8 of the optimum") {
  const json& c = find_case("digits_l1_binary");
  const digits_data& d = digits();
  logreg::fit_settings s;
  s.penalty = logreg::penalty_kind::l1;
  s.C = c["C"].get<double>();
  const arma::uvec y = arma::conv_to<arma::uvec>::from(d.digit > 4);
  const logreg::fit_result r = logreg::fit(d.pixels, logreg::to_labels(y), s);
  CHECK(r.fitted.report.converged());
  CHECK(r.fitted.report.gradient_norm <= r.fitted.report.tolerance);
  CHECK(r.fitted.report.polish_steps > 0);  // the Newton polish ran (fit/solve.hpp)
  const double err = relative_error(r.fitted, c);
  MESSAGE("digits L1: relative error " << err << " after " << r.fitted.report.iterations << " "
                                       << r.fitted.report.solver << " iterations");
  CHECK(err <= 1e-8);
  // the same exact zeros
  std::size_t nonzero = 0;
  for (double w : r.fitted.coefficients) nonzero += w != 0;
  CHECK(nonzero == c["nonzero"].get<std::size_t>());
}

TEST_CASE("default accuracy: digits binary L2 at C = 100 (Newton by size) within 1e-8 of the optimum") {
  // Newton's gradient test alone stopped 2.1e-6 away (13 iterations); the step test takes one more.
  const json& c = find_case("digits_l2_binary_C100");
  const digits_data& d = digits();
  logreg::fit_settings s;
  s.C = c["C"].get<double>();
  const arma::uvec y = arma::conv_to<arma::uvec>::from(d.digit > 4);
  const logreg::fit_result r = logreg::fit(d.pixels, logreg::to_labels(y), s);
  CHECK(r.fitted.report.converged());
  CHECK(r.fitted.report.gradient_norm <= r.fitted.report.tolerance);
  CHECK(r.fitted.report.solver == "newton");
  CHECK(r.fitted.report.polish_steps == 0);
  const double err = relative_error(r.fitted, c);
  MESSAGE("digits L2 C = 100: relative error " << err << " after " << r.fitted.report.iterations << " "
                                               << r.fitted.report.solver << " iterations");
  CHECK(err <= 1e-8);
}

TEST_CASE("default accuracy: digits 0-4 multinomial L2 at C = 100 (L-BFGS by size) within 1e-8 of the optimum") {
  const json& c = find_case("digits5_multinomial");
  const digits_data& d = digits();
  const arma::uvec rows = arma::find(d.digit < 5);
  const arma::mat X = d.pixels.cols(rows);
  const arma::uvec y = d.digit(rows);
  logreg::fit_settings s;
  s.C = c["C"].get<double>();
  const logreg::fit_result r = logreg::fit(X, logreg::to_labels(y), s);
  CHECK(r.fitted.report.converged());
  CHECK(r.fitted.report.gradient_norm <= r.fitted.report.tolerance);
  CHECK(r.fitted.report.polish_steps > 0);  // the Newton polish ran (fit/solve.hpp)
  CHECK(r.fitted.report.solver == "lbfgs");
  const double err = relative_error(r.fitted, c);
  MESSAGE("digits5 multinomial: relative error " << err << " after " << r.fitted.report.iterations << " "
                                                 << r.fitted.report.solver << " iterations");
  CHECK(err <= 1e-8);
}

TEST_CASE("default accuracy: 346 correlated features (digits pixels and pixel products), binary L2, within 1e-8") {
  const json& c = find_case("digits_products_346");
  const digits_data& d = digits();
  const json& pairs = accuracy_fixture()["product_pairs"];
  arma::mat X(64 + pairs.size(), d.pixels.n_cols);
  X.head_rows(64) = d.pixels;
  for (std::size_t k = 0; k < pairs.size(); ++k)
    X.row(64 + k) = d.pixels.row(pairs[k][0].get<arma::uword>()) % d.pixels.row(pairs[k][1].get<arma::uword>());
  REQUIRE(X.n_rows == 346);
  const arma::uvec y = arma::conv_to<arma::uvec>::from(d.digit > 4);
  logreg::fit_settings s;
  s.C = c["C"].get<double>();
  const logreg::fit_result r = logreg::fit(X, logreg::to_labels(y), s);
  CHECK(r.fitted.report.converged());
  CHECK(r.fitted.report.gradient_norm <= r.fitted.report.tolerance);
  CHECK(r.fitted.report.polish_steps > 0);  // the Newton polish ran (fit/solve.hpp)
  CHECK(r.fitted.report.solver == "lbfgs");
  const double err = relative_error(r.fitted, c);
  MESSAGE("346 features: relative error " << err << " after " << r.fitted.report.iterations << " "
                                          << r.fitted.report.solver << " iterations");
  CHECK(err <= 1e-8);
}
