#include "predict/prediction_writer.hpp"

#include <algorithm>
#include <charconv>

#include "io/csv_reader.hpp"
#include "base/text.hpp"

namespace logreg {

prediction_writer::prediction_writer(const model& m, const predict_options* predict) : m_(m), predict_(predict) {
  for (const std::string& c : m.classes) {
    class_fields_.emplace_back();
    append_csv_field(class_fields_.back(), c);
  }
}

std::string prediction_writer::header(const std::vector<std::string>& kept_names) const {
  std::string head;
  for (const std::string& k : kept_names) {
    append_csv_field(head, k);
    head.push_back(',');
  }
  if (!predict_->proba_only) head += "label,";
  if (m_.binary() && !predict_->all_probabilities) {
    head += "probability\n";
  } else {
    for (std::size_t k = 0; k < m_.classes.size(); ++k) {
      append_csv_field(head, "probability_" + m_.classes[k]);
      head.push_back(k + 1 < m_.classes.size() ? ',' : '\n');
    }
  }
  return head;
}

bool prediction_writer::emit(prediction_sink& out, const std::string_view* kept, std::size_t n_kept,
                             std::string_view label, const double* p, std::string& error) const {
  const std::size_t K = m_.classes.size();
  ++out.rows;
  if (!predict_) {
    if (m_.binary()) {
      if (label == m_.positive_class()) out.is_positive.push_back(1);
      else if (label == m_.negative_class()) out.is_positive.push_back(0);
      else {
        error = "the label '" + printable(label) + "' is not one of the model's classes ('" + printable(m_.negative_class()) +
                "', '" + printable(m_.positive_class()) + "')";
        return false;
      }
      out.probability.push_back(p[0]);
      return true;
    }
    const auto it = std::find(m_.classes.begin(), m_.classes.end(), label);
    if (it == m_.classes.end()) {
      error = "the label '" + printable(label) + "' is not one of the model's " + std::to_string(K) + " classes";
      return false;
    }
    out.truth.push_back(static_cast<std::uint32_t>(it - m_.classes.begin()));
    out.probability.insert(out.probability.end(), p, p + K);
    return true;
  }
  for (std::size_t i = 0; i < n_kept; ++i) {
    append_csv_field(out.text, kept[i]);
    out.text.push_back(',');
  }
  char buf[32];
  if (m_.binary()) {
    if (!predict_->proba_only) {
      out.text += class_fields_[p[0] >= predict_->threshold ? 1 : 0];
      out.text.push_back(',');
    }
    if (predict_->all_probabilities) {
      out.text.append(buf, std::to_chars(buf, buf + sizeof buf, 1.0 - p[0]).ptr);
      out.text.push_back(',');
    }
    out.text.append(buf, std::to_chars(buf, buf + sizeof buf, p[0]).ptr);
    out.text.push_back('\n');
    return true;
  }
  if (!predict_->proba_only) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < K; ++k)
      if (p[k] > p[best]) best = k;
    out.text += class_fields_[best];
    out.text.push_back(',');
  }
  for (std::size_t k = 0; k < K; ++k) {
    out.text.append(buf, std::to_chars(buf, buf + sizeof buf, p[k]).ptr);
    out.text.push_back(k + 1 < K ? ',' : '\n');
  }
  return true;
}

}  // namespace logreg
