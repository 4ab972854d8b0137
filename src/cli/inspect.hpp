// The inspect command's two views (inspect.cpp: binary models; inspect_classes.cpp: models of K
// classes) and the formatting they share.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "logreg/inference.hpp"
#include "logreg/model.hpp"

namespace logreg::cli {

std::string fmt(const char* format, double x);  // snprintf of one number
std::string format_p(double p);                 // 3 significant digits, "<2e-16" below machine epsilon
std::string percent(double x);                  // 0.025 -> "2.5 %"
std::string right(const std::string& s, std::size_t width);
std::string number_cell(double x);              // 7 significant digits; "" for NaN and infinities
nlohmann::json number_or_null(double x);

// The sentence after "Coefficients: ": maximum likelihood or APPROXIMATE (penalised), which errors,
// which intervals.
std::string method_text(const model& m, bool exact, const std::string& covariance_type, double level);
// The statistics below the table, one line each; null_model names what the LR test compares with.
std::string statistics_text(const fit_statistics& s, bool exact, const std::string& null_model);
nlohmann::json statistics_json(const fit_statistics& s);
// "input        14 columns: 6 numeric, 8 categorical (104 terms); missing cells: impute\n" for a
// model with an encoding (format version 2); "" for others.
std::string input_summary(const model& m);
// "chosen by" and the cross-validation that chose C (logreg cv -m), or "" for a plain train.
std::string cv_line(const model& m);

// inspect for a model of K > 2 classes.
int inspect_classes(const model& m, const std::string& path, double level, bool robust, bool json_output);

}  // namespace logreg::cli
