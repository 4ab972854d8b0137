#include <doctest.h>

#include <cmath>
#include <vector>
#include <cstring>
#include <random>
#include <fast_float/fast_float.h>

#include "io/decimal_conversion.hpp"
#include "io/number_parser.hpp"

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
        "expected a number, found \"n/a\"");
  CHECK(logreg::non_number_message(cell_kind::empty, "") ==
        "expected a number, found an empty cell");
  CHECK(logreg::non_number_message(cell_kind::non_finite, "inf") == "expected a finite number, found \"inf\"");
}

TEST_CASE("number parser: the fast decimal paths give fast_float's doubles, bit for bit") {
  std::mt19937_64 rng(42);
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    // Random [-]digits[.digits] with 0-12 integer and 0-12 fraction digits, some leading zeros.
    std::string s = rng() % 2 ? "-" : "";
    const int ints = static_cast<int>(rng() % 13), fracs = static_cast<int>(rng() % 13);
    for (int k = 0; k < ints; ++k) s += static_cast<char>('0' + (k == 0 && rng() % 3 ? rng() % 10 : rng() % 10));
    if (fracs > 0 || rng() % 4 == 0) {
      s += '.';
      for (int k = 0; k < fracs; ++k) s += static_cast<char>('0' + rng() % 10);
    }
    double expected;
    const auto r = fast_float::from_chars(s.data(), s.data() + s.size(), expected);
    const bool valid = r.ec == std::errc() && r.ptr == s.data() + s.size();
    std::string padded = s + ",12345678";  // a delimiter, then bytes the 8-byte loads may touch
    double a = 0, b = 0;
    const char* pa = logreg::parse_simple_decimal(s.data(), s.data() + s.size(), a);
    const char* pb = logreg::detail::parse_decimal_padded(padded.data(), b);
    CAPTURE(s);
    if (pa) {
      REQUIRE(valid);
      CHECK(pa == s.data() + s.size());
      CHECK(std::memcmp(&a, &expected, sizeof a) == 0);
      ++checked;
    }
    // Every valid decimal of at most 19 significant digits (leading zeros do not count) takes it.
    std::size_t significant = 0;
    for (char c : s) significant += c >= '0' && c <= '9' && (significant > 0 || c != '0');
    CHECK((pb != nullptr) == (valid && significant <= 19));
    if (pb) {
      CHECK(pb == padded.data() + s.size());
      CHECK(std::memcmp(&b, &expected, sizeof b) == 0);
    }
  }
  CHECK(checked > 100000);  // most cases take the fast path
}
