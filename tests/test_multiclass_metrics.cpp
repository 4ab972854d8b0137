// K-class classification metrics: sklearn reference fixtures, hand-computed cases, errors.
#include <doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "logreg/metrics.hpp"
#include "logreg/multiclass_metrics.hpp"

using logreg::compute_multiclass_metrics;
using logreg::multiclass_metrics;

namespace {

// Fixture tolerance: |actual - expected| <= kTol * max(1, |expected|), i.e. absolute for the
// metrics in [0, 1], relative for log loss and weighted counts.
constexpr double kTol = 1e-12;

bool close(double actual, double expected, double tol = kTol) {
  return std::fabs(actual - expected) <= tol * std::max(1.0, std::fabs(expected));
}

nlohmann::json load_cases() {
  const std::string path = std::string(LOGREG_FIXTURE_DIR) + "/multiclass_metrics_cases.json";
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return nlohmann::json::parse(in);
}

// "key[i]" or "key[i][j]" (built with += : GCC 12 warns falsely (-Wrestrict) on "literal" + string).
std::string indexed(const char* key, std::size_t i, std::size_t j = std::string::npos) {
  std::string s = key;
  s += '[';
  s += std::to_string(i);
  s += ']';
  if (j != std::string::npos) {
    s += '[';
    s += std::to_string(j);
    s += ']';
  }
  return s;
}

multiclass_metrics run(const std::vector<std::uint32_t>& y, const std::vector<double>& p,
                       std::size_t k, const std::vector<double>& w = {}) {
  return compute_multiclass_metrics(y, p, k, w);
}

}  // namespace

TEST_CASE("multiclass metrics: sklearn fixtures, every metric within 1e-12") {
  const nlohmann::json cases = load_cases();
  REQUIRE(cases.is_array());
  REQUIRE(cases.size() >= 10);
  double worst = 0;  // largest scaled deviation seen, reported below
  for (const auto& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    CAPTURE(name);
    const auto k = c.at("k").get<std::size_t>();
    const auto y = c.at("y").get<std::vector<std::uint32_t>>();
    std::vector<double> p;
    for (const auto& row : c.at("probability")) {
      REQUIRE(row.size() == k);
      for (const auto& v : row) p.push_back(v.get<double>());
    }
    const auto w = c.contains("weights") ? c.at("weights").get<std::vector<double>>() : std::vector<double>{};

    const multiclass_metrics m = run(y, p, k, w);
    auto check = [&](const std::string& key, double actual, double expected) {
      CAPTURE(key);
      CAPTURE(actual);
      CAPTURE(expected);
      CHECK(close(actual, expected));
      worst = std::max(worst, std::fabs(actual - expected) / std::max(1.0, std::fabs(expected)));
    };
    CHECK(m.n == y.size());
    CHECK(m.k == k);
    if (w.empty()) CHECK(m.weight_sum == static_cast<double>(y.size()));

    const auto conf = c.at("confusion").get<std::vector<std::vector<double>>>();
    REQUIRE(m.confusion.size() == k);
    REQUIRE(conf.size() == k);
    double total = 0;
    for (std::size_t t = 0; t < k; ++t) {
      REQUIRE(m.confusion[t].size() == k);
      for (std::size_t q = 0; q < k; ++q) {
        check(indexed("confusion", t, q), m.confusion[t][q], conf[t][q]);
        total += conf[t][q];
      }
    }
    check("weight_sum", m.weight_sum, total);

    REQUIRE(m.per_class.size() == k);
    const auto precision = c.at("precision").get<std::vector<double>>();
    const auto recall = c.at("recall").get<std::vector<double>>();
    const auto f1 = c.at("f1").get<std::vector<double>>();
    const auto support = c.at("support").get<std::vector<double>>();
    for (std::size_t j = 0; j < k; ++j) {
      check(indexed("precision", j), m.per_class[j].precision, precision.at(j));
      check(indexed("recall", j), m.per_class[j].recall, recall.at(j));
      check(indexed("f1", j), m.per_class[j].f1, f1.at(j));
      check(indexed("support", j), m.per_class[j].support, support.at(j));
    }

    const std::pair<const char*, double> values[] = {
        {"accuracy", m.accuracy},
        {"macro_precision", m.macro_precision},
        {"macro_recall", m.macro_recall},
        {"macro_f1", m.macro_f1},
        {"weighted_precision", m.weighted_precision},
        {"weighted_recall", m.weighted_recall},
        {"weighted_f1", m.weighted_f1},
        {"log_loss", m.log_loss},
    };
    for (const auto& [key, actual] : values) check(key, actual, c.at(key).get<double>());
    if (c.at("roc_auc_ovr_macro").is_null()) {
      CHECK(std::isnan(m.roc_auc_ovr_macro));
    } else {
      check("roc_auc_ovr_macro", m.roc_auc_ovr_macro, c.at("roc_auc_ovr_macro").get<double>());
    }
  }
  MESSAGE("worst scaled deviation from sklearn: " << worst);
}

TEST_CASE("multiclass metrics: hand-computed 3-class case") {
  // Truth 0 0 0 1 1 2; argmax 0 0(tie .4/.4 -> first) 1 1 2 2.
  const std::vector<std::uint32_t> y = {0, 0, 0, 1, 1, 2};
  const std::vector<double> p = {0.6, 0.3, 0.1,  //
                                 0.4, 0.4, 0.2,  //
                                 0.2, 0.5, 0.3,  //
                                 0.1, 0.8, 0.1,  //
                                 0.3, 0.3, 0.4,  //
                                 0.2, 0.2, 0.6};
  const multiclass_metrics m = run(y, p, 3);
  CHECK(m.n == 6);
  CHECK(m.k == 3);
  CHECK(m.weight_sum == 6);
  const std::vector<std::vector<double>> confusion = {{2, 1, 0}, {0, 1, 1}, {0, 0, 1}};
  CHECK(m.confusion == confusion);
  CHECK(m.accuracy == doctest::Approx(2.0 / 3.0).epsilon(1e-15));
  // Class 0: predicted twice, both right; 2 of 3 found.   P 1,   R 2/3, F1 4/5.
  // Class 1: predicted twice, one right; 1 of 2 found.    P 1/2, R 1/2, F1 1/2.
  // Class 2: predicted twice, one right; 1 of 1 found.    P 1/2, R 1,   F1 2/3.
  const double prec[] = {1.0, 0.5, 0.5}, rec[] = {2.0 / 3, 0.5, 1.0}, f1[] = {0.8, 0.5, 2.0 / 3},
               sup[] = {3, 2, 1};
  for (std::size_t c = 0; c < 3; ++c) {
    CAPTURE(c);
    CHECK(m.per_class[c].precision == doctest::Approx(prec[c]).epsilon(1e-15));
    CHECK(m.per_class[c].recall == doctest::Approx(rec[c]).epsilon(1e-15));
    CHECK(m.per_class[c].f1 == doctest::Approx(f1[c]).epsilon(1e-15));
    CHECK(m.per_class[c].support == sup[c]);
  }
  CHECK(m.macro_precision == doctest::Approx(2.0 / 3.0).epsilon(1e-15));
  CHECK(m.macro_recall == doctest::Approx(13.0 / 18.0).epsilon(1e-15));
  CHECK(m.macro_f1 == doctest::Approx(59.0 / 90.0).epsilon(1e-15));
  CHECK(m.weighted_precision == doctest::Approx(0.75).epsilon(1e-15));
  CHECK(m.weighted_recall == doctest::Approx(2.0 / 3.0).epsilon(1e-15));  // = accuracy
  CHECK(m.weighted_f1 == doctest::Approx(61.0 / 90.0).epsilon(1e-15));
  const double ll = -(std::log(0.6) + std::log(0.4) + std::log(0.2) + std::log(0.8) +
                      std::log(0.3) + std::log(0.6)) / 6;
  CHECK(m.log_loss == doctest::Approx(ll).epsilon(1e-14));
  // One-vs-rest AUCs (pairs positive > negative, ties 1/2):
  //   class 0: pos .6 .4 .2 vs neg .1 .3 .2 -> 3 + 3 + 1.5 = 7.5 of 9  = 5/6
  //   class 1: pos .8 .3 vs neg .3 .4 .5 .2 -> 4 + 1.5     = 5.5 of 8  = 11/16
  //   class 2: pos .6 vs neg .1 .2 .3 .1 .4 -> 5 of 5                  = 1
  CHECK(m.roc_auc_ovr_macro == doctest::Approx(121.0 / 144.0).epsilon(1e-15));
}

TEST_CASE("multiclass metrics: argmax takes the first maximum") {
  const double third = 1.0 / 3;
  const multiclass_metrics m =
      run({2, 1, 0, 2}, {third, third, third, 0.2, 0.4, 0.4, 0.1, 0.45, 0.45, 0.3, 0.35, 0.35}, 3);
  // Predicted 0, 1, 1, 1.
  CHECK(m.confusion[2][0] == 1);
  CHECK(m.confusion[1][1] == 1);
  CHECK(m.confusion[0][1] == 1);
  CHECK(m.confusion[2][1] == 1);
  CHECK(m.accuracy == 0.25);
  CHECK(m.per_class[2].precision == 0.0);  // class 2 never predicted: zero_division = 0
  CHECK(m.per_class[2].recall == 0.0);
  CHECK(m.per_class[2].f1 == 0.0);
}

TEST_CASE("multiclass metrics: weights act as repetition counts, zero weights change nothing") {
  const std::vector<std::uint32_t> y = {0, 1, 2, 1, 0, 2};
  const std::vector<double> p = {0.5, 0.25, 0.25,  0.125, 0.75, 0.125, 0.25, 0.5, 0.25,
                                 0.25, 0.25, 0.5,  0.5, 0.5, 0.0,     0.125, 0.25, 0.625};
  const std::vector<double> w = {2, 1, 3, 0, 1, 2};
  std::vector<std::uint32_t> ye;
  std::vector<double> pe;
  for (std::size_t i = 0; i < y.size(); ++i)
    for (int r = 0; r < static_cast<int>(w[i]); ++r) {
      ye.push_back(y[i]);
      pe.insert(pe.end(), p.begin() + 3 * i, p.begin() + 3 * i + 3);
    }
  const multiclass_metrics a = run(y, p, 3, w), b = run(ye, pe, 3);
  CHECK(a.n == 6);
  CHECK(b.n == 9);
  CHECK(a.weight_sum == 9);
  CHECK(a.confusion == b.confusion);
  CHECK(a.accuracy == doctest::Approx(b.accuracy).epsilon(1e-15));
  for (std::size_t c = 0; c < 3; ++c) {
    CHECK(a.per_class[c].support == b.per_class[c].support);
    CHECK(a.per_class[c].precision == doctest::Approx(b.per_class[c].precision).epsilon(1e-15));
    CHECK(a.per_class[c].recall == doctest::Approx(b.per_class[c].recall).epsilon(1e-15));
    CHECK(a.per_class[c].f1 == doctest::Approx(b.per_class[c].f1).epsilon(1e-15));
  }
  CHECK(a.macro_f1 == doctest::Approx(b.macro_f1).epsilon(1e-15));
  CHECK(a.weighted_f1 == doctest::Approx(b.weighted_f1).epsilon(1e-15));
  CHECK(a.log_loss == doctest::Approx(b.log_loss).epsilon(1e-14));
  CHECK(a.roc_auc_ovr_macro == doctest::Approx(b.roc_auc_ovr_macro).epsilon(1e-15));
  CHECK(std::isfinite(a.roc_auc_ovr_macro));
}

TEST_CASE("multiclass metrics: two classes agree with the binary metrics") {
  // Dyadic probabilities: 1 - p is exact, so column 0 ranks exactly opposite to column 1.
  const std::vector<std::uint8_t> pos = {0, 1, 1, 0, 1, 0, 1, 1};
  const std::vector<double> p1 = {0.25, 0.75, 0.375, 0.625, 0.875, 0.125, 0.625, 1.0};
  const std::vector<double> w = {1, 2, 0.5, 1.5, 1, 3, 0, 2};
  std::vector<std::uint32_t> y;
  std::vector<double> p;
  for (std::size_t i = 0; i < pos.size(); ++i) {
    y.push_back(pos[i]);
    p.push_back(1.0 - p1[i]);
    p.push_back(p1[i]);
  }
  for (const bool weighted : {false, true}) {
    CAPTURE(weighted);
    const std::vector<double> ww = weighted ? w : std::vector<double>{};
    const multiclass_metrics m = run(y, p, 2, ww);
    const logreg::binary_metrics b = logreg::compute_binary_metrics(pos, p1, 0.5, ww);
    CHECK(m.accuracy == doctest::Approx(b.accuracy).epsilon(1e-15));
    CHECK(m.per_class[1].precision == doctest::Approx(b.precision).epsilon(1e-15));
    CHECK(m.per_class[1].recall == doctest::Approx(b.recall).epsilon(1e-15));
    CHECK(m.per_class[1].f1 == doctest::Approx(b.f1).epsilon(1e-15));
    CHECK(m.per_class[0].recall == doctest::Approx(b.specificity).epsilon(1e-15));
    CHECK(m.macro_recall == doctest::Approx(b.balanced_accuracy).epsilon(1e-15));
    CHECK(m.log_loss == doctest::Approx(b.log_loss).epsilon(1e-14));
    CHECK(m.roc_auc_ovr_macro == doctest::Approx(b.roc_auc).epsilon(1e-15));
    CHECK(m.confusion[0][0] == b.confusion.tn);
    CHECK(m.confusion[0][1] == b.confusion.fp);
    CHECK(m.confusion[1][0] == b.confusion.fn);
    CHECK(m.confusion[1][1] == b.confusion.tp);
  }
}

TEST_CASE("multiclass metrics: absent classes") {
  // Class 2 never occurs: support 0, recall 0, AUC NaN; still counted in the macro means.
  const std::vector<double> p = {0.7, 0.2, 0.1, 0.2, 0.7, 0.1, 0.1, 0.3, 0.6, 0.6, 0.3, 0.1};
  multiclass_metrics m = run({0, 1, 1, 0}, p, 3);
  CHECK(std::isnan(m.roc_auc_ovr_macro));
  CHECK(m.per_class[2].support == 0);
  CHECK(m.per_class[2].recall == 0.0);
  CHECK(m.per_class[2].precision == 0.0);  // predicted once, wrongly
  CHECK(m.accuracy == 0.75);
  CHECK(m.macro_recall == doctest::Approx((1.0 + 0.5 + 0.0) / 3).epsilon(1e-15));
  CHECK(m.weighted_recall == doctest::Approx(0.75).epsilon(1e-15));
  CHECK(std::isfinite(m.log_loss));
  // A class present only with weight 0 counts as absent.
  m = run({0, 1, 2, 0}, p, 3, {1, 1, 0, 2});
  CHECK(std::isnan(m.roc_auc_ovr_macro));
  CHECK(m.per_class[2].support == 0);
  CHECK(m.weight_sum == 4);
}

TEST_CASE("multiclass metrics: log loss clips 0 and 1 at machine epsilon like sklearn 1.2") {
  // Confident and wrong: row clipped to (1 - eps, eps, eps), sum 1 + eps, cost -log(eps / (1 + eps)).
  const double wrong = 52 * std::log(2.0) + std::log1p(DBL_EPSILON);
  multiclass_metrics m = run({2, 0}, {1.0, 0.0, 0.0, 0.0, 1.0, 0.0}, 3);
  CHECK(std::isfinite(m.log_loss));
  CHECK(m.log_loss == doctest::Approx(wrong).epsilon(1e-14));
  CHECK(m.accuracy == 0.0);
  // Confident and right costs ~eps.
  m = run({0, 1, 2}, {1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0}, 3);
  CHECK(m.log_loss >= 0.0);
  CHECK(m.log_loss < 1e-15);
  CHECK(m.accuracy == 1.0);
  CHECK(m.roc_auc_ovr_macro == 1.0);
  CHECK(m.macro_f1 == 1.0);
}

TEST_CASE("multiclass metrics: invalid input throws std::invalid_argument") {
  const std::vector<std::uint32_t> y = {0, 1, 2};
  const std::vector<double> p = {0.5, 0.3, 0.2, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_NOTHROW(run(y, p, 3));
  CHECK_THROWS_AS(run({}, {}, 3), std::invalid_argument);                     // no rows
  CHECK_THROWS_AS(run({0, 0, 0}, {1, 1, 1}, 1), std::invalid_argument);       // k < 2
  CHECK_THROWS_AS(run({0, 0, 0}, {}, 0), std::invalid_argument);              // k = 0
  CHECK_THROWS_AS(run(y, {0.5, 0.3, 0.2, 0.1, 0.8, 0.1}, 3), std::invalid_argument);  // too few
  CHECK_THROWS_AS(run(y, p, 2), std::invalid_argument);                       // 9 != 3 x 2 (and class 2)
  CHECK_THROWS_AS(run({0, 1}, {0.5, 0.5, 0.5, 0.5, 0.5}, 2), std::invalid_argument);
  CHECK_THROWS_AS(run({0, 3, 2}, p, 3), std::invalid_argument);               // class out of range
  CHECK_THROWS_AS(run(y, {0.5, 0.3, 0.2, 0.1, 1.5, -0.6, 0.2, 0.2, 0.6}, 3), std::invalid_argument);
  CHECK_THROWS_AS(run(y, {0.5, 0.3, 0.2, 0.1, nan, 0.1, 0.2, 0.2, 0.6}, 3), std::invalid_argument);
  CHECK_THROWS_AS(run(y, {0.5, 0.3, 0.2, 0.1, 0.8, 0.1, 0.2, 0.2, 0.5}, 3), std::invalid_argument);  // sum .9
  CHECK_THROWS_AS(run(y, p, 3, {1.0, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 3, {1.0, -0.5, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 3, {1.0, nan, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 3, {1.0, std::numeric_limits<double>::infinity(), 1.0}),
                  std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 3, {0.0, 0.0, 0.0}), std::invalid_argument);
  CHECK_NOTHROW(run(y, p, 3, {1.0, 0.0, 2.0}));
  // Row sums off by rounding only are fine.
  CHECK_NOTHROW(run({0, 1}, {0.1, 0.2, 0.7 + 1e-12, 0.3, 0.3, 0.4}, 3));
}
