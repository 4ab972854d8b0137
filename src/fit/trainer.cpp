#include "fit/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <unordered_map>

#include "data/sparse_design.hpp"
#include "data/sparse_part.hpp"
#include "fit/class_weights.hpp"
#include "fit/fit.hpp"
#include "data/dataset.hpp"
#include "data/row_encoder.hpp"
#include "logreg/error.hpp"
#include "base/text.hpp"
#include "io/number_parser.hpp"

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
  for (std::size_t i = 0; i < values.size() && i < 10; ++i) out += (i ? ", '" : "'") + printable(values[i]) + "'";
  if (values.size() > 10) out += ", ...";
  return out;
}
// Labels that differ only in ASCII case or surrounding blanks ('yes', 'Yes', 'yes ') are different
// classes, which is rarely what the file meant: a warning names each such group (up to five).
std::string near_duplicate_labels(const std::vector<std::string>& labels, const std::string& target) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;  // key, labels in first-appearance order
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t k = 0; k < labels.size(); ++k) {
    std::string_view t = labels[k];
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    const std::string key = lower(std::string(t));
    const auto [it, fresh] = at.emplace(key, groups.size());
    if (fresh) groups.push_back({key, {}});
    groups[it->second].second.push_back(k);
  }
  std::string list;
  std::size_t shown = 0, similar = 0;
  for (const auto& [key, members] : groups) {
    if (members.size() < 2) continue;
    ++similar;
    if (shown == 5) continue;
    std::string group;
    for (std::size_t i = 0; i < members.size(); ++i)
      group += (i == 0 ? "'" : i + 1 == members.size() ? " and '" : ", '") + printable(labels[members[i]]) + "'";
    list += (shown++ ? "; " : "") + group;
  }
  if (similar == 0) return "";
  if (similar > shown) list += "; ...";
  return target + " has values that differ only in case or surrounding blanks, which makes them different classes: " +
         list + "; if they mean the same class, write them alike";
}

}  // namespace

std::string choose_positive_class(const std::vector<std::string>& labels, const std::string& requested,
                                  const std::string& target_name) {
  if (!requested.empty()) {
    if (std::find(labels.begin(), labels.end(), requested) == labels.end())
      throw data_error("--positive: '" + printable(requested) + "' is not a value of column '" + printable(target_name) +
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

// Classes in sorted order: numerically when all are numbers, else by text (as categorical levels).
static std::vector<std::string> sorted_labels(const std::vector<std::string>& labels) {
  std::vector<std::string> out = labels;
  bool numeric = false;
  sort_levels(out, numeric);
  return out;
}

namespace detail {
// Per-row weights: the class weight of the row's class times its sample weight (if any).
arma::vec row_weights(const std::vector<std::uint32_t>& y, const std::vector<std::string>& classes,
                      const std::vector<double>& counts, const std::string& class_weight, const arma::vec& sample) {
  if (class_weight.empty()) return sample;
  const std::size_t K = classes.size();
  std::vector<double> w(K, 1.0);
  if (class_weight == "balanced") {
    // scikit-learn's: n / (K * count_k), from the unweighted counts
    double n = 0;
    for (double c : counts) n += c;
    for (std::size_t k = 0; k < K; ++k) w[k] = n / (static_cast<double>(K) * counts[k]);
  } else {
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = class_weight.find(',', start);
      const std::string item = class_weight.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      const std::size_t eq = item.rfind('=');
      double v = 0;
      if (eq == std::string::npos || eq == 0 || parse_number(item.substr(eq + 1), v) != cell_kind::number || v < 0)
        throw usage_error("--class-weight: expected 'balanced' or LABEL=WEIGHT,... with non-negative weights, got '" +
                          class_weight + "'");
      const std::string label = item.substr(0, eq);
      const auto it = std::find(classes.begin(), classes.end(), label);
      if (it == classes.end())
        throw data_error("--class-weight: '" + printable(label) + "' is not a class of the target (its classes are " +
                         quoted_list(classes) + ")");
      w[static_cast<std::size_t>(it - classes.begin())] = v;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  arma::vec out(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) out[i] = w[y[i]] * (sample.is_empty() ? 1.0 : sample[i]);
  return out;
}

// Weights that leave fewer than two classes with any weight leave nothing to learn.
void require_two_weighted_classes(const std::vector<std::uint32_t>& y, std::size_t K, const arma::vec& weights,
                                  const std::vector<std::string>& classes, bool split) {
  if (weights.is_empty()) return;
  std::vector<double> total(K, 0.0);
  for (std::size_t i = 0; i < y.size(); ++i) total[y[i]] += weights[i];
  for (double& t : total) t = sum_over_ranks(split, t);  // only whether it is positive matters
  std::vector<std::string> weighted;
  for (std::size_t k = 0; k < K; ++k)
    if (total[k] > 0) weighted.push_back(classes[k]);
  if (weighted.size() < 2)
    throw data_error("the weights (--weight, --class-weight) leave " +
                     (weighted.empty() ? std::string("no class") : "only the class '" + printable(weighted[0]) + "'") +
                     " with a positive total weight; at least two classes must carry weight");
}

}  // namespace detail
using detail::require_two_weighted_classes;
using detail::row_weights;

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

labelled_data labelled_from_sparse(labelled_sparse_data&& sparse, std::vector<std::string> names) {
  labelled_data data;
  data.source = sparse.source;
  data.target_name = "label";
  data.input_format = to_string(data_format::libsvm);
  if (names.empty())
    for (std::size_t j = 0; j < sparse.X.n_cols; ++j) names.push_back(std::to_string(j + 1));
  data.feature_names = std::move(names);
  data.labels = std::move(sparse.labels);
  data.label_index = std::move(sparse.label_index);
  data.bytes = sparse.bytes;
  if (!sparse.weights.empty()) data.weights = arma::vec(sparse.weights);
  data.compact = std::make_unique<sparse_design>(std::move(sparse.X));
  return data;
}

namespace {

labelled_data load_libsvm(const train_request& request, const progress_callbacks& progress, double& seconds) {
  check_libsvm_request(request);
  const auto t0 = std::chrono::steady_clock::now();
  // Under mpirun each rank holds its run of the fixed chunks, and several files are read as one
  // (sparse_part.hpp).
  libsvm_part split;
  const bool ranks = detail::world() != nullptr || request.data_paths.size() > 1;
  if (ranks)
    split = load_labelled_libsvm_part(
        request.data_paths.size() > 1 ? request.data_paths : std::vector<std::string>{request.data_path}, progress);
  labelled_sparse_data sparse = ranks ? std::move(split.data) : load_labelled_libsvm(request.data_path, progress);
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::size_t rows = ranks ? split.shard.total : sparse.X.n_rows, nnz = ranks ? split.total_nnz : sparse.X.nnz();
  if (progress.on_note) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "read %zu rows x %zu features, %zu non-zeros (%.1f MB) in %.3f s, %.0f MB/s", rows,
                  sparse.X.n_cols, nnz, static_cast<double>(sparse.bytes) / 1e6, seconds,
                  seconds > 0 ? static_cast<double>(sparse.bytes) / 1e6 / seconds : 0.0);
    progress.on_note(buf);
  }
  if (sparse.labels.size() > 1 && sparse.X.n_cols == 0)
    throw data_error(sparse.source + ": no features: every row holds only its label");
  labelled_data data = labelled_from_sparse(std::move(sparse), {});
  if (ranks) {
    data.shard = split.shard;
    data.compact->set_shard(split.shard);
    static_cast<sparse_design&>(*data.compact).set_total_nnz(split.total_nnz);
  }
  return data;
}

}  // namespace

loaded_training_data load_for_training(const train_request& request, const progress_callbacks& progress) {
  validate(request.settings);
  loaded_training_data out;
  const bool several = request.data_paths.size() > 1;
  if (request.format == data_format::libsvm) {
    out.data = load_libsvm(request, progress, out.seconds);
    return out;
  }
  const auto t0 = std::chrono::steady_clock::now();
  column_selection columns = request.columns;
  columns.weight = request.settings.weight_column;
  encoding_options encoding = request.encoding;
  // Without a penalty, an indicator for every level is collinear with the intercept: the first
  // level becomes the reference, as in R.
  encoding.drop_first = encoding.drop_first || request.settings.penalty == penalty_kind::none;
  // Under mpirun each rank reads its part of the file(s), and several files are read as one, by
  // load_labelled_csv_part.
  if (detail::world() || several) {
    const std::vector<std::string> paths = several ? request.data_paths : std::vector<std::string>{request.data_path};
    out.data = load_labelled_csv_part(paths, columns, request.dialect, progress, encoding);
  } else {
    out.data = load_labelled_csv(request.data_path, columns, request.dialect, progress, true, encoding,
                                 request.data_display);
  }
  labelled_data& data = out.data;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.warnings = std::move(data.warnings);
  if (data.rows_dropped > 0)
    out.warnings.push_back("--missing drop: left out " + std::to_string(data.rows_dropped) + " of " +
                           std::to_string(data.rows_dropped + data.total_rows()) +
                           " rows for a missing cell (the first: " + data.first_dropped + ")");
  if (progress.on_note)
    for (const std::string& note : data.notes) progress.on_note(note);
  if (progress.on_note) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "read %zu rows x %zu features (%.1f MB) in %.3f s, %.0f MB/s",
                  static_cast<std::size_t>(data.total_rows()), data.feature_names.size(),
                  static_cast<double>(data.bytes) / 1e6, out.seconds,
                  out.seconds > 0 ? static_cast<double>(data.bytes) / 1e6 / out.seconds : 0.0);
    progress.on_note(buf);
  }
  return out;
}

train_outcome train_from_csv(const train_request& request, const progress_callbacks& progress) {
  loaded_training_data loaded = load_for_training(request, progress);
  train_outcome fitted = train_labelled(loaded.data, request, progress);
  fitted.warnings.insert(fitted.warnings.begin(), loaded.warnings.begin(), loaded.warnings.end());
  fitted.load_seconds = loaded.seconds;
  fitted.bytes = loaded.data.bytes;
  return fitted;
}

labelled_classes prepare_classes(const labelled_data& data, const train_request& request) {
  const bool libsvm = data.input_format == to_string(data_format::libsvm);
  const arma::uword n = data.n_rows();
  const arma::uword K = data.labels.size();
  if (K == 1) {
    if (libsvm)
      throw data_error(data.source + ": every row has the label '" + printable(data.labels[0]) +
                       "'; logistic regression needs two classes");
    throw data_error(data.source + ": column '" + printable(data.target_name) + "' (the target) has only one value, '" +
                     printable(data.labels[0]) + "'; logistic regression needs two classes");
  }
  labelled_classes out;
  const bool split = data.shard.active;  // the rows are this rank's part of a fit split among MPI ranks
  const std::string similar =
      near_duplicate_labels(data.labels, libsvm ? "the label" : "column '" + printable(data.target_name) + "' (the target)");
  if (!similar.empty()) out.warnings.push_back(similar);
  std::vector<std::string>& classes = out.classes;
  std::vector<std::uint32_t>& y = out.y;
  std::vector<double>& counts = out.counts;
  arma::vec& weights = out.weights;
  y.resize(n);
  counts.assign(K, 0.0);
  if (K > 2) {
    if (!request.positive.empty())
      throw data_error("--positive: the target '" + printable(data.target_name) + "' has " + std::to_string(K) +
                       " classes; --positive applies to two");
    if (K > 1000) {
      if (libsvm)
        throw data_error(data.source + ": " + std::to_string(K) + " distinct labels (" + quoted_list(data.labels) +
                         "); they do not look like class labels");
      throw data_error(data.source + ": column '" + printable(data.target_name) + "' (the target) has " + std::to_string(K) +
                       " distinct values (" + quoted_list(data.labels) + "); is --target the right column?");
    }
    // Classes in sorted order (numerically when all are numbers), as scikit-learn's classes_.
    classes = sorted_labels(data.labels);
    std::vector<std::uint32_t> to_class(K);
    for (arma::uword k = 0; k < K; ++k)
      to_class[k] = static_cast<std::uint32_t>(std::find(classes.begin(), classes.end(), data.labels[k]) - classes.begin());
    for (arma::uword i = 0; i < n; ++i) y[i] = to_class[data.label_index[i]];
    for (std::uint32_t c : y) counts[c] += 1;
    for (double& c : counts) c = detail::sum_over_ranks(split, c);  // all ranks' rows
    // One-vs-rest balances each binary problem itself (fit_design); otherwise the class weights
    // multiply the rows here.
    const bool per_problem = request.settings.multiclass == multiclass_kind::ovr && request.settings.class_weight == "balanced";
    weights = row_weights(y, classes, counts, per_problem ? std::string() : request.settings.class_weight, data.weights);
  } else {
    const std::string positive = choose_positive_class(data.labels, request.positive, data.target_name);
    const std::uint32_t pos_index = data.labels[0] == positive ? 0 : 1;
    classes = {data.labels[1 - pos_index], positive};
    double n_pos = 0;
    for (arma::uword i = 0; i < n; ++i) {
      y[i] = data.label_index[i] == pos_index ? 1 : 0;
      n_pos += y[i];
    }
    n_pos = detail::sum_over_ranks(split, n_pos);  // all ranks' rows
    counts = {static_cast<double>(split ? data.shard.total : n) - n_pos, n_pos};
    weights = row_weights(y, classes, counts, request.settings.class_weight, data.weights);
  }
  require_two_weighted_classes(y, K, weights, classes, split);
  return out;
}

train_outcome train_labelled(labelled_data& data, const train_request& request, const progress_callbacks& progress) {
  validate(request.settings);
  train_outcome out;
  const auto t1 = std::chrono::steady_clock::now();
  const arma::uword n = data.total_rows();  // all ranks' rows
  out.rows = n;
  const arma::uword K = data.labels.size();
  labelled_classes prepared = prepare_classes(data, request);
  out.warnings = std::move(prepared.warnings);
  std::vector<std::string>& classes = prepared.classes;
  std::vector<std::uint32_t>& y = prepared.y;
  std::vector<double>& counts = prepared.counts;
  const arma::vec& weights = prepared.weights;

  std::unique_ptr<design> X = data.take_design();
  design_fit fit = fit_design(*X, y, K, weights, request.settings, data.feature_names, classes, progress);
  X.reset();

  model& m = out.fitted;
  m.kind = K > 2 ? to_string(request.settings.multiclass) : "binary";
  m.input_format = data.input_format;
  m.target = data.target_name;
  m.classes = classes;
  m.features = data.feature_names;
  m.encoding = data.encoding;
  m.rows_dropped = data.rows_dropped;
  if (K > 2) {
    m.class_coefficients = std::move(fit.coefficients);
    m.class_intercepts = std::move(fit.intercepts);
  } else {
    m.coefficients = std::move(fit.coefficients[0]);
    m.intercept = fit.intercepts[0];
  }
  m.mean = std::move(fit.mean);
  m.scale = std::move(fit.scale);
  m.settings = request.settings;
  m.report = fit.report;
  m.n_rows = n;
  m.class_counts = counts;
  m.inference = std::move(fit.inference);
  if (m.inference && request.robust) m.inference->covariance_type = "HC0";
  out.warnings.insert(out.warnings.end(), fit.warnings.begin(), fit.warnings.end());
  out.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  return out;
}

}  // namespace logreg
