// Parsing one CSV cell as a double: fast_float, optional surrounding blanks and leading '+'.
#pragma once
#include <string>
#include <string_view>

namespace logreg {

enum class cell_kind { number, empty, missing_marker, non_finite, text };

// On success returns cell_kind::number and sets value. Otherwise says what the cell is instead.
cell_kind parse_number(std::string_view cell, double& value);

// "expected a number, found ..." for a cell that is not a number (kind != number).
std::string non_number_message(cell_kind kind, std::string_view cell);

// Shortest text that reads back as exactly the same double (std::to_chars; locale-independent).
std::string format_double(double x);

}  // namespace logreg
