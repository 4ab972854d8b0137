// The SVG writer of the plots (src/report/svg_plot.hpp): ticks, labels, escaping, determinism, and
// the curves behind eval --plot (src/stats/curves.hpp) against the metrics eval prints.
#include <doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "logreg/metrics.hpp"
#include "report/plots.hpp"
#include "report/svg_plot.hpp"
#include "stats/curves.hpp"

using namespace logreg;
using namespace logreg::report;

namespace {
std::size_t occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}
plot_series series(const std::string& name, std::vector<double> x, std::vector<double> y) {
  plot_series s;
  s.name = name;
  s.x = std::move(x);
  s.y = std::move(y);
  return s;
}
}  // namespace

TEST_CASE("svg: nice ticks step by 1, 2 or 5 times a power of ten and cover the range") {
  const std::vector<double> unit = nice_ticks(0, 1, 6);
  REQUIRE(unit.size() == 6);
  for (std::size_t k = 0; k < 6; ++k) CHECK(unit[k] == doctest::Approx(0.2 * static_cast<double>(k)));
  const std::vector<double> t = nice_ticks(0.913, 0.987, 6);
  REQUIRE(t.size() >= 3);
  CHECK(t.front() <= 0.913);
  CHECK(t.back() >= 0.987);
  CHECK(t[1] - t[0] == doctest::Approx(0.01));  // 8 intervals (0.02: 4)
  const std::vector<double> big = nice_ticks(-1234, 5678, 6);
  CHECK(big.front() == -2000);
  CHECK(big.back() == 6000);
  CHECK(big[1] - big[0] == 1000);  // 7 intervals (2000 would give 4; the target is 6)
  bool zero = false;
  for (double v : nice_ticks(-0.3, 0.3, 6)) zero = zero || (v == 0 && !std::signbit(v));
  CHECK(zero);  // an exact (positive) zero among the ticks
}

TEST_CASE("svg: tick labels have just the decimals the step needs and no negative zero") {
  CHECK(tick_label(0.6000000000000001, 0.2) == "0.6");
  CHECK(tick_label(0.25, 0.05) == "0.25");
  CHECK(tick_label(-2000, 2000) == "-2000");
  CHECK(tick_label(-1e-18, 0.1) == "0.0");
  CHECK(tick_label(3, 1) == "3");
  CHECK(tick_label(2e7, 1e7) == "2e+07");
}

TEST_CASE("svg: decade ticks on a log axis, thinned when there are many") {
  CHECK(decade_ticks(0.0009, 120) == std::vector<int>{-3, -2, -1, 0, 1, 2});
  CHECK(decade_ticks(2, 9).empty());
  const std::vector<int> many = decade_ticks(1e-12, 1e12, 10);
  CHECK(many.size() <= 10);
  CHECK(many.size() >= 5);
}

TEST_CASE("svg: every text is XML-escaped; invalid UTF-8 and control characters cannot break the document") {
  CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
  CHECK(xml_escape("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(xml_escape("bad\xFFhere") == "bad\xEF\xBF\xBDhere");
  CHECK(xml_escape("x\x01y\tz") == "xy z");
  CHECK(xml_escape("\xED\xA0\x80") == "\xEF\xBF\xBD");  // a UTF-16 surrogate is not a character

  plot p;
  p.title = "<script>&";
  p.x.label = "x <1>";
  p.y.label = "y axis";
  p.series.push_back(series("class \"A\" & <B>", {1, 2, 3}, {1, 4, 9}));
  const std::string svg = render_svg(p);
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;&amp;") != std::string::npos);
  CHECK(svg.find("class &quot;A&quot; &amp; &lt;B&gt;") != std::string::npos);
  CHECK(svg.find("x &lt;1&gt;") != std::string::npos);
}

TEST_CASE("svg: the same plot gives the same bytes; the document has its parts") {
  plot p;
  p.title = "Title";
  p.subtitle = "sub";
  p.x = {"C", true, 0, 0, false};
  p.y = {"score", false, 0, 0, false};
  plot_series s = series("mean", {0.001, 0.01, 0.1, 1, 10}, {0.5, 0.3, 0.2, 0.25, 0.3});
  s.error = {0.05, 0.04, 0.02, 0.03, 0.04};
  s.markers = true;
  p.series.push_back(s);
  p.vlines.push_back({0.1, "chosen C = 0.1"});
  const std::string a = render_svg(p), b = render_svg(p);
  CHECK(a == b);
  CHECK(a.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(a.substr(a.size() - 7) == "</svg>\n");
  CHECK(occurrences(a, "<circle") == 5 + 1);  // the markers and the legend's
  CHECK(a.find("class=\"error-bars\"") != std::string::npos);
  CHECK(a.find("chosen C = 0.1") != std::string::npos);
  // log axis: 10^-3 .. 10^1, with a real minus sign in the exponent
  CHECK(a.find("10<tspan dy=\"-6\" font-size=\"10\">\xE2\x88\x92" "3</tspan>") != std::string::npos);
  CHECK(a.find("10<tspan dy=\"-6\" font-size=\"10\">1</tspan>") != std::string::npos);
  CHECK(a.find("nan") == std::string::npos);
  CHECK(a.find("inf") == std::string::npos);
}

TEST_CASE("svg: gaps and empty plots are drawn without NaN coordinates") {
  plot p;
  p.title = "empty";
  CHECK(render_svg(p).find("nan") == std::string::npos);
  p.series.push_back(series("gappy", {0, 1, 2, 3}, {1, std::nan(""), 2, 3}));
  const std::string svg = render_svg(p);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(occurrences(svg, "M") >= 2);  // the line starts again after the gap
}

TEST_CASE("curves: the ROC and PR points end where eval's numbers say, and their areas are eval's") {
  const std::vector<std::uint8_t> y = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0};
  const std::vector<double> p = {0.9, 0.8, 0.8, 0.7, 0.4, 0.35, 0.3, 0.2, 0.6, 0.1};
  const ranking_curves c = compute_ranking_curves(y, p);
  const binary_metrics m = compute_binary_metrics(y, p);
  CHECK(c.roc_auc == m.roc_auc);
  CHECK(c.average_precision == m.average_precision);
  REQUIRE(c.fpr.size() == 9 + 1);  // 9 distinct scores, plus (0, 0)
  CHECK(c.fpr.front() == 0);
  CHECK(c.tpr.front() == 0);
  CHECK(c.fpr.back() == 1);
  CHECK(c.tpr.back() == 1);
  double area = 0;  // trapezoids
  for (std::size_t k = 1; k < c.fpr.size(); ++k) area += (c.fpr[k] - c.fpr[k - 1]) * (c.tpr[k] + c.tpr[k - 1]) / 2;
  CHECK(area == doctest::Approx(m.roc_auc).epsilon(1e-12));
  double ap = 0, prev = 0;  // steps
  for (std::size_t k = 0; k < c.recall.size(); ++k) ap += (c.recall[k] - prev) * c.precision[k], prev = c.recall[k];
  CHECK(ap == doctest::Approx(m.average_precision).epsilon(1e-12));
}

TEST_CASE("plots: eval's ROC plot names its curves by the AUC; path labels only the largest terms") {
  scored_class c{"M", {1, 0, 1, 0}, {0.9, 0.2, 0.6, 0.7}};
  const std::string roc = render_svg(roc_plot({c}, {}, "test"));
  CHECK(roc.find("AUC 0.7500") != std::string::npos);
  CHECK(roc.find("class=\"diagonal\"") != std::string::npos);

  std::vector<path_series> s;
  for (int k = 0; k < 14; ++k) s.push_back({"term" + std::to_string(k), {0.0, 0.1 * k, 0.2 * k}});
  const std::string path = render_svg(path_plot({0.01, 0.1, 1}, s, "test", 10));
  CHECK(path.find(">term13<") != std::string::npos);
  CHECK(path.find(">term4<") != std::string::npos);
  CHECK(path.find(">term3<") == std::string::npos);  // among the 4 smallest: grey, not in the legend
  CHECK(path.find("4 smaller ones in grey") != std::string::npos);

  // The legend lists the coloured lines by where they end, highest first: "up" (ends at 1)
  // above "down" (ends at -3) although "down" is larger; the colours still go by size.
  const std::vector<path_series> two{{"up", {0.0, 5.0, 1.0}}, {"down", {0.0, -6.0, -3.0}}, {"small", {0.0, 0.1, 0.1}}};
  const std::string ends = render_svg(path_plot({0.01, 0.1, 1}, two, "test", 2));
  CHECK(ends.find(">up<") < ends.find(">down<"));
  CHECK(ends.find(">small<") == std::string::npos);
}
