#include "cli/cli_support.hpp"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "logreg/error.hpp"
#include "predict/libsvm_predictor.hpp"
#include "base/spelling.hpp"
#include "base/text.hpp"

namespace logreg::cli {

namespace {

std::string long_name(const flag& f) {
  const auto comma = f.names.find(',');
  return comma == std::string::npos ? f.names : f.names.substr(comma + 1);
}

std::string short_name(const flag& f) {
  const auto comma = f.names.find(',');
  return comma == std::string::npos ? (f.names.size() == 1 ? f.names : "") : f.names.substr(0, comma);
}

// How a flag is written on the command line: --C is a one-letter long flag (as scikit-learn's C),
// which cxxopts cannot take; it is passed to cxxopts as the short flag -C.
std::string display(const flag& f) {
  const std::string s = short_name(f), l = long_name(f);
  if (l.size() == 1) return "--" + l;
  return s.empty() ? "--" + l : "-" + s + ", --" + l;
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string help_text(const command_spec& spec) {
  std::string out = "usage: " + spec.usage + "\n\n" + spec.summary + "\n";
  if (spec.takes_data)
    out += std::string("\nDATA is a CSV file with a header row") + (spec.csv_only ? "" : ", or a libsvm file (--format)") +
           "; omitted or '-' reads standard input.\n";
  if (spec.many_data)
    out += "Several CSV files (or a quoted pattern, 'part-*.csv') with the same header, or several libsvm files,\n"
           "are read as one, in order. Under mpirun the ranks split the data: one file by bytes, several by files.\n";
  out += "\noptions:\n";
  std::size_t width = 0;
  std::vector<std::string> left;
  for (const flag& f : spec.flags) {
    std::string l = "  " + display(f);
    if (!f.value_name.empty()) l += " " + f.value_name;
    width = std::max(width, l.size());
    left.push_back(l);
  }
  left.push_back("  -h, --help");
  for (std::size_t i = 0; i <= spec.flags.size(); ++i) {
    std::string line = left[i];
    line.resize(width + 2, ' ');
    if (i < spec.flags.size()) {
      line += spec.flags[i].help;
      if (!spec.flags[i].default_value.empty()) line += " (default: " + spec.flags[i].default_value + ")";
    } else {
      line += "show this help";
    }
    out += line + "\n";
  }
  return out;
}

bool parse(const command_spec& spec, const std::vector<std::string>& args, parsed_args& out) {
  cxxopts::Options options("logreg " + spec.name, spec.summary);
  auto adder = options.add_options();
  std::vector<std::string> known;  // as written by users, for suggestions
  for (const flag& f : spec.flags) {
    const std::string l = long_name(f);
    const std::string spec_names = l.size() == 1 ? l : f.names;
    if (f.value_name.empty()) {
      adder(spec_names, f.help, cxxopts::value<bool>()->default_value("false"));
    } else {
      adder(spec_names, f.help, cxxopts::value<std::string>());
    }
    known.push_back("--" + l);
  }
  adder("h,help", "show this help");
  known.push_back("--help");
  if (spec.takes_data) {
    adder("data", "input", cxxopts::value<std::vector<std::string>>());
    options.parse_positional({"data"});
  }
  options.allow_unrecognised_options();

  // Rewrite "--name value" as "--name=value" for flags that take a value, so that values starting
  // with '-' (a negative number) are values, and "--C x" as "-Cx".
  std::vector<std::string> argv_text{"logreg " + spec.name};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const flag* match = nullptr;
    std::string inline_value;
    bool has_inline = false;
    for (const flag& f : spec.flags) {
      const std::string l = "--" + long_name(f);
      const std::string s = short_name(f).empty() ? "" : "-" + short_name(f);
      if (a == l || (!s.empty() && a == s)) match = &f;
      else if (a.rfind(l + "=", 0) == 0) {
        match = &f;
        has_inline = true;
        inline_value = a.substr(l.size() + 1);
      }
      if (match) break;
    }
    if (!match || match->value_name.empty()) {
      if (match && has_inline) throw usage_error("--" + long_name(*match) + ": this flag takes no value");
      argv_text.push_back(a);
      continue;
    }
    if (!has_inline) {
      if (i + 1 >= args.size()) throw usage_error(display(*match) + ": expected a value (" + match->value_name + ")");
      inline_value = args[++i];
    }
    const std::string l = long_name(*match);
    argv_text.push_back(l.size() == 1 ? "-" + l + inline_value : "--" + l + "=" + inline_value);
  }

  std::vector<char*> argv;
  for (std::string& s : argv_text) argv.push_back(s.data());
  try {
    out.result = options.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const cxxopts::exceptions::exception& e) {
    throw usage_error(e.what());
  }
  if (out.result.count("help")) {
    std::cout << help_text(spec);
    return false;
  }
  for (const std::string& u : out.result.unmatched()) {
    if (!u.empty() && u[0] == '-' && u != "-") {
      const std::string name = u.substr(0, u.find('='));
      std::string msg = "unknown flag '" + name + "' for 'logreg " + spec.name + "'";
      const std::string near = nearest_name(name, known);
      if (!near.empty()) msg += " (did you mean '" + near + "'?)";
      throw usage_error(msg + "; see 'logreg " + spec.name + " --help'");
    }
    throw usage_error("unexpected argument '" + u + "' for 'logreg " + spec.name + "'");
  }
  if (spec.takes_data && out.result.count("data")) {
    const auto data = out.result["data"].as<std::vector<std::string>>();
    if (data.size() > 1 && !spec.many_data)
      throw usage_error("'logreg " + spec.name + "' takes one DATA file, got " + std::to_string(data.size()));
    out.data = data[0];
    out.data_list = data;
  }
  return true;
}

double parse_double(const std::string& flag, const std::string& text) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (r.ec != std::errc() || r.ptr != end || !std::isfinite(v))
    throw usage_error(flag + ": expected a number, got '" + text + "'");
  return v;
}

int parse_int(const std::string& flag, const std::string& text, int min, int max) {
  long long v = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (r.ec != std::errc() || r.ptr != end || v < min || v > max)
    throw usage_error(flag + ": expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                      ", got '" + text + "'");
  return static_cast<int>(v);
}

std::vector<std::string> parse_list(const std::string& flag, const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw usage_error(flag + ": expected comma-separated column names, got '" + text + "'");
    items.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::vector<std::string> parse_na_values(const std::string& text) {
  std::vector<std::string> items;
  if (text.empty()) return items;  // only empty cells are missing
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty())
      throw usage_error("--na-values: expected comma-separated markers such as NA,?,-999 (empty cells are always missing), got '" +
                        printable(text) + "'");
    // The markers are stored in the model: UTF-8.
    if (const std::string problem = text_problem(item, "the marker"); !problem.empty())
      throw usage_error("--na-values: " + problem);
    items.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

void report_encode_counts(const model& m, const encode_counts& counts, const reporter& out) {
  const feature_encoding enc = input_encoding(m);
  const auto per_column = [&](const std::vector<std::size_t>& n) {
    std::string s;
    for (std::size_t c = 0; c < n.size() && c < enc.columns.size(); ++c)
      if (n[c] > 0) s += (s.empty() ? "" : ", ") + enc.columns[c].name + " " + std::to_string(n[c]);
    return s;
  };
  if (const std::size_t u = counts.total_unknown(); u > 0)
    out.warn(std::to_string(u) + (u == 1 ? " cell holds a level" : " cells hold levels") +
             " not seen in training; their indicators are 0 (--unknown error makes this an error): " +
             per_column(counts.unknown));
  if (const std::size_t i = counts.total_imputed(); i > 0)
    out.info("filled in " + std::to_string(i) + " missing cell" + (i == 1 ? "" : "s") +
             " as in training (--missing impute): " + per_column(counts.imputed));
}

csv_dialect parse_dialect(const std::string& text) {
  csv_dialect d;
  if (text == "\\t" || text == "tab" || text == "\t") d.delimiter = '\t';
  else if (text.size() == 1 && text != "\"" && text != "\n" && text != "\r") d.delimiter = text[0];
  else {
    // The rule is one byte: a character outside ASCII (e.g. '§') takes two or more in UTF-8.
    std::size_t chars = 0;
    for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    throw usage_error("--delimiter: expected one byte (an ASCII character, or 'tab'), got '" + printable(text) + "'" +
                      (chars == 1 && text.size() > 1 ? ", which is " + std::to_string(text.size()) + " bytes in UTF-8" : ""));
  }
  return d;
}

reporter::reporter(bool quiet, bool verbose) : quiet_(quiet), verbose_(verbose && !quiet), tty_(::isatty(2) != 0) {}

void reporter::info(const std::string& message) const {
  if (!quiet_) std::cerr << message << '\n';
}

void reporter::detail(const std::string& message) const {
  if (verbose_) std::cerr << message << '\n';
}

void reporter::warn(const std::string& message) const { std::cerr << "logreg: warning: " << message << '\n'; }

void reporter::end_progress() {
  if (progress_shown_) std::cerr << "\r\033[K" << std::flush;
  progress_shown_ = false;
}

progress_callbacks reporter::callbacks(const std::string& what) {
  progress_callbacks cb;
  if (quiet_) return cb;
  if (verbose_) cb.on_note = [this](const std::string& note) {
    end_progress();
    std::cerr << note << '\n';
  };
  if (tty_) {
    cb.on_load = [this, what](std::size_t bytes, std::size_t total, std::size_t rows) {
      const double t = now_seconds();
      if (t - last_update_ < 0.2) return;
      last_update_ = t;
      std::string line = "\r" + what + ": " + format_bytes(static_cast<double>(bytes));
      if (total > 0) line += " of " + format_bytes(static_cast<double>(total));
      line += ", " + std::to_string(rows) + " rows\033[K";
      std::cerr << line << std::flush;
      progress_shown_ = true;
    };
  }
  if (verbose_ || tty_) {
    cb.on_iteration = [this](const iteration_info& it) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "iteration %3d: objective %.12g, max|gradient| %.3g, step %.3g", it.iteration,
                    it.objective, it.gradient_norm, it.step);
      if (verbose_) {
        end_progress();
        std::cerr << buf << '\n';
      } else {
        std::cerr << '\r' << buf << "\033[K" << std::flush;
        progress_shown_ = true;
      }
    };
  }
  return cb;
}

std::string format_bytes(double bytes) {
  char buf[32];
  if (bytes >= 1e9) std::snprintf(buf, sizeof buf, "%.2f GB", bytes / 1e9);
  else if (bytes >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  else if (bytes >= 1e3) std::snprintf(buf, sizeof buf, "%.1f kB", bytes / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f B", bytes);
  return buf;
}

double parse_threshold(const parsed_args& a, double model_threshold) {
  if (!a.has("threshold")) return model_threshold;
  const double t = parse_double("--threshold", a.get("threshold"));
  if (t < 0 || t > 1) throw usage_error("--threshold: expected a number from 0 to 1, got '" + a.get("threshold") + "'");
  return t;
}

void warn_if_not_converged(const model& m, const std::string& path, const reporter& out) {
  if (!m.report.converged())
    out.warn(path + ": this model's fit did not converge (" + m.report.status + "); its predictions are not those of the optimum");
}

data_format input_format(const std::optional<data_format>& asked, const std::string& data, const model& m) {
  if (asked) return *asked;
  return format_from_extension(data, m.input_format == "libsvm" ? data_format::libsvm : data_format::csv);
}

data_format labelled_format(const parsed_args& a, const std::optional<data_format>& asked, const model& m,
                            const std::string& model_path) {
  const data_format format = input_format(asked, a.data, m);
  if (format == data_format::libsvm) {
    for (const char* flag : {"weight", "delimiter", "unknown", "na-values"})
      if (a.has(flag)) throw usage_error(std::string("--") + flag + ": does not apply to libsvm input (it has no columns)");
    check_libsvm_model(m, model_path);
  }
  return format;
}

scored_rows read_labelled(const parsed_args& a, const model& m, data_format format, const csv_dialect& dialect,
                          reporter& out, const std::string& what) {
  const unknown_mode unknown = a.has("unknown") ? parse_unknown(a.get("unknown")) : unknown_mode::zero;
  std::vector<std::string> na_values;
  if (a.has("na-values")) na_values = parse_na_values(a.get("na-values"));
  scored_rows rows;
  try {
    if (format == data_format::libsvm)
      rows = score_labelled_libsvm(m, a.data, out.callbacks(what));
    else
      rows = score_labelled_csv(m, a.data, dialect, out.callbacks(what), a.has("weight") ? a.get("weight") : "",
                                unknown, a.has("na-values") ? &na_values : nullptr);
  } catch (...) {
    out.end_progress();
    throw;
  }
  out.end_progress();
  report_encode_counts(m, rows.counts, out);
  return rows;
}

}  // namespace logreg::cli
