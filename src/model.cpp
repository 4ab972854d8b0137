#include "logreg/model.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "logreg/error.hpp"

namespace logreg {

using json = nlohmann::json;

json to_json(const model& m) {
  json j;
  j["format"] = model::format_name;
  j["version"] = model::format_version;
  j["kind"] = "binary";
  j["target"] = m.target;
  j["classes"] = m.classes;
  j["positive_class"] = m.positive_class();
  j["features"] = m.features;
  j["coefficients"] = m.coefficients;
  j["intercept"] = m.intercept;
  if (m.mean.empty()) {
    j["standardization"] = nullptr;
  } else {
    j["standardization"] = {{"mean", m.mean}, {"scale", m.scale}};
  }
  j["threshold"] = m.threshold;
  j["training"] = {{"penalty", to_string(m.settings.penalty)},
                   {"C", m.settings.C},
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
  return j;
}

namespace {
template <class T>
T get(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw data_error(where + ": missing field '" + key + "'");
  try {
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    throw data_error(where + ": field '" + key + "' has the wrong type");
  }
}
}  // namespace

model model_from_json(const json& j, const std::string& source) {
  if (!j.is_object()) throw data_error(source + ": not a logreg model (expected a JSON object)");
  if (!j.contains("format") || j["format"] != model::format_name)
    throw data_error(source + ": not a logreg model (field 'format' is not \"" + model::format_name + "\")");
  const int version = get<int>(j, "version", source);
  if (version != model::format_version)
    throw data_error(source + ": model format version " + std::to_string(version) +
                     " is not supported; this logreg reads version " + std::to_string(model::format_version));
  const std::string kind = get<std::string>(j, "kind", source);
  if (kind != "binary") throw data_error(source + ": unknown model kind '" + kind + "'");
  model m;
  m.target = get<std::string>(j, "target", source);
  m.classes = get<std::vector<std::string>>(j, "classes", source);
  if (m.classes.size() != 2) throw data_error(source + ": a binary model needs exactly two classes");
  m.features = get<std::vector<std::string>>(j, "features", source);
  m.coefficients = get<std::vector<double>>(j, "coefficients", source);
  m.intercept = get<double>(j, "intercept", source);
  if (m.coefficients.size() != m.features.size())
    throw data_error(source + ": " + std::to_string(m.coefficients.size()) + " coefficients for " +
                     std::to_string(m.features.size()) + " features");
  if (j.contains("standardization") && !j["standardization"].is_null()) {
    const json& s = j["standardization"];
    m.mean = get<std::vector<double>>(s, "mean", source + ": standardization");
    m.scale = get<std::vector<double>>(s, "scale", source + ": standardization");
    if (m.mean.size() != m.features.size() || m.scale.size() != m.features.size())
      throw data_error(source + ": standardization does not match the number of features");
  }
  m.threshold = get<double>(j, "threshold", source);
  const json& t = j.at("training");
  const std::string tw = source + ": training";
  m.settings.penalty = parse_penalty(get<std::string>(t, "penalty", tw));
  m.settings.C = get<double>(t, "C", tw);
  m.settings.fit_intercept = get<bool>(t, "fit_intercept", tw);
  m.settings.standardize = get<bool>(t, "standardize", tw);
  m.settings.solver = parse_solver(get<std::string>(t, "solver", tw));
  m.settings.tol = get<double>(t, "tol", tw);
  m.settings.max_iter = get<int>(t, "max_iter", tw);
  m.n_rows = get<std::size_t>(t, "rows", tw);
  m.class_counts = get<std::vector<double>>(t, "class_counts", tw);
  const json& f = j.at("fit");
  const std::string fw = source + ": fit";
  m.report.status = get<std::string>(f, "status", fw);
  m.report.solver = get<std::string>(f, "solver", fw);
  m.report.iterations = get<int>(f, "iterations", fw);
  m.report.objective = get<double>(f, "objective", fw);
  m.report.gradient_norm = get<double>(f, "gradient_max_abs", fw);
  m.report.tolerance = get<double>(f, "tolerance", fw);
  m.report.seconds = get<double>(f, "seconds", fw);
  return m;
}

void save_model(const model& m, const std::string& path) {
  const std::string text = to_json(m).dump(1) + "\n";
  // A unique temporary name in the same directory, so that rename() is atomic.
  std::random_device rd;
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw data_error(path + ": cannot write the model: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw data_error(path + ": cannot write the model: " + std::strerror(err));
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw data_error(path + ": cannot write the model: " + std::strerror(err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw data_error(path + ": cannot write the model: " + std::strerror(err));
  }
}

model load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(path + ": cannot open the model: " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  json j;
  try {
    j = json::parse(buffer.str());
  } catch (const json::parse_error& e) {
    throw data_error(path + ": not a valid model file (malformed JSON at byte " + std::to_string(e.byte) + ")");
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
