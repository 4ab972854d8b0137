#include "fit/libsvm_trainer.hpp"

#include <chrono>
#include <cstdio>

#include "fit/class_weights.hpp"
#include "logreg/error.hpp"
#include "io/libsvm_reader.hpp"
#include "fit/sparse_fit.hpp"

namespace logreg {

void check_libsvm_request(const train_request& r) {
  auto refuse = [](const std::string& flag, const std::string& why) {
    throw usage_error(flag + ": does not apply to libsvm input (" + why + ")");
  };
  if (!r.columns.target.empty()) refuse("--target", "the label is the first token of every line");
  if (!r.columns.features.empty()) refuse("--features", "the features are the indices of the file");
  if (!r.columns.ignore.empty()) refuse("--ignore", "the features are the indices of the file");
  if (!r.columns.weight.empty() || !r.settings.weight_column.empty()) refuse("--weight", "it has no columns");
  if (r.dialect.delimiter != csv_dialect{}.delimiter) refuse("--delimiter", "its tokens are separated by blanks");
  if (!r.encoding.categorical.empty()) refuse("--categorical", "its features are numbers at indices");
  if (r.encoding.drop_first) refuse("--drop-first", "it has no categorical columns");
  if (r.encoding.missing != missing_mode::error) refuse("--missing", "an index absent from a line is a zero, not a missing value");
  if (r.encoding.na_values != default_na_values()) refuse("--na-values", "an index absent from a line is a zero, not a missing value");
}

train_outcome train_from_libsvm(const train_request& request, const progress_callbacks& progress) {
  check_libsvm_request(request);
  validate(request.settings);
  train_outcome out;
  const auto t0 = std::chrono::steady_clock::now();
  labelled_sparse_data data = load_labelled_libsvm(request.data_path, progress);
  const auto t1 = std::chrono::steady_clock::now();
  out.load_seconds = std::chrono::duration<double>(t1 - t0).count();
  const csr_matrix& X = data.X;
  out.rows = X.n_rows;
  out.bytes = data.bytes;
  if (progress.on_note) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "read %zu rows x %zu features, %zu non-zeros (%.1f MB) in %.3f s, %.0f MB/s",
                  X.n_rows, X.n_cols, X.nnz(), static_cast<double>(out.bytes) / 1e6, out.load_seconds,
                  out.load_seconds > 0 ? static_cast<double>(out.bytes) / 1e6 / out.load_seconds : 0.0);
    progress.on_note(buf);
  }
  train_outcome fitted = train_sparse_labelled(data, request, progress);
  fitted.load_seconds = out.load_seconds;
  fitted.bytes = out.bytes;
  return fitted;
}

train_outcome train_sparse_labelled(labelled_sparse_data& data, const train_request& request,
                                    const progress_callbacks& progress, std::vector<std::string> names) {
  validate(request.settings);
  train_outcome out;
  const auto t1 = std::chrono::steady_clock::now();
  const csr_matrix& X = data.X;
  out.rows = X.n_rows;
  if (data.labels.size() == 1)
    throw data_error(data.source + ": every row has the label '" + data.labels[0] +
                     "'; logistic regression needs two classes");
  if (data.labels.size() > 2)
    throw data_error(data.source + ": " + std::to_string(data.labels.size()) +
                     " distinct labels; libsvm input with more than two classes is not supported yet");
  if (X.n_cols == 0) throw data_error(data.source + ": no features: every row holds only its label");

  const std::string positive = choose_positive_class(data.labels, request.positive, "label");
  const std::uint32_t pos_index = data.labels[0] == positive ? 0 : 1;
  const std::vector<std::string> classes{data.labels[1 - pos_index], positive};
  const std::size_t n = X.n_rows;
  arma::vec y(n);
  std::vector<std::uint32_t> y_class(n);
  for (std::size_t i = 0; i < n; ++i) {
    y_class[i] = data.label_index[i] == pos_index ? 1 : 0;
    y[i] = y_class[i];
  }
  const double n_pos = arma::accu(y);
  const arma::vec weights = detail::row_weights(y_class, classes, {static_cast<double>(n) - n_pos, n_pos},
                                                request.settings.class_weight, arma::vec(data.weights));
  detail::require_two_weighted_classes(y_class, 2, weights, classes);

  if (names.empty())
    for (std::size_t j = 0; j < X.n_cols; ++j) names.push_back(std::to_string(j + 1));
  binary_fit_result fit = fit_binary_sparse(X, y, weights, request.settings, names, progress);

  model& m = out.fitted;
  m.input_format = to_string(data_format::libsvm);
  m.target = "label";
  m.classes = classes;
  m.features = std::move(names);
  store_binary_fit(m, fit, request.settings, n, n_pos);
  out.warnings = std::move(fit.warnings);
  out.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  return out;
}

}  // namespace logreg
