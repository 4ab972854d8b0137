#include <doctest.h>

#include <cmath>
#include <vector>

#include "logreg/number_parser.hpp"

using logreg::cell_kind;

TEST_CASE("number parser: accepted forms") {
  struct row {
    const char* text;
    double value;
  };
  for (const row& r : std::vector<row>{{"1", 1}, {"-2.5", -2.5}, {"+3", 3}, {"1e3", 1000}, {" 4 ", 4},
                                        {"0.1", 0.1}, {"-0", -0.0}, {"1.7976931348623157e308", 1.7976931348623157e308}}) {
    CAPTURE(r.text);
    double v = 0;
    REQUIRE(logreg::parse_number(r.text, v) == cell_kind::number);
    CHECK(v == r.value);
  }
}

TEST_CASE("number parser: what a non-number is") {
  double v;
  CHECK(logreg::parse_number("", v) == cell_kind::empty);
  CHECK(logreg::parse_number("  ", v) == cell_kind::empty);
  CHECK(logreg::parse_number("NA", v) == cell_kind::missing_marker);
  CHECK(logreg::parse_number("null", v) == cell_kind::missing_marker);
  CHECK(logreg::parse_number("nan", v) == cell_kind::non_finite);
  CHECK(logreg::parse_number("-inf", v) == cell_kind::non_finite);
  CHECK(logreg::parse_number("1e400", v) == cell_kind::non_finite);
  CHECK(logreg::parse_number("three", v) == cell_kind::text);
  CHECK(logreg::parse_number("1,5", v) == cell_kind::text);
  CHECK(logreg::parse_number("++1", v) == cell_kind::text);
  CHECK(logreg::non_number_message(cell_kind::text, "n/a") ==
        "expected a number, found \"n/a\" (the column is not numeric; categorical features are not supported yet)");
  CHECK(logreg::non_number_message(cell_kind::empty, "") ==
        "expected a number, found an empty cell (missing values are not supported yet)");
  CHECK(logreg::non_number_message(cell_kind::non_finite, "inf") == "expected a finite number, found \"inf\"");
}
