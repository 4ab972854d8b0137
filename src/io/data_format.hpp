// The kinds of input train, predict and eval read: CSV with a header (dense) or libsvm / svmlight
// text (sparse, libsvm_reader.hpp).
#pragma once
#include <string>

namespace logreg {

enum class data_format { csv, libsvm };

std::string to_string(data_format f);
// "csv" or "libsvm" (also "svmlight"); throws usage_error naming --format otherwise.
data_format parse_data_format(const std::string& text);
// libsvm for a path ending in .svm or .libsvm (any case), else `otherwise` (standard input: "-" or "").
data_format format_from_extension(const std::string& path, data_format otherwise);

}  // namespace logreg
