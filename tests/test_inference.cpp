// Inference against committed statsmodels / scipy values (tests/fixtures/admissions_*.json,
// inference.json; scripts/fixtures/*.py): the coefficient table, the fit statistics, HC0 errors,
// the approximate table of penalised fits, the distribution functions behind the p-values, and
// the diagnostics (aliased columns, conditioning).
#include <doctest.h>

#include <armadillo>
#include <cmath>
#include <fstream>
#include <functional>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fit/collinearity.hpp"
#include "stats/distributions.hpp"
#include "logreg/error.hpp"
#include "logreg/inference.hpp"
#include "fit/trainer.hpp"
#include "test_support.hpp"

namespace {

// |a - b| <= tol * |b|: relative, even for small values (doctest::Approx adds 1 to the scale).
bool close(double a, double b, double tol) { return std::fabs(a - b) <= tol * std::fabs(b); }

#define CHECK_REL(a, b, tol)                                                          \
  do {                                                                                \
    const double a_ = (a), b_ = (b);                                                  \
    INFO(#a " = " << std::setprecision(17) << a_ << ", expected " << b_);             \
    CHECK(close(a_, b_, tol));                                                        \
  } while (0)


logreg::train_outcome train(const std::string& path, logreg::fit_settings s, bool robust = false) {
  logreg::train_request req;
  req.data_path = path;
  req.columns.target = "admit";
  req.settings = s;
  req.robust = robust;
  return logreg::train_from_csv(req);
}

logreg::fit_settings unpenalised(bool standardize = true, logreg::solver_kind solver = logreg::solver_kind::automatic) {
  logreg::fit_settings s;
  s.penalty = logreg::penalty_kind::none;
  s.standardize = standardize;
  s.solver = solver;
  return s;
}

// The admissions file with extra columns computed from each row (after the given column).
std::string admissions_with(const std::function<std::string(double gre, double gpa, double rank, int row)>& extra,
                            const std::string& header) {
  std::ifstream in(test::dataset("admissions.csv"));
  std::string line, out;
  std::getline(in, line);
  out = line + "," + header + "\n";
  int row = 0;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string admit, gre, gpa, rank;
    std::getline(ss, admit, ',');
    std::getline(ss, gre, ',');
    std::getline(ss, gpa, ',');
    std::getline(ss, rank, ',');
    out += line + "," + extra(std::stod(gre), std::stod(gpa), std::stod(rank), row++) + "\n";
  }
  return out;
}

std::string g17(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

// Every number of the table and the statistics against a statsmodels fixture.
void check_against_statsmodels(const logreg::model& m, const nlohmann::json& ref) {
  REQUIRE(m.inference.has_value());
  const logreg::inference_table t = logreg::make_inference_table(m);
  CHECK(t.available);
  CHECK(t.exact);
  CHECK(t.has_covariance);
  CHECK(t.covariance_type == "nonrobust");
  const auto terms = ref["terms"].get<std::vector<std::string>>();
  REQUIRE(t.rows.size() == terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    CAPTURE(terms[i]);
    const logreg::coefficient_row& r = t.rows[i];
    CHECK(r.term == terms[i]);
    CHECK_FALSE(r.aliased);
    CHECK_REL(r.estimate, ref["params"][i].get<double>(), 1e-6);
    CHECK_REL(r.std_error, ref["bse"][i].get<double>(), 1e-6);
    CHECK_REL(r.z, ref["tvalues"][i].get<double>(), 1e-6);
    CHECK_REL(r.p_value, ref["pvalues"][i].get<double>(), 1e-6);
    CHECK_REL(r.ci_lower, ref["conf_int_lower"][i].get<double>(), 1e-6);
    CHECK_REL(r.ci_upper, ref["conf_int_upper"][i].get<double>(), 1e-6);
    CHECK_REL(r.odds_ratio, std::exp(ref["params"][i].get<double>()), 1e-6);
    CHECK_REL(r.odds_ratio_lower, std::exp(ref["conf_int_lower"][i].get<double>()), 1e-6);
    CHECK_REL(r.odds_ratio_upper, std::exp(ref["conf_int_upper"][i].get<double>()), 1e-6);
  }
  const std::size_t p = terms.size();
  REQUIRE(m.inference->covariance.size() == p * p);
  REQUIRE(m.inference->covariance_hc0.size() == p * p);
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t j = 0; j < p; ++j) {
      CAPTURE(i);
      CAPTURE(j);
      CHECK_REL(m.inference->covariance[i * p + j], ref["cov_params"][i][j].get<double>(), 1e-6);
      CHECK_REL(m.inference->covariance_hc0[i * p + j], ref["cov_params_hc0"][i][j].get<double>(), 1e-6);
    }
  const logreg::fit_statistics& s = t.statistics;
  CHECK(s.nobs == ref["nobs"].get<double>());
  CHECK(s.df_residual == ref["df_resid"].get<double>());
  CHECK(s.lr_df == ref["df_model"].get<double>());
  CHECK(s.df_null == ref["nobs"].get<double>() - 1);
  CHECK_REL(s.log_likelihood, ref["llf"].get<double>(), 1e-8);
  CHECK_REL(s.null_log_likelihood, ref["llnull"].get<double>(), 1e-8);
  CHECK_REL(s.aic, ref["aic"].get<double>(), 1e-8);
  CHECK_REL(s.bic, ref["bic"].get<double>(), 1e-8);
  CHECK_REL(s.deviance, ref["deviance"].get<double>(), 1e-8);
  CHECK_REL(s.null_deviance, ref["null_deviance"].get<double>(), 1e-8);
  CHECK_REL(s.pseudo_r2, ref["prsquared"].get<double>(), 1e-8);
  CHECK_REL(s.lr_statistic, ref["llr"].get<double>(), 1e-8);
  CHECK_REL(s.lr_p_value, ref["llr_pvalue"].get<double>(), 1e-6);

  // HC0, asked for at inspect time.
  const logreg::inference_table h = logreg::make_inference_table(m, 0.95, true);
  CHECK(h.covariance_type == "HC0");
  for (std::size_t i = 0; i < p; ++i) {
    CAPTURE(terms[i]);
    const double se = ref["bse_hc0"][i].get<double>();
    CHECK_REL(h.rows[i].std_error, se, 1e-6);
    CHECK_REL(h.rows[i].z, ref["params"][i].get<double>() / se, 1e-6);
    CHECK_REL(h.rows[i].ci_upper, ref["params"][i].get<double>() + 1.959963984540054 * se, 1e-6);
  }
}

}  // namespace

TEST_CASE("distributions: normal quantile, two-sided p-values and chi-square tail equal scipy's") {
  const auto ref = test::fixture("inference.json")["distributions"];
  for (const auto& c : ref["normal_quantile"]) {
    const double p = c["p"], x = c["x"];
    CAPTURE(p);
    if (x == 0) CHECK(std::fabs(logreg::normal_quantile(p)) < 1e-15);
    else CHECK_REL(logreg::normal_quantile(p), x, 1e-13);
  }
  for (const auto& c : ref["normal_two_sided_p"]) {
    const double z = c["z"], p = c["p"];
    CAPTURE(z);
    CHECK_REL(logreg::normal_two_sided_p(z), p, 1e-12);  // far tail: z / sqrt(2) is rounded
  }
  for (const auto& c : ref["chi_square_upper_tail"]) {
    const double x = c["x"], df = c["df"], p = c["p"];
    CAPTURE(x);
    CAPTURE(df);
    CHECK_REL(logreg::chi_square_upper_tail(x, df), p, 1e-12);
  }
  CHECK(std::isinf(logreg::normal_quantile(0)));
  CHECK(std::isnan(logreg::normal_quantile(1.5)));
  CHECK(logreg::gamma_upper_regularized(2, 0) == 1.0);
}

TEST_CASE("admissions, no penalty: the coefficient table and statistics equal statsmodels' (both solvers, both scalings)") {
  const auto ref = test::fixture("admissions_none.json");
  for (bool standardize : {true, false})
    for (auto solver : {logreg::solver_kind::newton, logreg::solver_kind::lbfgs}) {
      CAPTURE(standardize);
      CAPTURE(logreg::to_string(solver));
      const logreg::train_outcome out = train(test::dataset("admissions.csv"), unpenalised(standardize, solver));
      CHECK(out.warnings.empty());
      CHECK(out.fitted.report.converged());
      CHECK(out.fitted.inference->condition_number < logreg::ill_conditioned);
      check_against_statsmodels(out.fitted, ref);
    }
}

TEST_CASE("admissions, rank as a factor (R's glm example): the table equals statsmodels'") {
  const auto ref = test::fixture("admissions_categorical.json");
  // admit,gre,gpa,rank=2,rank=3,rank=4: the dummies replace the rank column
  std::ifstream in(test::dataset("admissions.csv"));
  std::string line, text = "admit,gre,gpa,rank=2,rank=3,rank=4\n";
  std::getline(in, line);
  while (std::getline(in, line)) {
    const auto last = line.rfind(',');
    const std::string rank = line.substr(last + 1);
    text += line.substr(0, last) + (rank == "2" ? ",1,0,0\n" : rank == "3" ? ",0,1,0\n" : rank == "4" ? ",0,0,1\n" : ",0,0,0\n");
  }
  test::temp_file f(text);
  const logreg::train_outcome out = train(f.path(), unpenalised());
  CHECK(out.warnings.empty());
  check_against_statsmodels(out.fitted, ref);
}

TEST_CASE("--level changes the Wald intervals: 90% equals statsmodels' conf_int(alpha=0.1)") {
  const auto ref = test::fixture("inference.json")["admissions_level90"];
  const logreg::model m = train(test::dataset("admissions.csv"), unpenalised()).fitted;
  const logreg::inference_table t = logreg::make_inference_table(m, 0.9);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    CHECK_REL(t.rows[i].ci_lower, ref["conf_int_lower"][i].get<double>(), 1e-6);
    CHECK_REL(t.rows[i].ci_upper, ref["conf_int_upper"][i].get<double>(), 1e-6);
  }
}

TEST_CASE("without an intercept: statsmodels' table; the null model is p = 1/2 (R's glm)") {
  const auto ref = test::fixture("inference.json")["admissions_no_intercept"];
  for (bool standardize : {true, false}) {
    CAPTURE(standardize);
    logreg::fit_settings s = unpenalised(standardize);
    s.fit_intercept = false;
    const logreg::model m = train(test::dataset("admissions.csv"), s).fitted;
    const logreg::inference_table t = logreg::make_inference_table(m);
    REQUIRE(t.rows.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(t.rows[i].term == ref["terms"][i].get<std::string>());
      CHECK_REL(t.rows[i].estimate, ref["params"][i].get<double>(), 1e-6);
      CHECK_REL(t.rows[i].std_error, ref["bse"][i].get<double>(), 1e-6);
      CHECK_REL(t.rows[i].z, ref["tvalues"][i].get<double>(), 1e-6);
      CHECK_REL(t.rows[i].p_value, ref["pvalues"][i].get<double>(), 1e-6);
    }
    const logreg::inference_table h = logreg::make_inference_table(m, 0.95, true);
    for (std::size_t i = 0; i < 3; ++i) CHECK_REL(h.rows[i].std_error, ref["bse_hc0"][i].get<double>(), 1e-6);
    CHECK_REL(t.statistics.log_likelihood, ref["llf"].get<double>(), 1e-8);
    CHECK_REL(t.statistics.aic, ref["aic"].get<double>(), 1e-8);
    CHECK_REL(t.statistics.bic, ref["bic"].get<double>(), 1e-8);
    CHECK_REL(t.statistics.null_log_likelihood, ref["llnull_eta0"].get<double>(), 1e-12);
    CHECK(t.statistics.df_null == 400);
    CHECK(t.statistics.df_residual == 397);
    CHECK(t.statistics.lr_df == 3);
  }
}

TEST_CASE("L2 fits: an approximate table from the inverse penalised Hessian, never labelled exact") {
  const auto fix = test::fixture("inference.json");
  for (bool standardize : {true, false}) {
    CAPTURE(standardize);
    const auto ref = fix[standardize ? "breast_cancer_l2_std" : "breast_cancer_l2_raw"];
    logreg::train_request req;
    req.data_path = test::dataset("breast_cancer.csv");
    req.columns.target = "diagnosis";
    req.settings.standardize = standardize;
    const logreg::model m = logreg::train_from_csv(req).fitted;
    const logreg::inference_table t = logreg::make_inference_table(m);
    CHECK_FALSE(t.exact);
    CHECK_FALSE(m.inference->exact);
    CHECK(t.has_covariance);
    REQUIRE(t.rows.size() == 31);
    // The raw-feature fit is itself only within ~1e-6 of the reference (badly scaled features).
    const double tol = standardize ? 1e-6 : 1e-5;
    for (std::size_t i = 0; i < 31; ++i) {
      CAPTURE(t.rows[i].term);
      CHECK_REL(t.rows[i].std_error, ref["bse"][i].get<double>(), tol);
    }
    const logreg::inference_table h = logreg::make_inference_table(m, 0.95, true);
    for (std::size_t i = 0; i < 31; ++i) CHECK_REL(h.rows[i].std_error, ref["bse_hc0"][i].get<double>(), tol);
    CHECK_REL(t.statistics.log_likelihood, ref["llf"].get<double>(), 1e-8);
    CHECK_REL(t.statistics.null_log_likelihood, ref["llnull"].get<double>(), 1e-12);
  }
}

TEST_CASE("train --robust makes HC0 the model's default; both covariances are always stored") {
  const auto ref = test::fixture("admissions_none.json");
  const logreg::model m = train(test::dataset("admissions.csv"), unpenalised(), true).fitted;
  CHECK(m.inference->covariance_type == "HC0");
  const logreg::inference_table t = logreg::make_inference_table(m);
  CHECK(t.covariance_type == "HC0");
  for (std::size_t i = 0; i < 4; ++i) CHECK_REL(t.rows[i].std_error, ref["bse_hc0"][i].get<double>(), 1e-6);
}

TEST_CASE("collinearity: duplicated, combined and constant columns are aliased; the rest is the fit without them") {
  // gre2 duplicates gre, combo = 2 gpa - rank, five is constant: only gre, gpa, rank are identified.
  const std::string text = admissions_with(
      [](double gre, double gpa, double rank, int) { return g17(gre) + "," + g17(2 * gpa - rank) + ",5"; },
      "gre2,combo,five");
  test::temp_file f(text);
  const auto ref = test::fixture("admissions_none.json");
  for (bool standardize : {true, false}) {
    CAPTURE(standardize);
    const logreg::train_outcome out = train(f.path(), unpenalised(standardize));
    const logreg::model& m = out.fitted;
    REQUIRE(out.warnings.size() == 3);
    CHECK(out.warnings[0] ==
          "column 'gre2' is an exact linear combination of other columns ('gre2' = 'gre'): without a penalty its "
          "coefficient is not identified, so 'gre2' is dropped from the fit (shown as aliased; 0 in the model)");
    CHECK(out.warnings[1].rfind("column 'combo' is an exact linear combination of other columns ('combo' = 2*'gpa' - 'rank')", 0) == 0);
    CHECK(out.warnings[2].rfind("column 'five' is constant (5), so collinear with the intercept", 0) == 0);
    CHECK(m.inference->aliased == std::vector<std::string>{"gre2", "combo", "five"});
    CHECK(m.inference->parameters == std::vector<std::string>{"(Intercept)", "gre", "gpa", "rank"});
    CHECK(m.coefficients[3] == 0.0);
    CHECK(m.coefficients[4] == 0.0);
    CHECK(m.coefficients[5] == 0.0);
    const logreg::inference_table t = logreg::make_inference_table(m);
    REQUIRE(t.rows.size() == 7);
    for (std::size_t i = 4; i < 7; ++i) {
      CHECK(t.rows[i].aliased);
      CHECK(std::isnan(t.rows[i].estimate));
      CHECK(std::isnan(t.rows[i].std_error));
    }
    for (std::size_t i = 0; i < 4; ++i) {
      CAPTURE(t.rows[i].term);
      CHECK_REL(t.rows[i].estimate, ref["params"][i].get<double>(), 1e-6);
      CHECK_REL(t.rows[i].std_error, ref["bse"][i].get<double>(), 1e-6);
      CHECK_REL(t.rows[i].p_value, ref["pvalues"][i].get<double>(), 1e-6);
    }
    CHECK_REL(t.statistics.aic, ref["aic"].get<double>(), 1e-8);  // 4 parameters, not 7
    CHECK(t.statistics.lr_df == 3);
    // ... and exactly the fit without those columns.
    const logreg::model plain = train(test::dataset("admissions.csv"), unpenalised(standardize)).fitted;
    const logreg::inference_table tp = logreg::make_inference_table(plain);
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK_REL(t.rows[i].estimate, tp.rows[i].estimate, 1e-9);
      CHECK_REL(t.rows[i].std_error, tp.rows[i].std_error, 1e-9);
    }
  }
  // With L2 the problem is well posed: nothing is dropped, and no warning.
  logreg::train_request req;
  req.data_path = f.path();
  req.columns.target = "admit";
  const logreg::train_outcome l2 = logreg::train_from_csv(req);
  CHECK(l2.warnings.empty());
  CHECK(l2.fitted.inference->aliased.empty());
  CHECK(l2.fitted.inference->parameters.size() == 7);
}

TEST_CASE("collinearity: relations are reported in the file's units; the later column is the one aliased") {
  arma::arma_rng::set_seed(4);
  const arma::uword n = 50;
  arma::mat X(4, n);
  X.row(0) = arma::randn<arma::rowvec>(n) * 3 + 10;
  X.row(1) = arma::randn<arma::rowvec>(n);
  X.row(2) = 2 * X.row(0) - X.row(1) + 0.5;
  X.row(3) = arma::randn<arma::rowvec>(n);
  const std::vector<std::string> names{"x1", "x2", "x3", "x4"};
  auto c = logreg::find_aliased_columns(X, true, names, {}, {});
  CHECK(c.kept == std::vector<arma::uword>{0, 1, 3});
  REQUIRE(c.aliased.size() == 1);
  CHECK(c.aliased[0].index == 2);
  CHECK(c.aliased[0].relation == "column 'x3' is an exact linear combination of other columns ('x3' = 2*'x1' - 'x2' + 0.5)");
  // Without an intercept the constant is part of the relation only if a column carries it.
  arma::mat Y = X.rows(0, 1);
  Y.insert_rows(2, arma::rowvec(-3 * X.row(1)));
  Y.insert_rows(3, arma::rowvec(n, arma::fill::zeros));
  c = logreg::find_aliased_columns(Y, false, {"a", "b", "c", "z"}, {}, {});
  REQUIRE(c.aliased.size() == 2);
  CHECK(c.aliased[0].relation == "column 'c' is an exact linear combination of other columns ('c' = -3*'b')");
  CHECK(c.aliased[1].relation == "column 'z' is 0 in every row");
  // A relation that holds to 1e-12 (rounding in the file) is exact; one that holds to 1e-5 is not:
  // that column is kept (and left to the conditioning warning).
  arma::mat V = X;
  V.row(2) %= 1 + 1e-12 * arma::randn<arma::rowvec>(n);
  c = logreg::find_aliased_columns(V, true, names, {}, {});
  REQUIRE(c.aliased.size() == 1);
  CHECK(c.aliased[0].relation == "column 'x3' is an exact linear combination of other columns ('x3' = 2*'x1' - 'x2' + 0.5)");
  // Strongly but not exactly correlated columns are kept.
  arma::mat W = X.rows(0, 1);
  W.insert_rows(2, arma::rowvec(X.row(0) + 1e-4 * arma::randn<arma::rowvec>(n)));
  CHECK(logreg::find_aliased_columns(W, true, {"a", "b", "c"}, {}, {}).aliased.empty());
}

TEST_CASE("conditioning: a nearly collinear column is kept, and the warning gives the condition number") {
  // gre plus a small deterministic wiggle: R^2 of about 1 - 3e-9 against gre.
  const std::string text = admissions_with(
      [](double gre, double, double, int row) { return g17(gre + ((row * 37) % 101 - 50) / 5000.0); }, "gre_wiggle");
  test::temp_file f(text);
  const logreg::train_outcome out = train(f.path(), unpenalised());
  REQUIRE(out.warnings.size() == 1);
  CHECK(out.warnings[0].rfind("the information matrix is near-singular (condition number ", 0) == 0);
  CHECK(out.fitted.inference->aliased.empty());
  CHECK(out.fitted.inference->condition_number > logreg::ill_conditioned);
  const logreg::inference_table t = logreg::make_inference_table(out.fitted);
  // the inflated errors it warns about: gre's is 0.00109 without the wiggled copy
  CHECK(t.rows[1].std_error > 1000 * 0.0010918391052182242);
  CHECK(t.rows[4].std_error > 1000 * 0.0010918391052182242);
}

TEST_CASE("model file: the inference fields round-trip; files without them still load") {
  const logreg::model m = train(test::dataset("admissions.csv"), unpenalised()).fitted;
  test::temp_file f("", ".json");
  logreg::save_model(m, f.path());
  const logreg::model r = logreg::load_model(f.path());
  REQUIRE(r.inference.has_value());
  CHECK(r.inference->covariance == m.inference->covariance);
  CHECK(r.inference->covariance_hc0 == m.inference->covariance_hc0);
  CHECK(r.inference->log_likelihood == m.inference->log_likelihood);
  CHECK(r.inference->parameters == m.inference->parameters);
  CHECK(r.inference->condition_number == m.inference->condition_number);
  CHECK(logreg::to_json(r) == logreg::to_json(m));

  nlohmann::json old = logreg::to_json(m);
  old.erase("inference");
  test::temp_file g(old.dump(), ".json");
  const logreg::model o = logreg::load_model(g.path());
  CHECK_FALSE(o.inference.has_value());
  const logreg::inference_table t = logreg::make_inference_table(o);
  CHECK_FALSE(t.available);
  REQUIRE(t.rows.size() == 4);
  CHECK(t.rows[1].estimate == m.coefficients[0]);
  CHECK(std::isnan(t.rows[1].std_error));

  nlohmann::json bad = logreg::to_json(m);
  bad["inference"]["covariance"] = {{1.0, 2.0}, {3.0, 4.0}};
  test::temp_file h(bad.dump(), ".json");
  CHECK_THROWS_AS(logreg::load_model(h.path()), logreg::data_error);
}
