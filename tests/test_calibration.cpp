// Calibration: reliability table, ECE and the Hosmer-Lemeshow test against the fixtures of
// scripts/fixtures/selection_fixtures.py (scikit-learn's calibration_curve; the test as R's
// ResourceSelection::hoslem.test computes it, checked in R where the script found Rscript).
#include <doctest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "logreg/calibration.hpp"

using logreg::calibration_report;
using logreg::compute_calibration;

namespace {

bool close(double actual, double expected, double tol) {
  return std::fabs(actual - expected) <= tol * std::max(1.0, std::fabs(expected));
}

nlohmann::json load(const std::string& name) {
  const std::string path = std::string(LOGREG_FIXTURE_DIR) + "/" + name;
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("calibration: reliability table, ECE and Hosmer-Lemeshow equal the fixtures") {
  const nlohmann::json cases = load("calibration_cases.json");
  REQUIRE(cases.size() >= 8);
  int r_checked = 0;
  for (const auto& c : cases) {
    const std::string name = c.at("name").get<std::string>();
    CAPTURE(name);
    std::vector<std::uint8_t> y;
    for (const auto& v : c.at("y")) y.push_back(static_cast<std::uint8_t>(v.get<int>()));
    const auto p = c.at("probability").get<std::vector<double>>();
    const auto w = c.contains("weights") ? c.at("weights").get<std::vector<double>>() : std::vector<double>{};
    const std::size_t bins = c.at("bins").get<std::size_t>();
    const calibration_report r = compute_calibration(y, p, bins, w);

    const auto& table = c.at("table");
    REQUIRE(r.bins.size() == bins);
    REQUIRE(table.size() == bins);
    for (std::size_t b = 0; b < bins; ++b) {
      CAPTURE(b);
      const auto& t = table[b];
      CHECK(r.bins[b].lower == t.at("lower").get<double>());
      CHECK(r.bins[b].upper == t.at("upper").get<double>());
      CHECK(close(r.bins[b].count, t.at("count").get<double>(), 1e-12));
      if (t.at("mean_predicted").is_null()) {
        CHECK(r.bins[b].count == 0);
        CHECK(std::isnan(r.bins[b].mean_predicted));
        CHECK(std::isnan(r.bins[b].observed));
      } else {
        CHECK(close(r.bins[b].mean_predicted, t.at("mean_predicted").get<double>(), 1e-12));
        CHECK(close(r.bins[b].observed, t.at("observed").get<double>(), 1e-12));
      }
    }
    CHECK(close(r.ece, c.at("ece").get<double>(), 1e-12));

    const auto& hl = c.at("hosmer_lemeshow");
    REQUIRE(r.hl.computed == hl.at("computed").get<bool>());
    if (!r.hl.computed) {
      CHECK(r.hl.reason.find("whole-number weights") != std::string::npos);
      continue;
    }
    if (c.at("r_checked").get<bool>()) ++r_checked;
    if (hl.at("statistic").is_null()) {
      CHECK(std::isinf(r.hl.statistic));
    } else {
      CHECK(close(r.hl.statistic, hl.at("statistic").get<double>(), 1e-10));
    }
    CHECK(r.hl.df == hl.at("df").get<int>());
    // p-values: absolute 1e-12, and relative 1e-9 (far in the tail)
    const double pv = hl.at("p_value").get<double>();
    CHECK(std::fabs(r.hl.p_value - pv) <= 1e-12);
    CHECK(close(r.hl.p_value, pv, 1e-9));
    const auto& groups = hl.at("groups");
    REQUIRE(r.hl.groups.size() == groups.size());
    for (std::size_t j = 0; j < groups.size(); ++j) {
      CAPTURE(j);
      const auto& g = groups[j];
      CHECK(r.hl.groups[j].lower == g.at("lower").get<double>());  // the same break values, bit for bit
      CHECK(r.hl.groups[j].upper == g.at("upper").get<double>());
      CHECK(r.hl.groups[j].count == g.at("count").get<double>());
      CHECK(r.hl.groups[j].observed == g.at("observed").get<double>());
      CHECK(close(r.hl.groups[j].expected, g.at("expected").get<double>(), 1e-12));
    }
  }
  // The fixtures were made with R at hand (tests/fixtures/calibration_cases.json: r_checked).
  CHECK(r_checked >= 5);
}

TEST_CASE("calibration: a bin holds lower <= p < upper, the last one also p = 1") {
  const std::vector<std::uint8_t> y{0, 1, 1, 0, 1};
  const std::vector<double> p{0.0, 0.5, 0.49999999999999994, 1.0, 0.7};
  const calibration_report r = compute_calibration(y, p, 2);
  REQUIRE(r.bins.size() == 2);
  CHECK(r.bins[0].count == 2);  // 0 and the double just below 0.5
  CHECK(r.bins[1].count == 3);  // 0.5, 0.7 and 1
  CHECK(r.bins[1].upper == 1.0);
  CHECK(r.bins[0].observed == 0.5);
  // 3 bins: the edges are 1/3 and 2/3 as doubles; a probability equal to one is in the bin above.
  const calibration_report r3 = compute_calibration(y, std::vector<double>{1.0 / 3, 2.0 / 3, 0.2, 0.9, 0.5}, 3);
  CHECK(r3.bins[0].count == 1);
  CHECK(r3.bins[1].count == 2);
  CHECK(r3.bins[2].count == 2);
  // Every bin of a 1000-bin table agrees with floor(p B) away from the edges.
  std::vector<double> q;
  std::vector<std::uint8_t> yy;
  for (int i = 0; i < 1000; ++i) {
    q.push_back((i + 0.5) / 1000.0);
    yy.push_back(i % 2);
  }
  const calibration_report r1000 = compute_calibration(yy, q, 1000);
  for (const auto& b : r1000.bins) CHECK(b.count == 1);
}

TEST_CASE("calibration: Hosmer-Lemeshow edge cases and errors") {
  // Every probability equal: one group, df still g - 2.
  const std::vector<std::uint8_t> y{0, 1, 1, 0, 1, 0};
  const std::vector<double> same(6, 0.5);
  const calibration_report r = compute_calibration(y, same);
  REQUIRE(r.hl.computed);
  CHECK(r.hl.groups.size() == 1);
  CHECK(r.hl.statistic == 0.0);  // 3 observed and 3 expected in each column
  CHECK(r.hl.df == 8);
  CHECK(r.hl.p_value == 1.0);
  // Whole-number weights are frequencies: the same as repeated rows.
  const std::vector<std::uint8_t> y2{0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1};
  const std::vector<double> p2{0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.85, 0.9};
  std::vector<double> w2(12, 1.0);
  w2[3] = 3;
  w2[7] = 0;
  std::vector<std::uint8_t> ye;
  std::vector<double> pe;
  for (std::size_t i = 0; i < 12; ++i)
    for (int k = 0; k < static_cast<int>(w2[i]); ++k) {
      ye.push_back(y2[i]);
      pe.push_back(p2[i]);
    }
  const calibration_report rw = compute_calibration(y2, p2, 10, w2), re = compute_calibration(ye, pe);
  CHECK(rw.hl.statistic == doctest::Approx(re.hl.statistic).epsilon(1e-14));
  CHECK(rw.hl.groups.size() == re.hl.groups.size());
  CHECK(rw.ece == doctest::Approx(re.ece).epsilon(1e-14));
  w2[0] = 0.5;
  const calibration_report rf = compute_calibration(y2, p2, 10, w2);
  CHECK_FALSE(rf.hl.computed);
  CHECK(rf.hl.reason == "the Hosmer-Lemeshow test needs whole-number weights (frequencies); row 1 has weight 0.5");
  CHECK_THROWS_AS(compute_calibration(y2, p2, 0), std::invalid_argument);
  CHECK_THROWS_AS(compute_calibration(y2, p2, 10, {}, 2), std::invalid_argument);
  CHECK_THROWS_AS(compute_calibration(y2, std::vector<double>{1.5}), std::invalid_argument);
}
