#include "cli/fit_options.hpp"

#include <glob.h>
#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "base/cache_memory.hpp"
#include "base/chunking.hpp"
#include "cli/mpi_world.hpp"
#include "logreg/error.hpp"

namespace logreg::cli {

std::vector<flag> fit_flags() {
  return {
    {"target", "the column holding the class labels", "COL", "the last column"},
    {"features", "the feature columns, comma-separated", "A,B,..", "all but target and ignored"},
    {"ignore", "columns to leave out, comma-separated", "A,B,..", ""},
    {"positive", "the label of the positive class", "VALUE", "1, true or yes if present, else the second in sorted order"},
    {"penalty", "l2, l1, elasticnet or none", "P", "l2"},
    {"C", "inverse regularisation strength, > 0 (as scikit-learn's C)", "C", "1.0"},
    {"l1-ratio", "elastic net mixing R in [0, 1]: R |w|_1 + (1 - R)/2 |w|^2", "R", "0.5"},
    {"multiclass", "more than two classes: multinomial (softmax) or ovr (one-vs-rest)", "M", "multinomial"},
    {"class-weight", "balanced (n / (k * count)) or LABEL=W,... (others 1)", "W", "none"},
    {"weight", "column of non-negative per-row sample weights", "COL", "none"},
    {"categorical", "columns to one-hot encode even though they hold numbers (text columns always are)", "A,B,..", ""},
    {"drop-first", "categorical: the first level is the reference, without an indicator", "", "with --penalty none"},
    {"missing", "missing cells: error, drop (the row) or impute (mean; a (missing) level)", "M", "error"},
    {"na-values", "cell texts that mean missing, besides empty cells", "A,B,..", "NA,NaN,?,null"},
    {"no-intercept", "fit without an intercept", "", ""},
    {"no-standardize", "penalise the raw coefficients (scikit-learn on raw features), not those of z-scores", "", ""},
    {"solver", "auto, newton or lbfgs", "S", "auto: newton up to 300 features (multinomial: 200 coefficients)"},
    {"tol", "stop when max|gradient| <= tol * C * rows", "T", "1e-10"},
    {"max-iter", "iteration limit", "N", "1000"},
    {"robust", "make HC0 (sandwich) standard errors the ones inspect shows", "", ""},
    {"threads", "threads for reading and fitting (0: one per core)", "N", "0"},
    {"memory-limit", "fit out of core: keep the data in a cache file and the memory used within SIZE (512M, 4G)",
     "SIZE", "out of core only when the data would not fit in the memory available; off: never"},
    {"cache-dir", "where the out-of-core cache goes (an unnamed file, gone when logreg ends)", "DIR",
     "$TMPDIR, else /tmp"},
    {"delimiter", "field delimiter: one byte or 'tab'", "C", ","},
    {"format", "input format: csv or libsvm (LABEL INDEX:VALUE ...)", "F", "libsvm for .svm/.libsvm files, else csv"},
    {"verbose", "show the load rate, every iteration and the fit report", "", ""},
    {"quiet", "show only warnings and errors", "", ""},
  };
}

namespace {
// Under mpirun (Open MPI's or a PMI launcher's environment) with more than one rank, every rank
// would read the whole file, fit the same model and write it to the same path: refuse instead.
void refuse_mpi_ranks() {
  if (mpi_started()) return;  // train with MPI (main.cpp refuses the other commands), or MPI's one process
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    const char* v = std::getenv(name);
    if (!v || std::strtol(v, nullptr, 10) <= 1) continue;
    throw usage_error(std::string("started as one of ") + v + " MPI ranks (" + name + "), but this logreg was "
                      "built without MPI: every rank would read the whole data, fit the same model and write it "
                      "to the same file; run it once, without mpirun, or build logreg with Open MPI "
                      "(docs/scale-out.md)");
  }
}
}  // namespace

// DATA arguments: several files, and patterns (*, ?, [...]) that name no file themselves expanded
// in sorted order, as a shell would (for a pattern quoted so that a long list reaches logreg whole).
std::vector<std::string> data_files(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    struct stat st {};
    if (arg.find_first_of("*?[") == std::string::npos || ::stat(arg.c_str(), &st) == 0) {
      out.push_back(arg);
      continue;
    }
    glob_t g{};
    const int rc = ::glob(arg.c_str(), 0, nullptr, &g);
    if (rc == 0)
      for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
    ::globfree(&g);
    if (rc != 0) throw usage_error("DATA '" + arg + "': no file matches the pattern");
  }
  return out;
}

train_request fit_request(const parsed_args& a, int& threads) {
  refuse_mpi_ranks();
  train_request req;
  req.data_path = a.data;
  if (a.data_list.size() > 1 || (a.data_list.size() == 1 && a.data != "-")) {
    std::vector<std::string> files = data_files(a.data_list);
    if (files.size() > 1) req.data_paths = files;
    req.data_path = files.at(0);
  }
  if (a.has("target")) req.columns.target = a.get("target");
  if (a.has("features")) req.columns.features = parse_list("--features", a.get("features"));
  if (a.has("ignore")) req.columns.ignore = parse_list("--ignore", a.get("ignore"));
  if (a.has("features") && a.has("ignore"))
    throw usage_error("--features and --ignore cannot be used together: --features already lists every feature");
  if (a.has("positive")) req.positive = a.get("positive");
  if (a.has("penalty")) req.settings.penalty = parse_penalty(a.get("penalty"));
  if (a.has("C")) req.settings.C = parse_double("--C", a.get("C"));
  if (a.has("l1-ratio")) {
    req.settings.l1_ratio = parse_double("--l1-ratio", a.get("l1-ratio"));
    if (req.settings.penalty != penalty_kind::elasticnet)
      throw usage_error("--l1-ratio: applies only to --penalty elasticnet");
  }
  if (a.has("multiclass")) req.settings.multiclass = parse_multiclass(a.get("multiclass"));
  if (a.has("class-weight")) {
    req.settings.class_weight = a.get("class-weight");
    if (req.settings.class_weight.empty() || (req.settings.class_weight != "balanced" && req.settings.class_weight.find('=') == std::string::npos))
      throw usage_error("--class-weight: expected 'balanced' or LABEL=WEIGHT,..., got '" + req.settings.class_weight + "'");
  }
  if (a.has("weight")) req.settings.weight_column = a.get("weight");
  if (a.has("categorical")) req.encoding.categorical = parse_list("--categorical", a.get("categorical"));
  req.encoding.drop_first = a.has("drop-first");
  if (a.has("missing")) req.encoding.missing = parse_missing(a.get("missing"));
  if (a.has("na-values")) req.encoding.na_values = parse_na_values(a.get("na-values"));
  req.settings.fit_intercept = !a.has("no-intercept");
  req.settings.standardize = !a.has("no-standardize");
  if (a.has("solver")) req.settings.solver = parse_solver(a.get("solver"));
  if (a.has("tol")) req.settings.tol = parse_double("--tol", a.get("tol"));
  if (a.has("max-iter")) req.settings.max_iter = parse_int("--max-iter", a.get("max-iter"), 1, 100000000);
  req.robust = a.has("robust");
  threads = a.has("threads") ? parse_int("--threads", a.get("threads"), 0, 1024) : 0;
  if (a.has("delimiter")) req.dialect = parse_dialect(a.get("delimiter"));
  req.format = a.has("format") ? parse_data_format(a.get("format")) : format_from_extension(req.data_path, data_format::csv);
  validate(req.settings);
  if (req.format == data_format::libsvm) check_libsvm_request(req);
  return req;
}

}  // namespace logreg::cli

namespace logreg::cli {

std::size_t parse_size(const std::string& flag_name, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  std::string unit(end ? end : "");
  double mult = 1;
  if (!unit.empty()) {
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])));
    const std::string rest = unit.substr(1);
    const bool ok_rest = rest.empty() || rest == "B" || rest == "iB" || rest == "b";
    if (u == 'K' && ok_rest) mult = 1024.0;
    else if (u == 'M' && ok_rest) mult = 1024.0 * 1024;
    else if (u == 'G' && ok_rest) mult = 1024.0 * 1024 * 1024;
    else if (u == 'T' && ok_rest) mult = 1024.0 * 1024 * 1024 * 1024;
    else if (u == 'B' && rest.empty()) mult = 1;
    else mult = -1;
  }
  const double bytes = v * mult;
  if (end == text.c_str() || mult < 0 || !std::isfinite(bytes) || bytes < 1024 * 1024 || bytes > 1e18)
    throw usage_error(flag_name + ": expected a size of at least 1M, such as 512M or 4G, got '" + text + "'");
  return static_cast<std::size_t>(bytes);
}

namespace {

std::string gigabytes(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, bytes >= 1e9 ? "%.1f GB" : "%.0f MB", bytes >= 1e9 ? bytes / 1e9 : bytes / 1e6);
  return buf;
}

// The memory a load of `path` will take at its peak, from the file's size and its first rows:
// rows x fields x 8 bytes, twice (the loader's cells and the matrix exist together for a moment).
// 0 when it cannot tell (not a regular file).
double estimated_load_bytes(const std::string& path) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) return 0;
  std::ifstream in(path, std::ios::binary);
  std::string head(1 << 20, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  std::size_t lines = 0, fields = 1;
  bool first = true;
  for (char c : head) {
    if (c == '\n') {
      ++lines;
      first = false;
    } else if (first && (c == ',' || c == ';' || c == '\t' || c == '|' || c == ' ')) {
      ++fields;
    }
  }
  if (lines < 2) return 0;
  const double rows = static_cast<double>(st.st_size) * static_cast<double>(lines) / static_cast<double>(head.size());
  return 2.0 * rows * static_cast<double>(fields) * 8.0;
}

}  // namespace

void start_out_of_core(const parsed_args& a, const train_request& req, const reporter& out) {
  std::string dir;
  if (a.has("cache-dir")) {
    dir = a.get("cache-dir");
  } else {
    const char* t = std::getenv("TMPDIR");
    dir = t && *t ? t : "/tmp";
  }
  if (a.has("memory-limit") && a.get("memory-limit") == "off") return;  // in memory, whatever the size
  if (a.has("memory-limit")) {
    const std::size_t limit = parse_size("--memory-limit", a.get("memory-limit"));
    detail::enable_cache_memory(dir, limit);
    out.detail("out of core: the data in a cache file in " + dir + ", memory held within " +
               gigabytes(static_cast<double>(limit)) + " (--memory-limit)");
    return;
  }
  const double need = estimated_load_bytes(req.data_path);
  const double available = static_cast<double>(detail::available_memory());
  if (need == 0 || available == 0 || need <= 0.8 * available) return;
  const auto limit = static_cast<std::size_t>(available / 2);
  detail::enable_cache_memory(dir, limit);
  out.info("the data (about " + gigabytes(need / 2) + " as numbers) may not fit in the " + gigabytes(available) +
           " of memory available: fitting out of core, the data in a cache file in " + dir + ", memory held within " +
           gigabytes(static_cast<double>(limit)) + " (--memory-limit sets it, --cache-dir the place)");
}

void report_out_of_core(const reporter& out) {
  if (!detail::cache_memory_enabled()) return;
  const detail::cache_stats s = detail::cache_memory_stats();
  out.detail("out of core: peak resident memory " + gigabytes(static_cast<double>(s.peak_rss)) + " (" +
             gigabytes(static_cast<double>(s.baseline_rss)) + " at the start, limit " +
             gigabytes(static_cast<double>(s.limit)) + " above it); cache " + gigabytes(static_cast<double>(s.peak_cache_bytes)) +
             " at its largest, " + std::to_string(s.files) + " files; cache pages dropped " +
             std::to_string(s.releases) + " times; " + std::to_string(detail::chunked_passes.load()) +
             " passes over the data");
}

}  // namespace logreg::cli
