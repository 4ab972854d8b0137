// Inference for multinomial models against statsmodels' MNLogit on datasets/anes96.csv
// (tests/fixtures/mnlogit_anes96.json, scripts/fixtures/mnlogit_fixtures.py): one table per class
// against the reference class, HC0, the fit statistics, the approximate (symmetric) table of L2
// fits, the model file fields, weights as frequencies and the size limit.
#include <doctest.h>

#include <armadillo>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "logreg/error.hpp"
#include "data/dense_design.hpp"
#include "fit/fit.hpp"
#include "logreg/multiclass_inference.hpp"
#include "fit/trainer.hpp"
#include "test_support.hpp"

namespace {

bool close(double a, double b, double tol) { return std::fabs(a - b) <= tol * std::fabs(b); }

#define CHECK_REL(a, b, tol)                                                          \
  do {                                                                                \
    const double a_ = (a), b_ = (b);                                                  \
    INFO(#a " = " << std::setprecision(17) << a_ << ", expected " << b_);             \
    CHECK(close(a_, b_, tol));                                                        \
  } while (0)

logreg::train_outcome train_anes(logreg::fit_settings s, bool robust = false, const std::string& path = "") {
  logreg::train_request req;
  req.data_path = path.empty() ? test::dataset("anes96.csv") : path;
  req.columns.target = "PID";
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

double at(const nlohmann::json& ref, const char* key, std::size_t e, std::size_t i) { return ref[key][e][i].get<double>(); }

// Covariance entries relative to the size of the errors involved (off-diagonal entries can be ~0).
void check_covariance(const std::vector<double>& cov, const nlohmann::json& ref, double tol) {
  const std::size_t N = ref.size();
  REQUIRE(cov.size() == N * N);
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = 0; j < N; ++j) {
      CAPTURE(i);
      CAPTURE(j);
      const double size = std::sqrt(ref[i][i].get<double>() * ref[j][j].get<double>());
      CHECK(std::fabs(cov[i * N + j] - ref[i][j].get<double>()) <= tol * size);
    }
}

void check_against_mnlogit(const logreg::model& m, const nlohmann::json& ref) {
  REQUIRE(m.inference.has_value());
  CHECK(m.inference->parameterization == "reference");
  CHECK(m.inference->reference_class == "0");
  CHECK(m.inference->equations == ref["equations"].get<std::vector<std::string>>());
  CHECK(m.inference->parameters == ref["terms"].get<std::vector<std::string>>());
  const logreg::multiclass_inference_table t = logreg::make_multiclass_inference_table(m);
  CHECK(t.available);
  CHECK(t.exact);
  CHECK(t.has_covariance);
  CHECK(t.covariance_type == "nonrobust");
  CHECK(t.reference_class == "0");
  CHECK(t.condition_number < 1e8);
  const auto terms = ref["terms"].get<std::vector<std::string>>();
  REQUIRE(t.classes.size() == 6);
  for (std::size_t e = 0; e < 6; ++e) {
    const logreg::class_table& c = t.classes[e];
    CHECK(c.label == ref["equations"][e].get<std::string>());
    REQUIRE(c.rows.size() == terms.size());
    for (std::size_t i = 0; i < terms.size(); ++i) {
      CAPTURE(c.label);
      CAPTURE(terms[i]);
      const logreg::coefficient_row& r = c.rows[i];
      CHECK(r.term == terms[i]);
      CHECK_REL(r.estimate, at(ref, "params", e, i), 1e-6);
      CHECK_REL(r.std_error, at(ref, "bse", e, i), 1e-6);
      CHECK_REL(r.z, at(ref, "tvalues", e, i), 1e-6);
      CHECK_REL(r.p_value, at(ref, "pvalues", e, i), 1e-6);
      CHECK_REL(r.ci_lower, at(ref, "conf_int_lower", e, i), 1e-6);
      CHECK_REL(r.ci_upper, at(ref, "conf_int_upper", e, i), 1e-6);
      CHECK_REL(r.odds_ratio, std::exp(at(ref, "params", e, i)), 1e-6);  // relative-risk ratios
      CHECK_REL(r.odds_ratio_lower, std::exp(at(ref, "conf_int_lower", e, i)), 1e-6);
      CHECK_REL(r.odds_ratio_upper, std::exp(at(ref, "conf_int_upper", e, i)), 1e-6);
    }
  }
  check_covariance(m.inference->covariance, ref["cov_params"], 1e-6);
  check_covariance(m.inference->covariance_hc0, ref["cov_params_hc0"], 1e-6);

  const logreg::fit_statistics& s = t.statistics;
  CHECK(s.nobs == ref["nobs"].get<double>());
  CHECK(s.parameters == 36);
  CHECK(s.df_residual == ref["df_resid"].get<double>());
  CHECK(s.lr_df == ref["df_model"].get<double>());
  CHECK(s.df_null == ref["nobs"].get<double>() - 6);
  CHECK_REL(s.log_likelihood, ref["llf"].get<double>(), 1e-8);
  CHECK_REL(s.null_log_likelihood, ref["llnull"].get<double>(), 1e-8);
  CHECK_REL(s.aic, ref["aic"].get<double>(), 1e-8);
  CHECK_REL(s.bic, ref["bic"].get<double>(), 1e-8);
  CHECK_REL(s.deviance, -2 * ref["llf"].get<double>(), 1e-8);
  CHECK_REL(s.null_deviance, -2 * ref["llnull"].get<double>(), 1e-8);
  CHECK_REL(s.pseudo_r2, ref["prsquared"].get<double>(), 1e-8);
  CHECK_REL(s.lr_statistic, ref["llr"].get<double>(), 1e-8);
  // statsmodels' llnull is fitted iteratively (~1e-10), which moves a p-value of 1e-102 by ~1e-6:
  // the p-value is checked against the closed-form null likelihood's (scipy's chi2.sf).
  CHECK_REL(s.null_log_likelihood, ref["llnull_exact"].get<double>(), 1e-12);
  CHECK_REL(s.lr_statistic, ref["llr_exact"].get<double>(), 1e-10);
  CHECK_REL(s.lr_p_value, ref["llr_pvalue_exact"].get<double>(), 1e-6);
  CHECK_REL(s.lr_p_value, ref["llr_pvalue"].get<double>(), 1e-5);

  // HC0, asked for at inspect time: statsmodels' fit(cov_type='HC0').
  const logreg::multiclass_inference_table h = logreg::make_multiclass_inference_table(m, 0.95, true);
  CHECK(h.covariance_type == "HC0");
  for (std::size_t e = 0; e < 6; ++e)
    for (std::size_t i = 0; i < terms.size(); ++i) {
      CAPTURE(e);
      CAPTURE(terms[i]);
      CHECK_REL(h.classes[e].rows[i].std_error, at(ref, "bse_hc0", e, i), 1e-6);
      CHECK_REL(h.classes[e].rows[i].z, at(ref, "tvalues_hc0", e, i), 1e-6);
      CHECK_REL(h.classes[e].rows[i].p_value, at(ref, "pvalues_hc0", e, i), 1e-6);
    }
  // --level 0.9: statsmodels' conf_int(alpha=0.1)
  const logreg::multiclass_inference_table t90 = logreg::make_multiclass_inference_table(m, 0.9);
  for (std::size_t e = 0; e < 6; ++e)
    for (std::size_t i = 0; i < terms.size(); ++i) {
      CHECK_REL(t90.classes[e].rows[i].ci_lower, at(ref, "conf_int90_lower", e, i), 1e-6);
      CHECK_REL(t90.classes[e].rows[i].ci_upper, at(ref, "conf_int90_upper", e, i), 1e-6);
    }
}

}  // namespace

TEST_CASE("anes96 multinomial, no penalty: one table per class equal to statsmodels' MNLogit (both solvers, both scalings)") {
  const auto ref = test::fixture("mnlogit_anes96.json")["none"];
  for (bool standardize : {true, false})
    for (auto solver : {logreg::solver_kind::newton, logreg::solver_kind::lbfgs}) {
      CAPTURE(standardize);
      CAPTURE(logreg::to_string(solver));
      const logreg::train_outcome out = train_anes(unpenalised(standardize, solver));
      CHECK(out.warnings.empty());
      CHECK(out.fitted.report.converged());
      CHECK(out.fitted.kind == "multinomial");
      check_against_mnlogit(out.fitted, ref);
    }
}

TEST_CASE("anes96 multinomial without intercepts: statsmodels' MNLogit without a constant; the null model is p = 1/K") {
  const auto ref = test::fixture("mnlogit_anes96.json")["none_no_intercept"];
  logreg::fit_settings s = unpenalised();
  s.fit_intercept = false;
  const logreg::model m = train_anes(s).fitted;
  const logreg::multiclass_inference_table t = logreg::make_multiclass_inference_table(m);
  const logreg::multiclass_inference_table h = logreg::make_multiclass_inference_table(m, 0.95, true);
  REQUIRE(t.classes.size() == 6);
  for (std::size_t e = 0; e < 6; ++e) {
    REQUIRE(t.classes[e].rows.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
      CAPTURE(e);
      CAPTURE(i);
      CHECK(t.classes[e].rows[i].term == ref["terms"][i].get<std::string>());
      CHECK_REL(t.classes[e].rows[i].estimate, at(ref, "params", e, i), 1e-6);
      CHECK_REL(t.classes[e].rows[i].std_error, at(ref, "bse", e, i), 1e-6);
      CHECK_REL(t.classes[e].rows[i].p_value, at(ref, "pvalues", e, i), 1e-6);
      CHECK_REL(h.classes[e].rows[i].std_error, at(ref, "bse_hc0", e, i), 1e-6);
    }
  }
  CHECK_REL(t.statistics.log_likelihood, ref["llf"].get<double>(), 1e-8);
  CHECK_REL(t.statistics.aic, ref["aic"].get<double>(), 1e-8);
  CHECK_REL(t.statistics.bic, ref["bic"].get<double>(), 1e-8);
  CHECK_REL(t.statistics.null_log_likelihood, ref["llnull_eta0"].get<double>(), 1e-12);
  CHECK(t.statistics.df_residual == ref["df_resid"].get<double>());
  CHECK(t.statistics.df_null == 944);
  CHECK(t.statistics.lr_df == 30);
}

TEST_CASE("train --robust makes HC0 the default of a multinomial model") {
  const auto ref = test::fixture("mnlogit_anes96.json")["none"];
  const logreg::model m = train_anes(unpenalised(), true).fitted;
  CHECK(m.inference->covariance_type == "HC0");
  const logreg::multiclass_inference_table t = logreg::make_multiclass_inference_table(m);
  CHECK(t.covariance_type == "HC0");
  for (std::size_t e = 0; e < 6; ++e)
    for (std::size_t i = 0; i < 6; ++i) CHECK_REL(t.classes[e].rows[i].std_error, at(ref, "bse_hc0", e, i), 1e-6);
}

TEST_CASE("anes96 multinomial L2: an approximate table per class (symmetric), from the pseudo-inverse of the penalised Hessian") {
  for (bool standardize : {true, false}) {
  CAPTURE(standardize);
  const auto ref = test::fixture("mnlogit_anes96.json")[standardize ? "l2" : "l2_raw"];
  logreg::fit_settings s;
  s.standardize = standardize;
  const logreg::train_outcome out = train_anes(s);
  const logreg::model& m = out.fitted;
  CHECK(out.warnings.empty());
  REQUIRE(m.inference.has_value());
  CHECK_FALSE(m.inference->exact);
  CHECK(m.inference->parameterization == "symmetric");
  CHECK(m.inference->reference_class.empty());
  CHECK(m.inference->equations == m.classes);
  const logreg::multiclass_inference_table t = logreg::make_multiclass_inference_table(m);
  CHECK_FALSE(t.exact);
  CHECK(t.has_covariance);
  REQUIRE(t.classes.size() == 7);
  for (std::size_t k = 0; k < 7; ++k)
    for (std::size_t i = 0; i < 6; ++i) {
      CAPTURE(k);
      CAPTURE(i);
      const logreg::coefficient_row& r = t.classes[k].rows[i];
      CHECK_REL(r.estimate, at(ref, "params", k, i), 1e-6);
      CHECK_REL(r.std_error, at(ref, "bse", k, i), 1e-6);
      CHECK(std::isnan(r.odds_ratio));  // no reference class: no relative-risk ratios
    }
  check_covariance(m.inference->covariance, ref["cov_params"], 1e-6);
  check_covariance(m.inference->covariance_hc0, ref["cov_params_hc0"], 1e-6);
  CHECK_REL(t.statistics.log_likelihood, ref["llf"].get<double>(), 1e-8);
  CHECK_REL(t.statistics.null_log_likelihood, ref["llnull"].get<double>(), 1e-12);
  CHECK(t.statistics.parameters == 36);  // the nominal number: K - 1 free blocks
  }
}

TEST_CASE("multinomial inference: weights count as frequencies (weight 2 = the row twice)") {
  std::ifstream in(test::dataset("anes96.csv"));
  std::string line, weighted, repeated;
  std::getline(in, line);
  weighted = line + ",w\n";
  repeated = line + "\n";
  for (int row = 0; std::getline(in, line); ++row) {
    const bool twice = row % 3 == 0;
    weighted += line + (twice ? ",2\n" : ",1\n");
    repeated += line + "\n" + (twice ? line + "\n" : "");
  }
  test::temp_file fw(weighted), fr(repeated);
  logreg::fit_settings s = unpenalised();
  s.weight_column = "w";
  const logreg::model mw = train_anes(s, false, fw.path()).fitted;
  const logreg::model mr = train_anes(unpenalised(), false, fr.path()).fitted;
  for (bool robust : {false, true}) {
    const logreg::multiclass_inference_table tw = logreg::make_multiclass_inference_table(mw, 0.95, robust);
    const logreg::multiclass_inference_table tr = logreg::make_multiclass_inference_table(mr, 0.95, robust);
    for (std::size_t e = 0; e < 6; ++e)
      for (std::size_t i = 0; i < 6; ++i) {
        CHECK_REL(tw.classes[e].rows[i].estimate, tr.classes[e].rows[i].estimate, 1e-8);
        CHECK_REL(tw.classes[e].rows[i].std_error, tr.classes[e].rows[i].std_error, 1e-8);
      }
    CHECK(tw.statistics.nobs == tr.statistics.nobs);
    CHECK_REL(tw.statistics.log_likelihood, tr.statistics.log_likelihood, 1e-10);
    CHECK_REL(tw.statistics.null_log_likelihood, tr.statistics.null_log_likelihood, 1e-12);
  }
}

TEST_CASE("multinomial inference: the model file round-trips; older and inconsistent files") {
  const logreg::model m = train_anes(unpenalised()).fitted;
  test::temp_file f("", ".json");
  logreg::save_model(m, f.path());
  const logreg::model r = logreg::load_model(f.path());
  REQUIRE(r.inference.has_value());
  CHECK(r.inference->covariance == m.inference->covariance);
  CHECK(r.inference->covariance_hc0 == m.inference->covariance_hc0);
  CHECK(r.inference->equations == m.inference->equations);
  CHECK(r.inference->reference_class == "0");
  CHECK(logreg::to_json(r) == logreg::to_json(m));

  // A file without inference (written by an older logreg): estimates only, every class.
  nlohmann::json old = logreg::to_json(m);
  CHECK_FALSE(old.contains("inference"));  // where a logreg older than it would refuse it
  old.erase("multinomial_inference");
  test::temp_file g(old.dump(), ".json");
  const logreg::multiclass_inference_table t = logreg::make_multiclass_inference_table(logreg::load_model(g.path()));
  CHECK_FALSE(t.available);
  REQUIRE(t.classes.size() == 7);
  CHECK(t.classes[3].rows[2].estimate == m.class_coefficients[3][1]);
  CHECK(std::isnan(t.classes[3].rows[2].std_error));

  auto refused = [](nlohmann::json j, const std::string& message) {
    test::temp_file h(j.dump(), ".json");
    try {
      logreg::load_model(h.path());
      FAIL("loaded: " << message);
    } catch (const logreg::data_error& e) {
      CHECK(std::string(e.what()) == h.path() + ": multinomial_inference: " + message);
    }
  };
  nlohmann::json bad = logreg::to_json(m);
  bad["multinomial_inference"]["equations"] = {"1", "2", "3", "4", "5"};
  refused(bad, "'equations' do not match the classes of a reference parameterization");
  bad = logreg::to_json(m);
  bad["multinomial_inference"]["reference_class"] = "7";
  refused(bad, "reference_class '7' is not a class");
  bad = logreg::to_json(m);
  bad["multinomial_inference"]["parameterization"] = "baseline";
  refused(bad, "unknown parameterization 'baseline' (expected reference or symmetric)");
  bad = logreg::to_json(m);
  bad["multinomial_inference"].erase("parameterization");
  refused(bad, "missing field 'parameterization'");
  bad = logreg::to_json(m);
  bad["multinomial_inference"]["covariance"] = {{1.0, 2.0}, {3.0, 4.0}};
  refused(bad, "'covariance' is not 36 x 36");
  bad = logreg::to_json(m);
  bad["kind"] = "ovr";
  refused(bad, "no inference data is defined for ovr models");
}

TEST_CASE("multinomial inference: none for one-vs-rest, L1, or more than inference_max_parameters parameters") {
  logreg::fit_settings s = unpenalised();
  s.multiclass = logreg::multiclass_kind::ovr;
  CHECK_FALSE(train_anes(s).fitted.inference.has_value());
  logreg::fit_settings l1;
  l1.penalty = logreg::penalty_kind::l1;
  CHECK_FALSE(train_anes(l1).fitted.inference.has_value());

  // 3 classes, d features: (K - 1)(d + 1) contrasts without a penalty, K (d + 1) blocks with L2.
  arma::arma_rng::set_seed(7);
  auto fit = [](arma::uword d, logreg::penalty_kind penalty) {
    const arma::uword n = 3000;
    arma::mat X = arma::randn(d, n);
    std::vector<std::uint32_t> y(n);
    for (arma::uword i = 0; i < n; ++i) y[i] = static_cast<std::uint32_t>(i % 3);
    std::vector<std::string> names;
    for (arma::uword j = 0; j < d; ++j) names.push_back(std::string(1, 'x').append(std::to_string(j)));
    logreg::fit_settings s;
    s.penalty = penalty;
    logreg::dense_design design(std::move(X));
    return logreg::fit_design(design, y, 3, {}, s, names, {"a", "b", "c"});
  };
  CHECK(fit(249, logreg::penalty_kind::none).inference.has_value());   // 2 x 250 = 500
  CHECK_FALSE(fit(250, logreg::penalty_kind::none).inference.has_value());  // 502
  CHECK(fit(165, logreg::penalty_kind::l2).inference.has_value());     // 3 x 166 = 498
  CHECK_FALSE(fit(166, logreg::penalty_kind::l2).inference.has_value());  // 501
}
