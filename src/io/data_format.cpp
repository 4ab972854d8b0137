#include "io/data_format.hpp"

#include "logreg/error.hpp"

namespace logreg {

std::string to_string(data_format f) { return f == data_format::libsvm ? "libsvm" : "csv"; }

data_format parse_data_format(const std::string& text) {
  if (text == "csv") return data_format::csv;
  if (text == "libsvm" || text == "svmlight") return data_format::libsvm;
  throw usage_error("--format: expected one of csv, libsvm; got '" + text + "'");
}

data_format format_from_extension(const std::string& path, data_format otherwise) {
  std::string lower;
  for (char c : path) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  for (const std::string ext : {".svm", ".libsvm"})
    if (lower.size() > ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0 &&
        lower[lower.size() - ext.size() - 1] != '/')
      return data_format::libsvm;
  return otherwise;
}

}  // namespace logreg
