// The pictures of `eval --plot DIR` (ROC, precision-recall and reliability diagrams), `cv --plot`
// (the score against C) and `path --plot` (the coefficient paths), as report::plot values for
// report::render_svg.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fit/cross_validation.hpp"
#include "report/svg_plot.hpp"

namespace logreg::report {

// One curve of eval's plots: binary, the positive class; K classes, one class against the rest.
struct scored_class {
  std::string name;                      // the class's label
  std::vector<std::uint8_t> is_positive;  // per row: the true class is this one
  std::vector<double> score;              // per row: the predicted probability of this class
};

// `what` names the data in the subtitle, e.g. "positive class 'M', 569 rows". With one class (a
// binary model) the curve is named by its area alone; with several, by the class and its area.
plot roc_plot(const std::vector<scored_class>& classes, std::span<const double> weights, const std::string& what);
plot pr_plot(const std::vector<scored_class>& classes, std::span<const double> weights, const std::string& what);
plot calibration_plot(const std::vector<scored_class>& classes, std::span<const double> weights, std::size_t bins,
                      const std::string& what);

// The mean score +- its standard error against C (log axis), one series per L1 ratio with an
// elastic net, the chosen C marked by a dashed vertical line.
plot cv_plot(const cv_result& result, bool elastic, const std::string& what);

// Coefficient paths: one line per series (a term, or a term of one class) against C (log axis); the
// values are the caller's (`path --plot` gives standardised coefficients, comparable across terms).
// The `labelled` series with the largest absolute value anywhere on the path get a colour and a
// legend entry (listed from the highest end of a line at the largest C to the lowest), the rest are
// drawn thin and grey.
struct path_series {
  std::string name;
  std::vector<double> value;  // per C
};
plot path_plot(const std::vector<double>& C, const std::vector<path_series>& series, const std::string& what,
               std::size_t labelled = 10);

}  // namespace logreg::report
