#include "logreg/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "logreg/binary_fit.hpp"
#include "logreg/dataset.hpp"
#include "logreg/error.hpp"
#include "logreg/number_parser.hpp"

namespace logreg {

namespace {
std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string quoted_list(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < 10; ++i) out += (i ? ", '" : "'") + values[i] + "'";
  if (values.size() > 10) out += ", ...";
  return out;
}
}  // namespace

std::string choose_positive_class(const std::vector<std::string>& labels, const std::string& requested,
                                  const std::string& target_name) {
  if (!requested.empty()) {
    if (std::find(labels.begin(), labels.end(), requested) == labels.end())
      throw data_error("--positive: '" + requested + "' is not a value of column '" + target_name +
                       "' (its values are " + quoted_list(labels) + ")");
    return requested;
  }
  for (const char* preferred : {"1", "true", "yes"})
    for (const std::string& l : labels)
      if (lower(l) == preferred) return l;
  // Otherwise the second in sorted order, as scikit-learn's classes_[1]: numerically when every
  // label is a number (so -1 < +1), else by text.
  std::vector<std::string> sorted = labels;
  std::vector<double> values(labels.size());
  bool numeric = true;
  for (std::size_t i = 0; i < labels.size() && numeric; ++i) numeric = parse_number(labels[i], values[i]) == cell_kind::number;
  if (numeric) return values[0] < values[1] ? labels[1] : labels[0];
  std::sort(sorted.begin(), sorted.end());
  return sorted.at(1);
}

train_outcome train_from_csv(const train_request& request, const progress_callbacks& progress) {
  validate(request.settings);
  train_outcome out;
  const auto t0 = std::chrono::steady_clock::now();
  labelled_data data = load_labelled_csv(request.data_path, request.columns, request.dialect, progress);
  const auto t1 = std::chrono::steady_clock::now();
  out.load_seconds = std::chrono::duration<double>(t1 - t0).count();
  out.rows = data.X.n_cols;
  out.bytes = data.bytes;
  if (progress.on_note) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "read %zu rows x %zu features (%.1f MB) in %.3f s, %.0f MB/s", out.rows,
                  data.feature_names.size(), static_cast<double>(out.bytes) / 1e6, out.load_seconds,
                  out.load_seconds > 0 ? static_cast<double>(out.bytes) / 1e6 / out.load_seconds : 0.0);
    progress.on_note(buf);
  }

  if (data.labels.size() == 1)
    throw data_error(data.source + ": column '" + data.target_name + "' (the target) has only one value, '" +
                     data.labels[0] + "'; logistic regression needs two classes");
  if (data.labels.size() > 2)
    throw data_error(data.source + ": column '" + data.target_name + "' (the target) has " +
                     std::to_string(data.labels.size()) + " distinct values (" + quoted_list(data.labels) +
                     "); binary logistic regression needs exactly two (is --target the right column?)");
  const std::string positive = choose_positive_class(data.labels, request.positive, data.target_name);
  const std::uint32_t pos_index = data.labels[0] == positive ? 0 : 1;

  const arma::uword n = data.X.n_cols;
  arma::vec y(n);
  for (arma::uword i = 0; i < n; ++i) y[i] = data.label_index[i] == pos_index ? 1.0 : 0.0;
  const double n_pos = arma::accu(y);

  binary_fit_result fit = fit_binary(data.X, y, arma::vec(), request.settings, data.feature_names, progress);

  model& m = out.fitted;
  m.target = data.target_name;
  m.classes = {data.labels[1 - pos_index], positive};
  m.features = data.feature_names;
  m.coefficients = std::move(fit.coefficients);
  m.intercept = fit.intercept;
  m.mean = std::move(fit.mean);
  m.scale = std::move(fit.scale);
  m.settings = request.settings;
  m.report = fit.report;
  m.n_rows = n;
  m.class_counts = {static_cast<double>(n) - n_pos, n_pos};
  m.inference = std::move(fit.inference);
  if (m.inference && request.robust) m.inference->covariance_type = "HC0";
  out.warnings = std::move(fit.warnings);
  out.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  return out;
}

}  // namespace logreg
