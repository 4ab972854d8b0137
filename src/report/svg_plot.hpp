// A small, dependency-free SVG writer for the plots of `eval --plot`, `cv --plot` and `path --plot`:
// line / step series, markers (optionally sized), error bars, a diagonal reference line, vertical
// marker lines, axes with "nice" ticks (1-2-5 steps; a log10 axis labelled 10^k), axis labels, a
// title and a legend (to the right of the plot area, so it never covers the data).
//
// The output is a self-contained SVG document (no scripts, no external fonts or styles), every text
// XML-escaped (names come from user data; invalid UTF-8 becomes U+FFFD, control characters are
// dropped), numbers written with a fixed small number of digits: the same plot gives the same bytes.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace logreg::report {

struct plot_axis {
  std::string label;
  bool log10 = false;  // a logarithmic axis (every value > 0), ticks at powers of ten
  // A fixed range (both finite, min < max), e.g. [0, 1] for probabilities; otherwise the data's
  // range, widened to ticks (linear) or by a small margin (log).
  double min = 0, max = 0;
  bool fixed = false;
};

struct plot_series {
  std::string name;            // the legend entry; empty: not in the legend
  std::vector<double> x, y;    // points with a non-finite coordinate are gaps
  std::vector<double> error;   // optional: error bars y +- error[i]
  std::vector<double> weight;  // optional: marker area proportional to weight[i] (largest = biggest)
  bool line = true;
  bool step = false;           // a step curve: horizontal, then vertical (post-step, as PR curves)
  bool markers = false;
  bool dashed = false;
  bool muted = false;          // thin and grey: context, not in the legend
  bool ring = false;           // with markers: hollow rings around the points (e.g. the chosen one)
  int color = -1;              // palette index; -1: the next colour
};

struct plot_vline {
  double x = 0;
  std::string label;  // drawn at the top of the line, inside the plot area
};

struct plot_hline {
  double y = 0;
  std::string label;
};

struct plot {
  std::string title;
  std::string subtitle;  // a smaller second line under the title (may be empty)
  plot_axis x, y;
  std::vector<plot_series> series;
  std::vector<plot_vline> vlines;  // dashed vertical lines (e.g. the chosen C)
  std::vector<plot_hline> hlines;  // dotted horizontal lines
  bool diagonal = false;           // the line y = x (ROC chance level, perfect calibration)
  std::string diagonal_name;       // its legend entry (empty: none)
  std::string legend_note;         // a last, unmarked legend line (e.g. "12 more terms in grey")
  int width = 800, height = 600;
};

// The SVG document.
std::string render_svg(const plot& p);

// Helpers, exposed for the tests.
std::string xml_escape(std::string_view text);  // also: invalid UTF-8 -> U+FFFD, control characters dropped
// About `target` ticks covering [lo, hi] with a step of 1, 2 or 5 times a power of ten: the
// multiples of the step from the largest <= lo to the smallest >= hi (lo < hi).
std::vector<double> nice_ticks(double lo, double hi, int target = 6);
// The integer powers k with 10^k in [lo, hi] (lo, hi > 0), thinned to every 2nd, 5th... decade when
// there are more than `max_ticks`.
std::vector<int> decade_ticks(double lo, double hi, int max_ticks = 10);
// A tick's text: just enough decimals for the step (0.25 with step 0.05 -> "0.25"), no "-0".
std::string tick_label(double value, double step);
// A number for a label: up to `digits` significant digits, %g style ("0.0123", "1e+05").
std::string short_number(double value, int digits = 3);

}  // namespace logreg::report
