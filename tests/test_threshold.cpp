// Threshold choice: the scan against scikit-learn's roc_curve / precision_recall_curve and the
// documented choice rule (tests/fixtures/threshold_cases.json, scripts/fixtures/selection_fixtures.py),
// ties, constraints and errors.
#include <doctest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "logreg/threshold.hpp"

using logreg::choose_threshold;
using logreg::threshold_choice;
using logreg::threshold_metric;
using logreg::threshold_options;

namespace {

bool close(double actual, double expected, double tol = 1e-12) {
  return std::fabs(actual - expected) <= tol * std::max(1.0, std::fabs(expected));
}

nlohmann::json load(const std::string& name) {
  const std::string path = std::string(LOGREG_FIXTURE_DIR) + "/" + name;
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return nlohmann::json::parse(in);
}

threshold_metric metric_of(const std::string& s) {
  if (s == "f1") return threshold_metric::f1;
  if (s == "youden") return threshold_metric::youden;
  if (s == "cost") return threshold_metric::cost;
  if (s == "precision") return threshold_metric::precision;
  REQUIRE(s == "recall");
  return threshold_metric::recall;
}

std::string what(const std::vector<std::uint8_t>& y, const std::vector<double>& p, const threshold_options& o) {
  try {
    choose_threshold(y, p, o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

}  // namespace

TEST_CASE("threshold: the scan equals scikit-learn's curves and the choices the fixtures'") {
  const nlohmann::json cases = load("threshold_cases.json");
  REQUIRE(cases.size() >= 5);
  for (const auto& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    CAPTURE(name);
    std::vector<std::uint8_t> y;
    for (const auto& v : c.at("y")) y.push_back(static_cast<std::uint8_t>(v.get<int>()));
    const auto p = c.at("probability").get<std::vector<double>>();
    const auto w = c.contains("weights") ? c.at("weights").get<std::vector<double>>() : std::vector<double>{};

    const auto curve = logreg::threshold_curve(y, p, w);
    const auto& ref = c.at("curve");
    const auto thr = ref.at("threshold").get<std::vector<double>>();
    const auto tp = ref.at("tp").get<std::vector<double>>(), fp = ref.at("fp").get<std::vector<double>>();
    const auto prec = ref.at("precision").get<std::vector<double>>(), rec = ref.at("recall").get<std::vector<double>>();
    REQUIRE(curve.size() == thr.size());
    for (std::size_t k = 0; k < curve.size(); ++k) {
      CAPTURE(k);
      CHECK(curve[k].threshold == thr[k]);  // the distinct probabilities themselves
      CHECK(close(curve[k].tp, tp[k]));
      CHECK(close(curve[k].fp, fp[k]));
      CHECK(close(curve[k].precision, prec[k]));
      CHECK(close(curve[k].recall, rec[k]));
    }
    CHECK(curve.back().recall == 1.0);

    for (const auto& ch : c.at("choices")) {
      threshold_options o;
      o.metric = metric_of(ch.at("metric").get<std::string>());
      o.cost_fp = ch.at("cost_fp").get<double>();
      o.cost_fn = ch.at("cost_fn").get<double>();
      if (!ch.at("min_precision").is_null()) o.min_precision = ch.at("min_precision").get<double>();
      if (!ch.at("min_recall").is_null()) o.min_recall = ch.at("min_recall").get<double>();
      CAPTURE(ch.dump());
      const threshold_choice r = choose_threshold(y, p, o, w);
      CHECK(r.threshold == ch.at("threshold").get<double>());  // exactly the same candidate
      CHECK(close(r.value, ch.at("value").get<double>()));
      CHECK(r.candidates == ch.at("candidates").get<std::size_t>());
      CHECK(r.eligible == ch.at("eligible").get<std::size_t>());
      CHECK(close(r.metrics.confusion.tp, ch.at("tp").get<double>()));
      CHECK(close(r.metrics.confusion.fp, ch.at("fp").get<double>()));
      CHECK(close(r.metrics.confusion.fn, ch.at("fn").get<double>()));
      CHECK(close(r.metrics.confusion.tn, ch.at("tn").get<double>()));
      CHECK(r.metrics.threshold == r.threshold);
    }
  }
}

TEST_CASE("threshold: ties go to the largest threshold") {
  // P = N = 2: Youden's J is 1/2 at 0.9 and at 0.7; the cost FP + FN is 1 at both.
  const std::vector<std::uint8_t> y{1, 0, 1, 0};
  const std::vector<double> p{0.9, 0.8, 0.7, 0.6};
  threshold_options o;
  o.metric = threshold_metric::youden;
  CHECK(choose_threshold(y, p, o).threshold == 0.9);
  o.metric = threshold_metric::cost;
  CHECK(choose_threshold(y, p, o).threshold == 0.9);
  CHECK(choose_threshold(y, p, o).value == 1.0);
  // A false negative costs more: everything positive (threshold 0.6) costs 2, 0.7 costs 1.
  o.cost_fn = 3;
  CHECK(choose_threshold(y, p, o).threshold == 0.7);
  // Every threshold ties on precision 1 when the scores separate the classes: the largest.
  const std::vector<std::uint8_t> y2{1, 1, 0, 0};
  o = {};
  o.metric = threshold_metric::precision;
  o.min_recall = 0.0;
  CHECK(choose_threshold(y2, p, o).threshold == 0.9);
  o.metric = threshold_metric::f1;
  o.min_recall.reset();
  CHECK(choose_threshold(y2, p, o).threshold == 0.8);  // F1 = 1, the only best
}

TEST_CASE("threshold: constraints, tied probabilities, zero weights") {
  // Tied probabilities are one candidate; rows of weight 0 give none.
  const std::vector<std::uint8_t> y{1, 0, 1, 0, 1, 0};
  const std::vector<double> p{0.8, 0.8, 0.6, 0.4, 0.3, 0.95};
  const std::vector<double> w{1, 1, 1, 1, 1, 0};
  const auto curve = logreg::threshold_curve(y, p, w);
  REQUIRE(curve.size() == 4);
  CHECK(curve[0].threshold == 0.8);
  CHECK(curve[0].tp == 1);
  CHECK(curve[0].fp == 1);
  threshold_options o;
  o.metric = threshold_metric::recall;
  o.min_precision = 2.0 / 3.0;  // reached exactly (2 / 3) at 0.6
  const threshold_choice r = choose_threshold(y, p, o, w);
  CHECK(r.threshold == 0.6);
  CHECK(r.eligible == 1);
  CHECK(r.value == 2.0 / 3.0);
  CHECK(r.metrics.precision == 2.0 / 3.0);
}

TEST_CASE("threshold: errors") {
  const std::vector<std::uint8_t> y{1, 0, 1, 0};
  const std::vector<double> p{0.9, 0.8, 0.7, 0.6};
  threshold_options o;
  o.metric = threshold_metric::recall;
  o.min_precision = 1.0;
  CHECK(choose_threshold(y, p, o).threshold == 0.9);  // precision 1 at the top
  const std::vector<std::uint8_t> y3{0, 1, 1, 0};
  CHECK(what(y3, p, o) == "no threshold gives precision >= 1 (the highest precision at any threshold is 0.666667)");
  o.min_precision = 0.9;
  o.min_recall = 0.9;
  CHECK(what(y3, p, o) ==
        "no threshold gives both precision >= 0.9 and recall >= 0.9 (with recall >= 0.9 the highest precision is 0.666667)");
  CHECK(what({1, 1}, {0.2, 0.4}, {}) ==
        "only one class is present in the data (every row is positive): choosing a threshold needs both");
  CHECK(what({0, 0}, {0.2, 0.4}, {}) ==
        "only one class is present in the data (every row is negative): choosing a threshold needs both");
  o = {};
  o.cost_fp = -1;
  CHECK_THROWS_AS(choose_threshold(y, p, o), std::invalid_argument);
  o = {};
  o.min_recall = 1.5;
  CHECK_THROWS_AS(choose_threshold(y, p, o), std::invalid_argument);
  CHECK_THROWS_AS(choose_threshold(y, std::vector<double>{0.1, 0.2, NAN, 0.3}, threshold_options{}), std::invalid_argument);
  CHECK(logreg::to_string(threshold_metric::youden) == "youden");
}
