// Binary classification metrics: sklearn reference fixtures, hand-computed cases, errors.
#include <doctest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "logreg/metrics.hpp"

using logreg::binary_metrics;
using logreg::compute_binary_metrics;

namespace {

// Fixture tolerance: |actual - expected| <= kTol * max(1, |expected|), i.e. absolute for the
// metrics in [0, 1], relative for log loss and weighted confusion counts. The observed worst
// deviation against sklearn 1.2.1 is a few ulp (<= ~1e-15), so 1e-12 leaves ample margin while
// staying far tighter than the 1e-9 goal.
constexpr double kTol = 1e-12;

bool close(double actual, double expected, double tol = kTol) {
  return std::fabs(actual - expected) <= tol * std::max(1.0, std::fabs(expected));
}

nlohmann::json load_cases() {
  const std::string path = std::string(LOGREG_FIXTURE_DIR) + "/metrics_cases.json";
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return nlohmann::json::parse(in);
}

binary_metrics run(const std::vector<std::uint8_t>& y, const std::vector<double>& p,
                   double threshold = 0.5, const std::vector<double>& w = {}) {
  return compute_binary_metrics(y, p, threshold, w);
}

}  // namespace

TEST_CASE("metrics: sklearn fixtures, every metric within 1e-12") {
  const nlohmann::json cases = load_cases();
  REQUIRE(cases.is_array());
  REQUIRE(cases.size() >= 7);
  for (const auto& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    CAPTURE(name);
    std::vector<std::uint8_t> y;
    for (const auto& v : c.at("y")) y.push_back(static_cast<std::uint8_t>(v.get<int>()));
    const auto p = c.at("probability").get<std::vector<double>>();
    const auto w = c.contains("weights") ? c.at("weights").get<std::vector<double>>() : std::vector<double>{};
    const double threshold = c.at("threshold").get<double>();

    const binary_metrics m = run(y, p, threshold, w);
    CHECK(m.n == y.size());
    CHECK(m.threshold == threshold);
    const auto conf = c.at("confusion").get<std::vector<double>>();
    REQUIRE(conf.size() == 4);
    CHECK(close(m.confusion.tn, conf[0]));
    CHECK(close(m.confusion.fp, conf[1]));
    CHECK(close(m.confusion.fn, conf[2]));
    CHECK(close(m.confusion.tp, conf[3]));
    CHECK(close(m.positives, conf[2] + conf[3]));
    CHECK(close(m.negatives, conf[0] + conf[1]));
    CHECK(close(m.weight_sum, conf[0] + conf[1] + conf[2] + conf[3]));
    if (w.empty()) CHECK(m.weight_sum == static_cast<double>(y.size()));

    const std::pair<const char*, double> values[] = {
        {"accuracy", m.accuracy},
        {"precision", m.precision},
        {"recall", m.recall},
        {"f1", m.f1},
        {"specificity", m.specificity},
        {"balanced_accuracy", m.balanced_accuracy},
        {"average_precision", m.average_precision},
        {"log_loss", m.log_loss},
        {"brier", m.brier},
    };
    for (const auto& [key, actual] : values) {
      const double expected = c.at(key).get<double>();
      CAPTURE(key);
      CAPTURE(actual);
      CAPTURE(expected);
      CHECK(close(actual, expected));
    }
    if (c.at("roc_auc").is_null()) {
      CHECK(std::isnan(m.roc_auc));
    } else {
      const double expected = c.at("roc_auc").get<double>();
      CAPTURE(m.roc_auc);
      CAPTURE(expected);
      CHECK(close(m.roc_auc, expected));
    }
  }
}

TEST_CASE("metrics: tiny hand-computed case") {
  // y = 0 0 1 1, p = .1 .4 .35 .8; threshold .5 -> predicted 0 0 0 1.
  const binary_metrics m = run({0, 0, 1, 1}, {0.1, 0.4, 0.35, 0.8});
  CHECK(m.n == 4);
  CHECK(m.weight_sum == 4);
  CHECK(m.positives == 2);
  CHECK(m.negatives == 2);
  CHECK(m.confusion.tn == 2);
  CHECK(m.confusion.fp == 0);
  CHECK(m.confusion.fn == 1);
  CHECK(m.confusion.tp == 1);
  CHECK(m.accuracy == 0.75);
  CHECK(m.precision == 1.0);
  CHECK(m.recall == 0.5);
  CHECK(m.f1 == doctest::Approx(2.0 / 3.0).epsilon(1e-15));
  CHECK(m.specificity == 1.0);
  CHECK(m.balanced_accuracy == 0.75);
  // Pairs (pos, neg): (.35,.1) (.35,.4)x (.8,.1) (.8,.4) -> 3 of 4 ordered correctly.
  CHECK(m.roc_auc == 0.75);
  // Ranking .8(+) .4(-) .35(+) .1(-): AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
  CHECK(m.average_precision == doctest::Approx(5.0 / 6.0).epsilon(1e-15));
  const double ll = -(std::log(0.9) + std::log(0.6) + std::log(0.35) + std::log(0.8)) / 4;
  CHECK(m.log_loss == doctest::Approx(ll).epsilon(1e-14));
  // (.1^2 + .4^2 + .65^2 + .2^2) / 4 = (.01 + .16 + .4225 + .04) / 4 = .158125
  CHECK(m.brier == doctest::Approx(0.158125).epsilon(1e-14));
}

TEST_CASE("metrics: ties count half in the AUC and are one threshold in AP") {
  // All scores tied: AUC exactly 1/2, AP = prevalence.
  binary_metrics m = run({0, 1, 1, 0, 1}, {0.7, 0.7, 0.7, 0.7, 0.7});
  CHECK(m.roc_auc == 0.5);
  CHECK(m.average_precision == doctest::Approx(0.6).epsilon(1e-15));
  // Pos {.9, .5}, neg {.5, .1}: pairs 1 + 1 + 1 + 1/2 (tie) = 3.5 of 4.
  m = run({1, 1, 0, 0}, {0.9, 0.5, 0.5, 0.1});
  CHECK(m.roc_auc == 0.875);
  // Thresholds .9 (P=1, R=1/2), .5 (P=2/3, R=1): AP = 1/2 + 1/2 * 2/3 = 5/6.
  CHECK(m.average_precision == doctest::Approx(5.0 / 6.0).epsilon(1e-15));
  // Perfect and reversed rankings.
  CHECK(run({0, 0, 1, 1}, {0.1, 0.2, 0.3, 0.4}).roc_auc == 1.0);
  CHECK(run({0, 0, 1, 1}, {0.4, 0.3, 0.2, 0.1}).roc_auc == 0.0);
  CHECK(run({0, 0, 1, 1}, {0.1, 0.2, 0.3, 0.4}).average_precision == 1.0);
}

TEST_CASE("metrics: weights act as repetition counts, zero weights change nothing") {
  const std::vector<std::uint8_t> y = {1, 0, 1, 0, 1};
  const std::vector<double> p = {0.8, 0.6, 0.6, 0.3, 0.2};
  const std::vector<double> w = {2, 1, 3, 0, 1};
  // Expanded: rows repeated w times (the zero-weight row dropped).
  std::vector<std::uint8_t> ye;
  std::vector<double> pe;
  for (std::size_t i = 0; i < y.size(); ++i)
    for (int k = 0; k < static_cast<int>(w[i]); ++k) {
      ye.push_back(y[i]);
      pe.push_back(p[i]);
    }
  const binary_metrics a = run(y, p, 0.5, w), b = run(ye, pe, 0.5);
  CHECK(a.n == 5);
  CHECK(b.n == 7);
  CHECK(a.weight_sum == 7);
  CHECK(a.positives == 6);
  CHECK(a.negatives == 1);
  CHECK(a.confusion.tp == b.confusion.tp);
  CHECK(a.confusion.fp == b.confusion.fp);
  CHECK(a.confusion.tn == b.confusion.tn);
  CHECK(a.confusion.fn == b.confusion.fn);
  CHECK(a.accuracy == doctest::Approx(b.accuracy).epsilon(1e-15));
  CHECK(a.precision == doctest::Approx(b.precision).epsilon(1e-15));
  CHECK(a.recall == doctest::Approx(b.recall).epsilon(1e-15));
  CHECK(a.f1 == doctest::Approx(b.f1).epsilon(1e-15));
  CHECK(a.balanced_accuracy == doctest::Approx(b.balanced_accuracy).epsilon(1e-15));
  CHECK(a.roc_auc == b.roc_auc);
  // neg .6 vs pos: .8 wins (2), .6 ties (3 * 1/2), .2 loses (0) -> 3.5 / 6.
  CHECK(a.roc_auc == doctest::Approx(3.5 / 6.0).epsilon(1e-15));
  CHECK(a.average_precision == doctest::Approx(b.average_precision).epsilon(1e-15));
  CHECK(a.log_loss == doctest::Approx(b.log_loss).epsilon(1e-14));
  CHECK(a.brier == doctest::Approx(b.brier).epsilon(1e-14));
}

TEST_CASE("metrics: zero-division conventions and thresholds") {
  // Nothing predicted positive: precision and f1 are 0.
  binary_metrics m = run({0, 1, 0, 1}, {0.1, 0.3, 0.2, 0.4});
  CHECK(m.confusion.tp + m.confusion.fp == 0);
  CHECK(m.precision == 0.0);
  CHECK(m.recall == 0.0);
  CHECK(m.f1 == 0.0);
  CHECK(m.specificity == 1.0);
  CHECK(m.balanced_accuracy == 0.5);
  CHECK(m.roc_auc == 1.0);
  // probability == threshold is predicted positive.
  m = run({0, 1}, {0.3, 0.3}, 0.3);
  CHECK(m.confusion.fp == 1);
  CHECK(m.confusion.tp == 1);
  CHECK(m.threshold == 0.3);
  // Threshold above 1: nothing positive; below 0: everything positive.
  CHECK(run({0, 1}, {0.0, 1.0}, 1.5).confusion.tp == 0);
  CHECK(run({0, 1}, {0.0, 1.0}, -1.0).confusion.fp == 1);
}

TEST_CASE("metrics: one class absent") {
  // Only negatives: AUC NaN, AP 0 (sklearn), recall 0, balanced accuracy = specificity.
  binary_metrics m = run({0, 0, 0, 0}, {0.1, 0.6, 0.3, 0.2});
  CHECK(std::isnan(m.roc_auc));
  CHECK(m.average_precision == 0.0);
  CHECK(m.positives == 0);
  CHECK(m.recall == 0.0);
  CHECK(m.precision == 0.0);
  CHECK(m.f1 == 0.0);
  CHECK(m.specificity == 0.75);
  CHECK(m.balanced_accuracy == 0.75);
  CHECK(std::isfinite(m.log_loss));
  // Only positives: AUC NaN, AP 1, specificity 0, balanced accuracy = recall.
  m = run({1, 1, 1}, {0.9, 0.4, 0.7});
  CHECK(std::isnan(m.roc_auc));
  CHECK(m.average_precision == 1.0);
  CHECK(m.specificity == 0.0);
  CHECK(m.balanced_accuracy == doctest::Approx(2.0 / 3.0).epsilon(1e-15));
  // A class present only with zero weight counts as absent.
  m = run({1, 0, 1}, {0.9, 0.4, 0.7}, 0.5, {1, 0, 2});
  CHECK(std::isnan(m.roc_auc));
  CHECK(m.negatives == 0);
}

TEST_CASE("metrics: log loss clips 0 and 1 at machine epsilon like sklearn 1.2") {
  // A confident wrong answer costs -log(eps) = 52 log 2 (sklearn 1.2 eps="auto" = DBL_EPSILON).
  const double wrong = 52 * std::log(2.0);
  binary_metrics m = run({0, 1}, {1.0, 0.0});
  CHECK(std::isfinite(m.log_loss));
  CHECK(m.log_loss == doctest::Approx(wrong).epsilon(1e-14));
  // Confident right answers cost ~eps.
  m = run({0, 1}, {0.0, 1.0});
  CHECK(m.log_loss >= 0.0);
  CHECK(m.log_loss < 1e-15);
  CHECK(m.brier == 0.0);
  CHECK(m.roc_auc == 1.0);
}

TEST_CASE("metrics: invalid input throws std::invalid_argument") {
  const std::vector<std::uint8_t> y = {0, 1, 1};
  const std::vector<double> p = {0.2, 0.7, 0.5};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(run({}, {}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, {0.2, 0.7}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 0.5, {1.0, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 0.5, {1.0, -0.5, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 0.5, {1.0, nan, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 0.5, {1.0, std::numeric_limits<double>::infinity(), 1.0}),
                  std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, 0.5, {0.0, 0.0, 0.0}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, {0.2, 1.5, 0.5}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, {0.2, -1e-300, 0.5}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, {0.2, nan, 0.5}), std::invalid_argument);
  CHECK_THROWS_AS(run(y, p, nan), std::invalid_argument);
  CHECK_NOTHROW(run(y, p, 0.5, {1.0, 0.0, 2.0}));
}
