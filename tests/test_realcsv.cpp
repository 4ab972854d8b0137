// Exactness of issue 6 (categorical columns, missing values) through the whole library path
// (CSV -> model, logreg::train_from_csv; model -> probabilities, logreg::score_labelled_csv):
//   - admissions with rank as a factor: R's published glm table (datasets/README.md) and
//     statsmodels' standard errors (tests/fixtures/admissions_categorical.json);
//   - adult (8 text columns): scikit-learn's OneHotEncoder + LogisticRegression, raw and
//     standardised, and with holes filled in (--missing impute) or dropped (--missing drop)
//     (tests/fixtures/realcsv_adult.json, scripts/fixtures/realcsv_fixtures.py).
#include <doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "logreg/error.hpp"
#include "logreg/inference.hpp"
#include "predict/predictor.hpp"
#include "fit/trainer.hpp"
#include "test_support.hpp"

namespace {

using json = nlohmann::json;

logreg::train_outcome train(const std::string& path, const std::string& target, logreg::fit_settings s,
                            logreg::encoding_options e = {}) {
  logreg::train_request req;
  req.data_path = path;
  req.columns.target = target;
  req.settings = s;
  req.encoding = e;
  return logreg::train_from_csv(req);
}

// adult.csv with feature cell (i, j) blanked when (7 i + 3 j) % 101 == 0, as the fixture script.
std::string adult_with_holes() {
  std::ifstream in(test::dataset("adult.csv"), std::ios::binary);
  std::string line, out;
  std::getline(in, line);
  out = line + "\n";
  for (long i = 0; std::getline(in, line); ++i) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    for (long j = 0; j + 1 < static_cast<long>(cells.size()); ++j)
      if ((7 * i + 3 * j) % 101 == 0) cells[static_cast<std::size_t>(j)].clear();
    for (std::size_t j = 0; j < cells.size(); ++j) out += cells[j] + (j + 1 < cells.size() ? "," : "\n");
  }
  return out;
}

// Coefficients (with the intercept) within `tol` relative to their norm, term by term by name;
// the objective within 1e-9 relative; the probabilities at the stored rows within 1e-7.
void check_case(const logreg::model& m, const std::string& data_path, const json& ref, double tol = 1e-6) {
  const auto terms = ref["terms"].get<std::vector<std::string>>();
  REQUIRE(m.features == terms);
  const auto w = ref["coefficients"].get<std::vector<double>>();
  double norm = ref["intercept"].get<double>() * ref["intercept"].get<double>(), diff = 0;
  for (double v : w) norm += v * v;
  for (std::size_t j = 0; j < w.size(); ++j) diff = std::max(diff, std::fabs(m.coefficients[j] - w[j]));
  diff = std::max(diff, std::fabs(m.intercept - ref["intercept"].get<double>()));
  CHECK(diff <= tol * std::sqrt(norm));
  CHECK(m.n_rows == ref["rows"].get<std::size_t>());
  CHECK(std::fabs(m.report.objective - ref["objective"].get<double>()) <= 1e-9 * ref["objective"].get<double>());
  logreg::feature_encoding enc = logreg::input_encoding(m);
  const logreg::scored_rows rows = logreg::score_labelled_csv(m, data_path, {});
  const auto at = ref["probability_rows"].get<std::vector<std::size_t>>();
  const auto p = ref["probability"].get<std::vector<double>>();
  double worst = 0;
  for (std::size_t k = 0; k < at.size(); ++k) worst = std::max(worst, std::fabs(rows.probability[at[k]] - p[k]));
  CHECK(worst <= 1e-7);
}

logreg::fit_settings l2(bool standardize) {
  logreg::fit_settings s;
  s.standardize = standardize;
  return s;
}

}  // namespace

TEST_CASE("admissions --categorical rank --penalty none: R's glm table") {
  logreg::fit_settings s;
  s.penalty = logreg::penalty_kind::none;
  logreg::encoding_options e;
  e.categorical = {"rank"};
  const logreg::train_outcome out = train(test::dataset("admissions.csv"), "admit", s, e);
  const logreg::model& m = out.fitted;
  CHECK(out.warnings.empty());
  REQUIRE(m.features == std::vector<std::string>{"gre", "gpa", "rank=2", "rank=3", "rank=4"});
  // R: glm(admit ~ gre + gpa + factor(rank), family = binomial) (datasets/README.md)
  const std::vector<double> r_coef{0.002264426, 0.804037549, -0.675442928, -1.340203916, -1.551463677};
  for (std::size_t j = 0; j < r_coef.size(); ++j) CHECK(m.coefficients[j] == doctest::Approx(r_coef[j]).epsilon(1e-6));
  CHECK(m.intercept == doctest::Approx(-3.989979073).epsilon(1e-6));
  // The encoding: rank's levels sorted numerically, 1 the reference, stored in the model.
  REQUIRE(m.encoding.columns.size() == 3);
  const logreg::input_column& rank = m.encoding.columns[2];
  CHECK(rank.categorical);
  CHECK(rank.levels == std::vector<std::string>{"1", "2", "3", "4"});
  CHECK(rank.drop_first);
  // Standard errors as statsmodels' (the R table's) to 1e-6.
  const json ref = test::fixture("admissions_categorical.json");
  const logreg::inference_table t = logreg::make_inference_table(m);
  const auto bse = ref["bse"].get<std::vector<double>>();
  REQUIRE(t.rows.size() == bse.size());
  for (std::size_t i = 0; i < bse.size(); ++i) CHECK(t.rows[i].std_error == doctest::Approx(bse[i]).epsilon(1e-6));
  CHECK(t.statistics.log_likelihood == doctest::Approx(ref["llf"].get<double>()).epsilon(1e-10));
}

TEST_CASE("adult: one-hot of every level with L2 equals scikit-learn (raw and standardised)") {
  const json ref = test::fixture("realcsv_adult.json")["cases"];
  const std::string path = test::dataset("adult.csv");
  SUBCASE("raw: --no-standardize") {
    const logreg::train_outcome out = train(path, "income", l2(false));
    CHECK(out.fitted.positive_class() == ">50K");
    check_case(out.fitted, path, ref["raw"]);
  }
  SUBCASE("standardised") {
    const logreg::train_outcome out = train(path, "income", l2(true));
    check_case(out.fitted, path, ref["std"]);
  }
}

TEST_CASE("adult with holes: --missing impute and --missing drop equal scikit-learn's imputers / dropna") {
  const json fixture = test::fixture("realcsv_adult.json");
  const json& ref = fixture["cases"];
  test::temp_file holed(adult_with_holes());
  logreg::encoding_options e;
  SUBCASE("impute: the mean of the column's numbers, a '(missing)' level for text") {
    e.missing = logreg::missing_mode::impute;
    const logreg::train_outcome out = train(holed.path(), "income", l2(false), e);
    check_case(out.fitted, holed.path(), ref["impute"]);
    // predict fills in the same cells: every row is scored.
    const logreg::scored_rows rows = logreg::score_labelled_csv(out.fitted, holed.path(), {});
    CHECK(rows.probability.size() == 30162);
    CHECK(rows.counts.total_imputed() > 4000);
    CHECK(rows.counts.total_unknown() == 0);
  }
  SUBCASE("drop: rows with a hole are left out, and counted") {
    e.missing = logreg::missing_mode::drop;
    const logreg::train_outcome out = train(holed.path(), "income", l2(false), e);
    CHECK(out.fitted.rows_dropped == fixture["drop_rows_removed"].get<std::size_t>());
    REQUIRE(!out.warnings.empty());
    CHECK(out.warnings[0].rfind("--missing drop: left out 4181 of 30162 rows for a missing cell (the first: ", 0) == 0);
    // The reference probabilities are of the rows kept: score the original file's complete rows.
    const logreg::model& m = out.fitted;
    const auto terms = ref["drop"]["terms"].get<std::vector<std::string>>();
    REQUIRE(m.features == terms);
    const auto w = ref["drop"]["coefficients"].get<std::vector<double>>();
    double norm = 0, diff = 0;
    for (std::size_t j = 0; j < w.size(); ++j) {
      norm += w[j] * w[j];
      diff = std::max(diff, std::fabs(m.coefficients[j] - w[j]));
    }
    CHECK(diff <= 1e-6 * std::sqrt(norm));
    CHECK(std::fabs(m.report.objective - ref["drop"]["objective"].get<double>()) <= 1e-9 * ref["drop"]["objective"].get<double>());
    // predict never drops: a hole is an error naming its place (the model cannot fill it in).
    try {
      logreg::score_labelled_csv(m, holed.path(), {});
      FAIL("expected an error");
    } catch (const logreg::data_error& err) {
      CHECK(std::string(err.what()) ==
            holed.path() + ":2:1 (column 'age'): missing value (an empty cell); the model has no value to fill in: "
                           "it was trained with --missing drop (--missing impute stores one)");
    }
  }
}
