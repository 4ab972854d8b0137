#include "predict/libsvm_predictor.hpp"

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "io/csv_reader.hpp"
#include "logreg/error.hpp"
#include "io/libsvm_reader.hpp"
#include "base/numerics.hpp"
#include "base/parallel.hpp"

namespace logreg {

namespace {

// The score of row r of a part: b + sum of w[j] x_j over its non-zeros j < d, in index order.
double sparse_score(const std::vector<double>& w, double b, const libsvm_rows& part, std::size_t r) {
  double z = b;
  const std::size_t d = w.size();
  for (std::size_t k = part.row_ptr[r]; k < part.row_ptr[r + 1] && part.col[k] < d; ++k) z += w[part.col[k]] * part.val[k];
  return z;
}

// Probabilities of row r: binary, p[0] = P(positive); K classes, p[0..K) (softmax or normalised
// sigmoids), as predictor.cpp computes them from a dense row.
void row_probabilities(const model& m, const libsvm_rows& part, std::size_t r, double* p) {
  if (m.binary()) {
    p[0] = sigmoid(sparse_score(m.coefficients, m.intercept, part, r));
    return;
  }
  const std::size_t K = m.classes.size();
  double top = -INFINITY;
  for (std::size_t k = 0; k < K; ++k) {
    p[k] = sparse_score(m.class_coefficients[k], m.class_intercepts[k], part, r);
    top = std::max(top, p[k]);
  }
  double sum = 0;
  for (std::size_t k = 0; k < K; ++k) {
    p[k] = m.kind == "ovr" ? sigmoid(p[k]) : std::exp(p[k] - top);
    sum += p[k];
  }
  for (std::size_t k = 0; k < K; ++k) p[k] /= sum;
}

void append_number(std::string& out, double x) {
  char buf[32];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
}

void write_all(std::FILE* out, const std::string& text, const std::string& name) {
  if ((!text.empty() && std::fwrite(text.data(), 1, text.size(), out) != text.size()) || std::fflush(out) != 0)
    throw data_error(name + ": cannot write the predictions: " + std::strerror(errno));
}

}  // namespace

void check_libsvm_model(const model& m, const std::string& model_name) {
  if (m.input_format == "libsvm") return;
  std::string columns;
  for (std::size_t j = 0; j < m.features.size() && j < 3; ++j) columns += (j ? ", '" : "'") + m.features[j] + "'";
  if (m.features.size() > 3) columns += ", ...";
  throw data_error(model_name + ": the model was trained on CSV columns (" + columns +
                   "), so it reads CSV input, not libsvm (use --format csv)");
}

std::size_t predict_libsvm(const model& m, const std::string& input, std::FILE* out, const predict_options& options,
                           const progress_callbacks& progress) {
  check_libsvm_model(m, "the model");
  libsvm_reader reader(input);
  const std::size_t K = m.classes.size();
  std::vector<std::string> class_fields;
  for (const std::string& c : m.classes) {
    class_fields.emplace_back();
    append_csv_field(class_fields.back(), c);
  }
  std::string head;
  if (!options.proba_only) head += "label,";
  if (m.binary() && !options.all_probabilities) {
    head += "probability\n";
  } else {
    for (std::size_t k = 0; k < K; ++k) {
      append_csv_field(head, "probability_" + m.classes[k]);
      head.push_back(k + 1 < K ? ',' : '\n');
    }
  }
  write_all(out, head, options.output_name);
  std::vector<std::string> text;
  std::size_t total = 0;
  const int T = thread_count();
  for (;;) {
    const std::vector<libsvm_rows>& parts = reader.next_block(T);
    if (parts.empty()) break;
    text.resize(parts.size());
    run_parallel(static_cast<int>(parts.size()), [&](int t) {
      const libsvm_rows& part = parts[static_cast<std::size_t>(t)];
      std::string& s = text[static_cast<std::size_t>(t)];
      s.clear();
      std::vector<double> p(K);
      for (std::size_t r = 0; r < part.rows(); ++r) {
        row_probabilities(m, part, r, p.data());
        if (m.binary()) {
          if (!options.proba_only) {
            s += class_fields[p[0] >= options.threshold ? 1 : 0];
            s.push_back(',');
          }
          if (options.all_probabilities) {
            append_number(s, 1.0 - p[0]);
            s.push_back(',');
          }
          append_number(s, p[0]);
          s.push_back('\n');
          continue;
        }
        if (!options.proba_only) {
          std::size_t best = 0;
          for (std::size_t k = 1; k < K; ++k)
            if (p[k] > p[best]) best = k;
          s += class_fields[best];
          s.push_back(',');
        }
        for (std::size_t k = 0; k < K; ++k) {
          append_number(s, p[k]);
          s.push_back(k + 1 < K ? ',' : '\n');
        }
      }
    });
    for (std::size_t t = 0; t < parts.size(); ++t) {
      write_all(out, text[t], options.output_name);
      total += parts[t].rows();
    }
    if (progress.on_load) progress.on_load(reader.bytes_consumed(), reader.total_bytes(), reader.rows());
  }
  return total;
}

scored_rows score_labelled_libsvm(const model& m, const std::string& input, const progress_callbacks& progress) {
  check_libsvm_model(m, "the model");
  libsvm_reader reader(input);
  const std::size_t K = m.classes.size();
  struct part_result {
    scored_rows rows;
    std::size_t bad = SIZE_MAX;  // the first row whose label is not a class
  };
  std::vector<part_result> results;
  scored_rows out;
  const int T = thread_count();
  for (;;) {
    const std::vector<libsvm_rows>& parts = reader.next_block(T);
    if (parts.empty()) break;
    results.assign(parts.size(), part_result{});
    run_parallel(static_cast<int>(parts.size()), [&](int t) {
      const libsvm_rows& part = parts[static_cast<std::size_t>(t)];
      part_result& res = results[static_cast<std::size_t>(t)];
      std::vector<double> p(K);
      for (std::size_t r = 0; r < part.rows(); ++r) {
        const auto it = std::find(m.classes.begin(), m.classes.end(), part.label[r]);
        if (it == m.classes.end()) {
          res.bad = r;
          return;
        }
        row_probabilities(m, part, r, p.data());
        if (m.binary()) {
          res.rows.is_positive.push_back(it == m.classes.begin() + 1 ? 1 : 0);
          res.rows.probability.push_back(p[0]);
        } else {
          res.rows.truth.push_back(static_cast<std::uint32_t>(it - m.classes.begin()));
          res.rows.probability.insert(res.rows.probability.end(), p.begin(), p.end());
        }
      }
    });
    for (std::size_t t = 0; t < parts.size(); ++t) {
      const part_result& res = results[t];
      if (res.bad != SIZE_MAX) {
        const std::string label(parts[t].label[res.bad]);
        const std::string place = reader.source() + ":" + std::to_string(parts[t].line[res.bad]) + ":1";
        if (m.binary())
          throw data_error(place + ": the label '" + label + "' is not one of the model's classes ('" +
                           m.negative_class() + "', '" + m.positive_class() + "')");
        throw data_error(place + ": the label '" + label + "' is not one of the model's " + std::to_string(K) +
                         " classes");
      }
      out.is_positive.insert(out.is_positive.end(), res.rows.is_positive.begin(), res.rows.is_positive.end());
      out.truth.insert(out.truth.end(), res.rows.truth.begin(), res.rows.truth.end());
      out.probability.insert(out.probability.end(), res.rows.probability.begin(), res.rows.probability.end());
    }
    if (progress.on_load) progress.on_load(reader.bytes_consumed(), reader.total_bytes(), reader.rows());
  }
  if (out.probability.empty())
    throw data_error(reader.source() + ": no data rows (the input is empty or holds only blank and comment lines)");
  return out;
}

}  // namespace logreg
