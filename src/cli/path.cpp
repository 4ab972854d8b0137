// logreg path: the fits of one data set along a grid of C (fit/path.hpp), strongest penalty first,
// each warm-started from the previous; the coefficients on the original scale per C as CSV.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/fit_options.hpp"
#include "cli/output_file.hpp"
#include "fit/path.hpp"
#include "fit/trainer.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"
#include "report/plots.hpp"

namespace logreg::cli {

namespace {

command_spec path_spec() {
  command_spec spec{
      "path",
      "logreg path [DATA] [options]",
      "Fit along a grid of C, from the strongest penalty up, each fit starting from the previous one's solution,\n"
      "and write the coefficients on the original scale for every C as CSV (one row per C, per class for K > 2).",
      {
          {"C-grid", "the values of C, comma-separated", "A,B,..", ""},
          {"C-count", "values of C log-spaced from where the data start to move the coefficients, up by 1e4", "N", "20"},
          {"o,output", "where to write the CSV (replaced atomically)", "FILE", "standard output"},
          {"plot", "also draw the coefficient paths against C as SVG", "FILE.svg", ""},
      }};
  for (flag& f : fit_flags()) spec.flags.push_back(f);
  return spec;
}

void append_number(std::string& out, double x) {
  char buf[32];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
}

}  // namespace

int run_path(const args_t& args) {
  parsed_args a;
  const command_spec spec = path_spec();
  if (!parse(spec, args, a)) return 0;
  if (a.has("verbose") && a.has("quiet")) throw usage_error("--verbose and --quiet cannot be used together");
  if (a.has("C")) throw usage_error("--C: path fits many values of C; give them with --C-grid (or --C-count)");
  if (a.has("C-grid") && a.has("C-count")) throw usage_error("--C-grid and --C-count cannot be used together");
  int threads = 0;
  const train_request req = fit_request(a, threads);
  if (req.settings.penalty == penalty_kind::none)
    throw usage_error("--penalty none: a path over C needs a penalty (l2, l1 or elasticnet)");
  std::vector<double> grid;
  if (a.has("C-grid"))
    for (const std::string& item : parse_list("--C-grid", a.get("C-grid"))) {
      const double C = parse_double("--C-grid", item);
      if (!(C > 0) || !std::isfinite(C)) throw usage_error("--C-grid: '" + item + "' is not a positive number");
      grid.push_back(C);
    }
  if (a.has("plot") && (a.get("plot").empty() || a.get("plot") == "-")) throw usage_error("--plot: give a file name");
  const std::size_t count = a.has("C-count") ? static_cast<std::size_t>(parse_int("--C-count", a.get("C-count"), 1, 1000)) : 20;

  set_thread_count(threads);
  reporter out(a.has("quiet"), a.has("verbose"));
  start_out_of_core(a, req, out);
  output_file file(a.has("output") ? a.get("output") : "-");
  const std::string source = req.data_path == "-" ? "<stdin>" : req.data_path;
  loaded_training_data loaded;
  try {
    loaded = load_for_training(req, out.callbacks("reading " + source));
  } catch (...) {
    out.end_progress();
    throw;
  }
  out.end_progress();
  for (const std::string& w : loaded.warnings) out.warn(w);
  labelled_data& data = loaded.data;
  const labelled_classes lc = prepare_classes(data, req);
  for (const std::string& w : lc.warnings) out.warn(w);
  const std::vector<std::string> names = data.feature_names;
  std::unique_ptr<design> X = data.take_design();
  const bool wide = X->n_terms() >= X->n_obs();
  fit_path fits(*X, lc.y, lc.classes.size(), lc.weights, req.settings);
  if (grid.empty()) {
    const double lo = std::log10(fits.boundary_C(req.settings.l1_weight())), hi = lo + (wide ? 2.0 : 4.0);
    for (std::size_t k = 0; k < count; ++k)
      grid.push_back(std::pow(10.0, count == 1 ? lo : lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(count - 1)));
  }
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());

  const bool several = lc.classes.size() > 2;
  std::string text = several ? "C,class,nonzero,status,intercept" : "C,nonzero,status,intercept";
  for (const std::string& n : names) {
    text.push_back(',');
    append_csv_field(text, n);
  }
  text.push_back('\n');
  std::size_t not_converged = 0;
  const bool plot = a.has("plot");
  std::vector<report::path_series> curves;  // --plot: per class, per term
  if (plot)
    for (std::size_t k = 0; k < (several ? lc.classes.size() : 1); ++k)
      for (const std::string& n : names) curves.push_back({several ? n + " (" + lc.classes[k] + ")" : n, {}});
  for (double C : grid) {
    const fit_path::point p = fits.fit(C, req.settings.l1_ratio);
    not_converged += !p.report.converged();
    if (plot)  // standardised: comparable across terms whatever their units
      for (std::size_t k = 0, s = 0; k < p.coefficients.size(); ++k)
        for (std::size_t j = 0; j < p.coefficients[k].size(); ++j)
          curves[s++].value.push_back(p.coefficients[k][j] * fits.scale()[j]);
    for (std::size_t k = 0; k < p.coefficients.size(); ++k) {
      append_number(text, C);
      text.push_back(',');
      if (several) {
        append_csv_field(text, lc.classes[k]);
        text.push_back(',');
      }
      std::size_t nz = 0;
      for (double w : p.coefficients[k]) nz += w != 0;
      text += std::to_string(nz) + "," + p.report.status + ",";
      append_number(text, p.intercepts[k]);
      for (double w : p.coefficients[k]) {
        text.push_back(',');
        append_number(text, w);
      }
      text.push_back('\n');
    }
    if (std::fwrite(text.data(), 1, text.size(), file.stream()) != text.size())
      throw data_error(file.name() + ": cannot write the path");
    text.clear();
  }
  file.commit();
  if (plot) {
    std::string what = base_name(source) + ", " + to_string(req.settings.penalty) + " penalty";
    if (req.settings.penalty == penalty_kind::elasticnet) what += " (l1 ratio " + report::short_number(req.settings.l1_ratio, 3) + ")";
    what += ", " + std::to_string(names.size()) + (names.size() == 1 ? " term" : " terms");
    if (several) what += " x " + std::to_string(lc.classes.size()) + " classes";
    write_whole_file(a.get("plot"), report::render_svg(report::path_plot(grid, curves, what)), "plot");
  }
  if (not_converged > 0)
    out.warn(std::to_string(not_converged) + " of the " + std::to_string(grid.size()) +
             " fits did not converge (their status column says so); raise --max-iter");
  report_out_of_core(out);
  return 0;
}

}  // namespace logreg::cli
