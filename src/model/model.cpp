#include "logreg/model.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <limits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <type_traits>
#include <utility>

#include "logreg/error.hpp"
#include "optim/solver.hpp"
#include "base/temp_files.hpp"
#include "base/text.hpp"
#include "io/number_parser.hpp"

namespace logreg {

using json = nlohmann::json;

namespace {
// A p x p row-major matrix as an array of rows (numpy.array reads it as is).
json matrix_to_json(const std::vector<double>& a, std::size_t p) {
  json rows = json::array();
  for (std::size_t i = 0; i < p && a.size() == p * p; ++i)
    rows.push_back(std::vector<double>(a.begin() + static_cast<std::ptrdiff_t>(i * p),
                                       a.begin() + static_cast<std::ptrdiff_t>((i + 1) * p)));
  return rows;
}

json inference_to_json(const inference_data& d) {
  const std::size_t p = d.parameters.size() * std::max<std::size_t>(1, d.equations.size());
  json j = {{"exact", d.exact},
            {"covariance_type", d.covariance_type},
            {"parameters", d.parameters},
            {"aliased", d.aliased},
            {"covariance", matrix_to_json(d.covariance, p)},
            {"covariance_hc0", matrix_to_json(d.covariance_hc0, p)},
            {"log_likelihood", d.log_likelihood},
            {"null_log_likelihood", d.null_log_likelihood},
            {"nobs", d.nobs},
            // JSON has no infinity: a singular information matrix is written as null
            {"condition_number", std::isfinite(d.condition_number) ? json(d.condition_number) : json(nullptr)}};
  if (!d.parameterization.empty()) {  // multinomial models
    j["parameterization"] = d.parameterization;
    j["reference_class"] = d.reference_class.empty() ? json(nullptr) : json(d.reference_class);
    j["equations"] = d.equations;
  }
  return j;
}
}  // namespace

feature_encoding input_encoding(const model& m) {
  if (!m.encoding.columns.empty()) return m.encoding;
  feature_encoding e = m.encoding;
  for (const std::string& f : m.features) {
    input_column c;
    c.name = f;
    e.columns.push_back(std::move(c));
  }
  return e;
}

namespace {
bool writes_input(const model& m) {
  return !m.encoding.plain() || m.encoding.missing != missing_mode::error || m.rows_dropped > 0;
}

json input_to_json(const model& m) {
  json columns = json::array();
  for (const input_column& c : m.encoding.columns) {
    json col = {{"name", c.name}, {"type", c.categorical ? "categorical" : "numeric"}};
    if (c.categorical) {
      col["levels"] = c.levels;
      col["numeric_levels"] = c.numeric_levels;
      col["reference"] = c.drop_first && !c.levels.empty() ? json(c.levels[0]) : json(nullptr);
      col["missing_level"] = c.missing_level;
    } else {
      col["impute"] = c.has_impute ? json(c.impute) : json(nullptr);
    }
    columns.push_back(std::move(col));
  }
  return {{"columns", columns},
          {"missing", to_string(m.encoding.missing)},
          {"na_values", m.encoding.na_values},
          {"rows_dropped", m.rows_dropped}};
}
}  // namespace

int file_version(const model& m) { return writes_input(m) ? model::format_version : 1; }

json to_json(const model& m) {
  json j;
  j["format"] = model::format_name;
  j["version"] = file_version(m);
  if (writes_input(m)) j["input"] = input_to_json(m);
  j["kind"] = m.kind;
  j["target"] = m.target;
  j["classes"] = m.classes;
  if (m.binary()) j["positive_class"] = m.positive_class();
  j["features"] = m.features;
  if (m.input_format != "csv") j["input_format"] = m.input_format;  // absent: csv (older files too)
  if (m.binary()) {
    j["coefficients"] = m.coefficients;
    j["intercept"] = m.intercept;
  } else {
    j["coefficients"] = m.class_coefficients;
    j["intercept"] = m.class_intercepts;
  }
  if (m.mean.empty()) {
    j["standardization"] = nullptr;
  } else {
    j["standardization"] = {{"mean", m.mean}, {"scale", m.scale}};
  }
  j["threshold"] = m.threshold;
  j["training"] = {{"penalty", to_string(m.settings.penalty)},
                   {"C", m.settings.C},
                   {"l1_ratio", m.settings.l1_ratio},
                   {"multiclass", to_string(m.settings.multiclass)},
                   {"class_weight", m.settings.class_weight},
                   {"weight_column", m.settings.weight_column},
                   {"fit_intercept", m.settings.fit_intercept},
                   {"standardize", m.settings.standardize},
                   {"solver", to_string(m.settings.solver)},
                   {"tol", m.settings.tol},
                   {"max_iter", m.settings.max_iter},
                   {"rows", m.n_rows},
                   {"class_counts", m.class_counts}};
  j["fit"] = {{"status", m.report.status},
              {"solver", m.report.solver},
              {"iterations", m.report.iterations},
              {"objective", m.report.objective},
              {"gradient_max_abs", m.report.gradient_norm},
              {"tolerance", m.report.tolerance},
              {"seconds", m.report.seconds}};
  if (m.report.polish_steps > 0) j["fit"]["polish_steps"] = m.report.polish_steps;  // only then: older files unchanged
  // Multinomial models keep theirs under another name: a logreg older than it would refuse the
  // block-shaped matrices under "inference", and it ignores a field it does not know.
  if (m.inference) j[m.binary() ? "inference" : "multinomial_inference"] = inference_to_json(*m.inference);
  if (m.cross_validation) {
    const cv_summary& c = *m.cross_validation;
    json grid = json::array();
    for (const cv_summary::row& r : c.grid)
      grid.push_back({{"C", r.C}, {"l1_ratio", r.l1_ratio}, {"mean", r.mean}, {"se", r.se}, {"nonzero", r.nonzero}});
    j["cross_validation"] = {{"metric", c.metric}, {"rule", c.rule},   {"folds", c.folds}, {"fold_source", c.fold_source},
                             {"C", c.C},           {"l1_ratio", c.l1_ratio}, {"grid", grid}};
  }
  return j;
}

namespace {
template <class T>
T get(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw data_error(where + ": missing field '" + key + "'");
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    // A count: a whole number that fits (nlohmann converts 1e30 or 2^40 to an int unchecked).
    const json& v = j.at(key);
    using limits = std::numeric_limits<T>;
    bool fits = !v.is_number();  // not a number: get<T> says it has the wrong type
    if (v.is_number_unsigned()) fits = std::in_range<T>(v.get<std::uint64_t>());
    else if (v.is_number_integer()) fits = std::in_range<T>(v.get<std::int64_t>());
    else if (v.is_number_float()) {
      const double x = v.get<double>();
      fits = x == std::trunc(x) && x >= static_cast<double>(limits::min()) && x < static_cast<double>(limits::max()) + 1.0;
    }
    if (!fits)
      throw data_error(where + ": field '" + key + "' must be a whole number from " + std::to_string(limits::min()) +
                       " to " + std::to_string(limits::max()));
  }
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    throw data_error(where + ": field '" + key + "' has the wrong type");
  }
}
std::vector<double> matrix_from_json(const json& j, const char* key, std::size_t p, const std::string& where) {
  const auto rows = get<std::vector<std::vector<double>>>(j, key, where);
  std::vector<double> a;
  if (rows.empty()) return a;  // not estimated (a singular information matrix)
  if (rows.size() != p) throw data_error(where + ": '" + key + "' is not " + std::to_string(p) + " x " + std::to_string(p));
  for (const auto& r : rows) {
    if (r.size() != p) throw data_error(where + ": '" + key + "' is not " + std::to_string(p) + " x " + std::to_string(p));
    a.insert(a.end(), r.begin(), r.end());
  }
  return a;
}

feature_encoding input_from_json(const json& j, const std::string& where) {
  feature_encoding e;
  try {
    e.missing = parse_missing(get<std::string>(j, "missing", where));
  } catch (const usage_error&) {
    throw data_error(where + ": unknown missing mode '" + get<std::string>(j, "missing", where) + "'");
  }
  e.na_values = get<std::vector<std::string>>(j, "na_values", where);
  const json& cols = get<json>(j, "columns", where);
  if (!cols.is_array() || cols.empty()) throw data_error(where + ": 'columns' must be a non-empty array");
  for (const json& col : cols) {
    input_column c;
    c.name = get<std::string>(col, "name", where);
    const std::string w = where + ": column '" + c.name + "'";
    const std::string type = get<std::string>(col, "type", w);
    if (type == "categorical") {
      c.categorical = true;
      c.levels = get<std::vector<std::string>>(col, "levels", w);
      c.numeric_levels = get<bool>(col, "numeric_levels", w);
      c.missing_level = get<bool>(col, "missing_level", w);
      if (c.levels.empty()) throw data_error(w + ": no levels");
      const json& ref = get<json>(col, "reference", w);
      if (!ref.is_null()) {
        if (!ref.is_string() || ref.get<std::string>() != c.levels[0])
          throw data_error(w + ": the reference level must be the first level");
        c.drop_first = true;
      }
    } else if (type == "numeric") {
      const json& imp = get<json>(col, "impute", w);
      if (!imp.is_null()) {
        c.has_impute = true;
        c.impute = get<double>(col, "impute", w);
      }
    } else {
      throw data_error(w + ": unknown type '" + type + "' (expected numeric or categorical)");
    }
    e.columns.push_back(std::move(c));
  }
  return e;
}

// Multinomial inference: the parameterisation and the classes whose blocks the covariances hold,
// which must be the model's classes (all of them, or all but the reference class, in order).
void read_equations(const json& j, const model& m, const std::string& where, inference_data& d) {
  if (m.kind != "multinomial") throw data_error(where + ": no inference data is defined for " + m.kind + " models");
  d.parameterization = get<std::string>(j, "parameterization", where);
  d.equations = get<std::vector<std::string>>(j, "equations", where);
  std::vector<std::string> expected = m.classes;
  if (d.parameterization == "reference") {
    d.reference_class = get<std::string>(j, "reference_class", where);
    const auto ref = std::find(expected.begin(), expected.end(), d.reference_class);
    if (ref == expected.end()) throw data_error(where + ": reference_class '" + d.reference_class + "' is not a class");
    expected.erase(ref);
  } else if (d.parameterization != "symmetric") {
    throw data_error(where + ": unknown parameterization '" + d.parameterization + "' (expected reference or symmetric)");
  }
  if (d.equations != expected)
    throw data_error(where + ": 'equations' do not match the classes of a " + d.parameterization + " parameterization");
}

inference_data inference_from_json(const json& j, const model& m, const std::string& where) {
  inference_data d;
  d.exact = get<bool>(j, "exact", where);
  d.covariance_type = get<std::string>(j, "covariance_type", where);
  if (d.covariance_type != "nonrobust" && d.covariance_type != "HC0")
    throw data_error(where + ": unknown covariance_type '" + d.covariance_type + "' (expected nonrobust or HC0)");
  d.parameters = get<std::vector<std::string>>(j, "parameters", where);
  d.aliased = get<std::vector<std::string>>(j, "aliased", where);
  const std::size_t expected = m.features.size() - d.aliased.size() + (m.settings.fit_intercept ? 1 : 0);
  if (d.aliased.size() > m.features.size() || d.parameters.size() != expected)
    throw data_error(where + ": " + std::to_string(d.parameters.size()) + " parameters do not match " +
                     std::to_string(m.features.size()) + " features, " + std::to_string(d.aliased.size()) +
                     " aliased" + (m.settings.fit_intercept ? " and an intercept" : ""));
  std::size_t p = d.parameters.size();
  if (!m.binary()) read_equations(j, m, where, d);  // one block of parameters per equation
  if (!d.equations.empty()) p *= d.equations.size();
  d.covariance = matrix_from_json(j, "covariance", p, where);
  d.covariance_hc0 = matrix_from_json(j, "covariance_hc0", p, where);
  d.log_likelihood = get<double>(j, "log_likelihood", where);
  d.null_log_likelihood = get<double>(j, "null_log_likelihood", where);
  d.nobs = get<double>(j, "nobs", where);
  d.condition_number = j.contains("condition_number") && j["condition_number"].is_null()
                           ? std::numeric_limits<double>::infinity()
                           : get<double>(j, "condition_number", where);
  return d;
}
}  // namespace

model model_from_json(const json& j, const std::string& source) {
  if (!j.is_object()) throw data_error(source + ": not a logreg model (expected a JSON object)");
  if (!j.contains("format") || j["format"] != model::format_name)
    throw data_error(source + ": not a logreg model (field 'format' is not \"" + model::format_name + "\")");
  const int version = get<int>(j, "version", source);
  if (version < 1 || version > model::format_version)
    throw data_error(source + ": model format version " + std::to_string(version) +
                     " is not supported; this logreg reads versions 1 to " + std::to_string(model::format_version));
  model m;
  m.kind = get<std::string>(j, "kind", source);
  if (m.kind != "binary" && m.kind != "multinomial" && m.kind != "ovr")
    throw data_error(source + ": unknown model kind '" + m.kind + "'");
  m.target = get<std::string>(j, "target", source);
  m.classes = get<std::vector<std::string>>(j, "classes", source);
  if (m.binary() && m.classes.size() != 2) throw data_error(source + ": a binary model needs exactly two classes");
  if (!m.binary() && m.classes.size() < 3) throw data_error(source + ": a " + m.kind + " model needs at least three classes");
  m.features = get<std::vector<std::string>>(j, "features", source);
  if (j.contains("input_format")) {
    m.input_format = get<std::string>(j, "input_format", source);
    if (m.input_format != "csv" && m.input_format != "libsvm")
      throw data_error(source + ": unknown input_format '" + m.input_format + "' (expected csv or libsvm)");
  }
  if (m.binary()) {
    m.coefficients = get<std::vector<double>>(j, "coefficients", source);
    m.intercept = get<double>(j, "intercept", source);
    if (m.coefficients.size() != m.features.size())
      throw data_error(source + ": " + std::to_string(m.coefficients.size()) + " coefficients for " +
                       std::to_string(m.features.size()) + " features");
  } else {
    m.class_coefficients = get<std::vector<std::vector<double>>>(j, "coefficients", source);
    m.class_intercepts = get<std::vector<double>>(j, "intercept", source);
    if (m.class_coefficients.size() != m.classes.size() || m.class_intercepts.size() != m.classes.size())
      throw data_error(source + ": expected one row of coefficients and one intercept per class");
    for (const auto& row : m.class_coefficients)
      if (row.size() != m.features.size())
        throw data_error(source + ": " + std::to_string(row.size()) + " coefficients for " +
                         std::to_string(m.features.size()) + " features");
  }
  if (j.contains("standardization") && !j["standardization"].is_null()) {
    const json& s = j["standardization"];
    m.mean = get<std::vector<double>>(s, "mean", source + ": standardization");
    m.scale = get<std::vector<double>>(s, "scale", source + ": standardization");
    if (m.mean.size() != m.features.size() || m.scale.size() != m.features.size())
      throw data_error(source + ": standardization does not match the number of features");
  }
  m.threshold = get<double>(j, "threshold", source);
  if (!(m.threshold >= 0 && m.threshold <= 1))
    throw data_error(source + ": threshold " + format_double(m.threshold) + " is not between 0 and 1");
  if (m.binary() && get<std::string>(j, "positive_class", source) != m.classes[1])
    throw data_error(source + ": positive_class is not the second of 'classes'");
  const json& t = get<json>(j, "training", source);
  const std::string tw = source + ": training";
  const std::string penalty = get<std::string>(t, "penalty", tw), solver = get<std::string>(t, "solver", tw);
  try {
    m.settings.penalty = parse_penalty(penalty);
    m.settings.solver = parse_solver(solver);
  } catch (const usage_error&) {
    throw data_error(tw + ": unknown penalty '" + penalty + "' or solver '" + solver + "'");
  }
  m.settings.C = get<double>(t, "C", tw);
  // Fields added after the first files were written: optional, with the defaults of that time.
  if (t.contains("l1_ratio")) m.settings.l1_ratio = get<double>(t, "l1_ratio", tw);
  if (t.contains("multiclass")) {
    try {
      m.settings.multiclass = parse_multiclass(get<std::string>(t, "multiclass", tw));
    } catch (const usage_error&) {
      throw data_error(tw + ": unknown multiclass mode");
    }
  }
  if (t.contains("class_weight")) m.settings.class_weight = get<std::string>(t, "class_weight", tw);
  if (t.contains("weight_column")) m.settings.weight_column = get<std::string>(t, "weight_column", tw);
  try {
    validate(m.settings);
  } catch (const usage_error& e) {  // the message names the flag the value came from
    throw data_error(tw + ": " + e.what());
  }
  m.settings.fit_intercept = get<bool>(t, "fit_intercept", tw);
  m.settings.standardize = get<bool>(t, "standardize", tw);
  m.settings.tol = get<double>(t, "tol", tw);
  m.settings.max_iter = get<int>(t, "max_iter", tw);
  m.n_rows = get<std::size_t>(t, "rows", tw);
  m.class_counts = get<std::vector<double>>(t, "class_counts", tw);
  const json& f = get<json>(j, "fit", source);
  const std::string fw = source + ": fit";
  m.report.status = get<std::string>(f, "status", fw);
  try {
    parse_stop_reason(m.report.status);
  } catch (const data_error& e) {
    throw data_error(fw + ": " + e.what());
  }
  m.report.solver = get<std::string>(f, "solver", fw);
  m.report.iterations = get<int>(f, "iterations", fw);
  m.report.objective = get<double>(f, "objective", fw);
  m.report.gradient_norm = get<double>(f, "gradient_max_abs", fw);
  m.report.tolerance = get<double>(f, "tolerance", fw);
  m.report.seconds = get<double>(f, "seconds", fw);
  if (f.contains("polish_steps")) m.report.polish_steps = get<int>(f, "polish_steps", fw);
  if (version >= 2 && j.contains("input")) {
    m.encoding = input_from_json(j["input"], source + ": input");
    m.rows_dropped = get<std::size_t>(j["input"], "rows_dropped", source + ": input");
    if (m.encoding.term_names() != m.features)
      throw data_error(source + ": input: the encoded columns do not give the model's features");
  } else {
    m.encoding = input_encoding(m);
  }
  // Optional (files written before inference existed have none).
  const char* inference_key = m.binary() ? "inference" : "multinomial_inference";
  if (j.contains(inference_key) && !j[inference_key].is_null())
    m.inference = inference_from_json(j[inference_key], m, source + ": " + inference_key);
  if (j.contains("cross_validation") && !j["cross_validation"].is_null()) {  // optional: cv -m writes it
    const json& c = j["cross_validation"];
    const std::string w = source + ": cross_validation";
    cv_summary cv;
    cv.metric = get<std::string>(c, "metric", w);
    cv.rule = get<std::string>(c, "rule", w);
    cv.folds = get<unsigned>(c, "folds", w);
    cv.fold_source = get<std::string>(c, "fold_source", w);
    cv.C = get<double>(c, "C", w);
    cv.l1_ratio = get<double>(c, "l1_ratio", w);
    for (const json& r : get<json>(c, "grid", w))
      cv.grid.push_back({get<double>(r, "C", w), get<double>(r, "l1_ratio", w), get<double>(r, "mean", w),
                         get<double>(r, "se", w), get<double>(r, "nonzero", w)});
    m.cross_validation = std::move(cv);
  }
  return m;
}

namespace {
// The last line of defence before a model is written: JSON has no NaN or infinity (the serializer
// would write null, which no reader takes back), and its strings are UTF-8 (the serializer would
// throw). Names the first field that breaks either rule.
void check_writable(const json& j, const std::string& field, const std::string& path) {
  const auto refuse = [&](const std::string& why) {
    throw data_error(path + ": cannot write the model: field '" + field + "' " + why + "; nothing was written");
  };
  if (j.is_number_float() && !std::isfinite(j.get<double>()))
    refuse("is not a finite number (" + format_double(j.get<double>()) + "), and JSON has no infinity or NaN");
  if (j.is_string()) {
    const std::string& text = j.get_ref<const std::string&>();
    const std::size_t at = invalid_text_at(text);
    if (at != std::string::npos) refuse(quoted_text(text) + " holds " + invalid_text_problem(text, at));
  }
  if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) check_writable(j[i], field + "[" + std::to_string(i) + "]", path);
  if (j.is_object())
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::size_t at = invalid_text_at(it.key());
      if (at != std::string::npos) refuse("has a key that holds " + invalid_text_problem(it.key(), at));
      check_writable(it.value(), field.empty() ? it.key() : field + "." + it.key(), path);
    }
}
}  // namespace

void save_model(const model& m, const std::string& path) {
  const json j = to_json(m);
  check_writable(j, "", path);
  const std::string text = j.dump(1) + "\n";
  const auto fail = [&](int err) {
    throw data_error(path + ": cannot write the model: " + std::strerror(err));
  };
  const auto write_all = [&](int fd) {
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return w < 0 ? errno : EIO;
      done += static_cast<std::size_t>(w);
    }
    return 0;
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw data_error(path + ": cannot write the model: it is a directory; -m names a model file");
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A FIFO, a terminal or another device: written through, never replaced by a regular file.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw data_error(path + ": cannot write the model: " + std::strerror(errno));
    const int err = write_all(fd);
    if (::close(fd) != 0 && err == 0) throw data_error(path + ": cannot write the model: " + std::strerror(errno));
    if (err != 0) throw data_error(path + ": cannot write the model: " + std::strerror(err));
    return;
  }
  // A unique temporary name in the same directory, so that rename() is atomic; through a symbolic
  // link, the file it points to is replaced, not the link. Until the rename, a signal handler that
  // calls remove_temp_files() (the CLI installs one) removes the temporary file.
  std::string target = path;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    target = real;
    std::free(real);
  }
  std::random_device rd;
  const std::string tmp = target + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
  detail::temp_file_guard guard(tmp);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw data_error(path + ": cannot write the model: " + std::strerror(errno));
  int err = write_all(fd);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && std::rename(tmp.c_str(), target.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    fail(err);
  }
}

namespace {
// "the number 1e999 at byte N": the first number in the text whose magnitude overflows a double.
std::string out_of_range_number(const std::string& text) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    std::size_t e = i;
    while (e < text.size() && std::strchr("+-.eE0123456789", text[e])) ++e;
    const std::string number = text.substr(i, e - i);
    const double v = std::strtod(number.c_str(), nullptr);
    if (!std::isfinite(v)) return "the number " + printable(number) + " at byte " + std::to_string(i + 1);
    i = e - 1;
  }
  return "a number";
}
}  // namespace

model load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(path + ": cannot open the model: " + std::strerror(errno));
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw data_error(path + ": cannot read the model: it is a directory; -m names a model file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw data_error(path + ": cannot read the model: " + std::strerror(errno));
  json j;
  try {
    j = json::parse(buffer.str());
  } catch (const json::parse_error& e) {
    throw data_error(path + ": not a valid model file (malformed JSON at byte " + std::to_string(e.byte) + ")");
  } catch (const json::out_of_range&) {
    // A number beyond the range of doubles (1e999): the parser names neither the number nor its place.
    throw data_error(path + ": not a valid model file (" + out_of_range_number(buffer.str()) +
                     " is out of the range of doubles)");
  } catch (const json::exception&) {
    throw data_error(path + ": not a valid model file (it cannot be read as JSON)");
  }
  try {
    return model_from_json(j, path);
  } catch (const usage_error& e) {  // an unknown penalty or solver name inside the file
    throw data_error(path + ": " + e.what());
  } catch (const json::exception& e) {
    throw data_error(path + ": not a valid model file (" + e.what() + ")");
  }
}

}  // namespace logreg
