// The public fit() of matrices (logreg/fit.hpp): the matrix becomes the loaded data a file would
// have given, and the trainers take it from there.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "fit/trainer.hpp"
#include "logreg/error.hpp"
#include "logreg/fit.hpp"

namespace logreg {

namespace {

std::vector<std::string> names_for(const fit_options& options, arma::uword d) {
  if (options.feature_names.empty()) {
    std::vector<std::string> names;
    for (arma::uword j = 0; j < d; ++j) {
      std::string name(1, 'x');  // (not "x" + ...: g++ 12 warns falsely, -Wrestrict)
      name += std::to_string(j + 1);
      names.push_back(std::move(name));
    }
    return names;
  }
  if (options.feature_names.size() != d)
    throw usage_error("fit: " + std::to_string(options.feature_names.size()) + " feature names for " +
                      std::to_string(d) + " features (rows of X)");
  return options.feature_names;
}

// Distinct labels in order of first appearance, and each observation's index into them.
void index_labels(const std::vector<std::string>& labels, std::vector<std::string>& distinct,
                  buffer<std::uint32_t>& index) {
  std::unordered_map<std::string, std::uint32_t> ids;
  index.reserve(labels.size());
  for (const std::string& l : labels) {
    auto it = ids.find(l);
    if (it == ids.end()) {
      it = ids.emplace(l, static_cast<std::uint32_t>(distinct.size())).first;
      distinct.push_back(l);
    }
    index.push_back(it->second);
  }
}

void check_sizes(arma::uword n, const std::vector<std::string>& labels, const fit_options& options) {
  if (labels.size() != n)
    throw usage_error("fit: " + std::to_string(labels.size()) + " labels for " + std::to_string(n) +
                      " observations (columns of X)");
  if (n == 0) throw data_error("fit: no observations (X has no columns)");
  if (!options.weights.is_empty() && options.weights.n_elem != n)
    throw usage_error("fit: " + std::to_string(options.weights.n_elem) + " weights for " + std::to_string(n) +
                      " observations");
  for (arma::uword i = 0; i < options.weights.n_elem; ++i)
    if (!(options.weights[i] >= 0) || !std::isfinite(options.weights[i]))
      throw data_error("fit: weight " + std::to_string(i) + " is " + std::to_string(options.weights[i]) +
                       "; weights must be finite and non-negative");
}

train_request request_for(const fit_settings& settings, const fit_options& options) {
  train_request req;
  req.settings = settings;
  req.settings.weight_column.clear();
  req.positive = options.positive;
  req.robust = options.robust;
  return req;
}

fit_result finish(train_outcome&& out, const fit_options& options) {
  fit_result r;
  r.fitted = std::move(out.fitted);
  r.fitted.input_format = "csv";
  r.fitted.target = options.target_name;
  r.warnings = std::move(out.warnings);
  return r;
}

}  // namespace

fit_result fit(const arma::mat& X, const std::vector<std::string>& labels, const fit_settings& settings,
               const fit_options& options) {
  validate(settings);
  check_sizes(X.n_cols, labels, options);
  if (!X.is_finite()) throw data_error("fit: X holds a value that is not finite (NaN or infinity)");
  labelled_data data;
  data.source = "fit";
  data.target_name = options.target_name;
  data.feature_names = names_for(options, X.n_rows);
  for (const std::string& name : data.feature_names) {
    input_column c;
    c.name = name;
    data.encoding.columns.push_back(std::move(c));
  }
  data.X = X;  // standardised in place by the fit
  index_labels(labels, data.labels, data.label_index);
  data.weights = options.weights;
  return finish(train_labelled(data, request_for(settings, options), options.progress), options);
}

fit_result fit(const arma::sp_mat& X, const std::vector<std::string>& labels, const fit_settings& settings,
               const fit_options& options) {
  validate(settings);
  check_sizes(X.n_cols, labels, options);
  labelled_sparse_data sparse;
  sparse.source = "fit";
  // X (d x n) in compressed columns is the n x d data in compressed rows.
  X.sync();
  csr_matrix& c = sparse.X;
  c.n_rows = X.n_cols;
  c.n_cols = X.n_rows;
  c.row_ptr.assign(X.col_ptrs, X.col_ptrs + X.n_cols + 1);
  c.col.assign(X.row_indices, X.row_indices + X.n_nonzero);
  c.val.assign(X.values, X.values + X.n_nonzero);
  for (double v : c.val)
    if (!std::isfinite(v)) throw data_error("fit: X holds a value that is not finite (NaN or infinity)");
  index_labels(labels, sparse.labels, sparse.label_index);
  if (!options.weights.is_empty()) sparse.weights = arma::conv_to<std::vector<double>>::from(options.weights);
  labelled_data data = labelled_from_sparse(std::move(sparse), names_for(options, X.n_rows));
  data.target_name = options.target_name;
  return finish(train_labelled(data, request_for(settings, options), options.progress), options);
}

std::vector<std::string> to_labels(const arma::uvec& codes) {
  std::vector<std::string> out;
  out.reserve(codes.n_elem);
  for (arma::uword c : codes) out.push_back(std::to_string(c));
  return out;
}

std::vector<std::string> to_labels(const arma::ivec& codes) {
  std::vector<std::string> out;
  out.reserve(codes.n_elem);
  for (arma::sword c : codes) out.push_back(std::to_string(c));
  return out;
}

}  // namespace logreg
