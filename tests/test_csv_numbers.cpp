// The CSV fast path on the number formats that pandas, numpy and R write: exponents (with and
// without sign, e or E, 1-4 digits, leading zeros), mantissas of 1-19 significant digits with the
// point at every place, subnormals, values near overflow, halfway cases, and pseudo-random doubles
// printed with %.17g, %.18e, R's 15 digits and the shortest round trip. Every cell is converted by
// the fast path's own converters (portable and SIMD) and compared with fast_float::from_chars bit
// for bit, and whole files are read by the fast path at every parser level and thread count and
// compared with the sequential reader, bit for bit.
#include <doctest.h>
#include <fast_float/fast_float.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "io/decimal_conversion.hpp"
#include "io/parallel_csv_loader.hpp"
#include "io/record_scan.hpp"
#include "io/simd_number.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"
#include "test_support.hpp"

namespace {
using logreg::detail::csv_parser_level;

struct restore_level {
  ~restore_level() {
    logreg::set_thread_count(0);
    logreg::detail::set_csv_parser_level(csv_parser_level::best);
  }
};

const std::vector<csv_parser_level> levels{csv_parser_level::scalar, csv_parser_level::sse, csv_parser_level::best};

std::string printed(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

std::string shortest(double x) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
}

// Mantissas of 1-19 significant digits with the point at every place (or none), with and without a
// sign and leading zeros, times exponents with and without sign, e or E, 1-4 digits, leading zeros.
std::vector<std::string> exponent_forms() {
  const std::string digits = "3141592653589793238", zeros = "1000000000000000000";
  std::vector<std::string> mantissas;
  for (const std::string& source : {digits, zeros})
    for (std::size_t len = 1; len <= 19; ++len) {
      const std::string d = source.substr(0, len);
      mantissas.push_back(d);
      for (std::size_t at = 0; at <= len; ++at) mantissas.push_back(d.substr(0, at) + "." + d.substr(at));
      mantissas.push_back("0.000" + d);
      mantissas.push_back("000" + d);
    }
  const std::vector<std::string> exponents{"",      "e0",    "e5",    "E5",    "e+5",    "e-5",   "E-05",  "e+005",
                                           "e22",   "e-22",  "e23",   "e-23",  "e+100",  "e-100", "e300",  "e-300",
                                           "e307",  "e-307", "e-320", "E+0300", "e1000", "e-0001", "E-340", "e-400"};
  std::vector<std::string> cells;
  for (const std::string& m : mantissas)
    for (const std::string& e : exponents)
      for (const char* sign : {"", "-"}) cells.push_back(sign + m + e);
  return cells;
}

// Subnormals, the edges of the normal range and of overflow, zeros, underflow to zero.
std::vector<std::string> edge_values() {
  return {"1e-320", "-1e-320", "4.9406564584124654e-324", "5e-324", "2.4703282292062328e-324", "2.4703282292062327e-324",
          "2.2250738585072011e-308", "2.2250738585072014e-308", "2.225073858507201e-308", "1.7976931348623157e308",
          "1.7976931348623158e308", "-1.7976931348623157E+308", "1.797693134862315708e+308", "8.98846567431158e307",
          "1e-400", "-1e-400", "0e0", "-0e-5", "0.000e10", "-0.0", "0", "9007199254740992", "9007199254740993",
          "18446744073709551615", "1844674407370955161", "9999999999999999999", "0.9999999999999999999",
          "1.9999999999999999", "9.9999999999999999e22", "4.5035996273704995e15", "123456789012345678e-20"};
}

// Mantissas with many trailing zero bits (powers of 2, 5^27) or all nines, or at the edges of 64
// bits, times every power of ten from underflow to overflow: the products in the Eisel-Lemire step
// whose low words are zero or all ones, where a wrong carry or rounding would show.
std::vector<std::string> structured_mantissas() {
  std::vector<std::string> cells;
  for (const char* m : {"1", "9007199254740992", "9007199254740993", "18014398509481984", "1152921504606846976",
                        "9223372036854775808", "9223372036854775807", "1000000000000000000", "7450580596923828125",
                        "6917529027641081856", "9999999999999999999", "4611686018427387904", "2305843009213693951"})
    for (int q = -350; q <= 310; ++q) cells.push_back(std::string(m) + "e" + std::to_string(q));
  return cells;
}

// Halfway cases: the midpoint between a double and the next, where round-half-even decides. Doubles
// in [2^52, 2^63) have midpoints with at most 19 digits: x + ulp / 2 (an integer from 2^53, x + 0.5
// below), written as integers, in scientific notation with the point at every place, with trailing
// zeros and a negative exponent; and one unit in the last place either side.
std::vector<std::string> halfway_cases(std::mt19937_64& rng) {
  std::vector<std::string> cells;
  for (int i = 0; i < 400; ++i) {
    const int e = 52 + static_cast<int>(rng() % 11);  // x in [2^e, 2^(e+1))
    const std::uint64_t x = ((std::uint64_t{1} << 52) | (rng() & ((std::uint64_t{1} << 52) - 1))) << (e - 52);
    std::vector<std::string> digits;
    if (e == 52) {
      digits.push_back(std::to_string(x) + "5");  // x + 0.5, times 10
    } else {
      const std::uint64_t mid = x + (std::uint64_t{1} << (e - 53));
      for (std::uint64_t m : {mid, mid - 1, mid + 1}) digits.push_back(std::to_string(m));
    }
    for (const std::string& d : digits) {
      const int scale = e == 52 ? 1 : 0;  // the value is d * 10^-scale
      const int len = static_cast<int>(d.size());
      if (scale == 0) cells.push_back(d);
      cells.push_back(d.substr(0, len - scale) + "." + d.substr(len - scale));
      for (int at = 1; at < len; at += 1 + i % 3)
        cells.push_back(d.substr(0, at) + "." + d.substr(at) + (i % 2 ? "e" : "E") + std::to_string(len - at - scale));
      if (len <= 16) cells.push_back(d + "000e-" + std::to_string(3 + scale));
      cells.push_back("-" + d + "e-" + std::to_string(scale));
    }
  }
  return cells;
}

// Pseudo-random doubles: every bit pattern (all magnitudes, subnormals included) and typical data,
// printed as pandas (%.17g, and the shortest round trip of repr), numpy (%.18e) and R (%.15g) do.
std::vector<std::string> random_doubles(std::mt19937_64& rng) {
  std::vector<std::string> cells;
  std::normal_distribution<double> normal;
  for (int i = 0; i < 3000; ++i) {
    double x;
    const std::uint64_t bits = rng();
    std::memcpy(&x, &bits, sizeof x);
    if (std::isfinite(x))
      for (const char* f : {"%.17g", "%.18e", "%.15g"}) cells.push_back(printed(f, x));
    const double y = normal(rng) * std::pow(10.0, static_cast<int>(rng() % 25) - 12);
    for (const char* f : {"%.17g", "%.18e", "%.15g", "%.6e", "%g", "%.10f"}) cells.push_back(printed(f, y));
    cells.push_back(shortest(x));
    cells.push_back(shortest(y));
  }
  return cells;
}

// What fast_float makes of a cell, and whether the fast path must take it itself: a finite number of
// at most 19 significant digits and at most 4 exponent digits, where Eisel-Lemire decides.
struct expected_value {
  bool number = false;  // a finite number to parse_number
  bool fast = false;    // taken by the fast converters, not handed on
  double value = 0;
};

expected_value expect(const std::string& s) {
  expected_value r;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = fast_float::from_chars(s.data(), end, r.value);
  r.number = ec == std::errc() && ptr == end && std::isfinite(r.value);
  if (!r.number) return r;
  const std::size_t e = s.find_first_of("eE");
  const fast_float::parsed_number_string pns = fast_float::parse_number_string(s.data(), end, fast_float::parse_options{});
  using binary = fast_float::binary_format<double>;
  const bool clinger = pns.mantissa <= (std::uint64_t{1} << 53) && pns.exponent >= -22 && pns.exponent <= 22;
  const bool decided = clinger || fast_float::compute_float<binary>(pns.exponent, pns.mantissa).power2 >= 0;
  const std::size_t exponent_digits = e == std::string::npos ? 0 : s.size() - e - 1 - (s[e + 1] == '-' || s[e + 1] == '+');
  r.fast = !pns.too_many_digits && decided && exponent_digits <= 4;
  return r;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

#ifdef LOGREG_SIMD_CSV
__attribute__((target("sse4.1,popcnt"))) bool simd_convert(const char* p, std::size_t len, double& out) {
  return logreg::detail::simd_number(p, len, out);
}
#endif

// Every cell through the portable and the SIMD converter: the same bits as fast_float whenever they
// take the cell, and they take every cell they must. Returns how many the SIMD converter took.
std::size_t check_converters(const std::vector<std::string>& cells) {
  logreg::detail::set_csv_parser_level(csv_parser_level::best);
  const bool simd = logreg::detail::use_simd();
  std::size_t taken = 0;
  for (const std::string& s : cells) {
    CAPTURE(s);
    const expected_value want = expect(s);
    // The cell as the record parsers see it: a separator after it, then bytes they may read (digits,
    // to catch a parser that reads past its cell).
    const std::string buffer = s + "," + std::string(64, '7');
    double a = 0;
    const char* end = logreg::detail::parse_decimal_padded(buffer.data(), a);
    if (end == buffer.data() + s.size()) {
      REQUIRE(want.number);
      CHECK(same_bits(a, want.value));
    } else {
      CHECK_FALSE(want.fast);
    }
#ifdef LOGREG_SIMD_CSV
    if (simd) {
      double b = 0;
      if (simd_convert(buffer.data(), s.size(), b)) {
        ++taken;
        REQUIRE(want.number);
        CHECK(same_bits(b, want.value));
      } else {
        CHECK_FALSE((want.fast && s.size() <= 32));
      }
    }
#endif
  }
  return simd ? taken : cells.size();
}

// A file of the cells, eight to a record with the label in the middle (so that a number ends each
// record), read by the fast path at every parser level and thread count: it must take the file and
// give the sequential reader's doubles, bit for bit.
void check_loader(const std::vector<std::string>& cells, const std::string& eol) {
  restore_level restore;
  std::string text = "c0,c1,c2,y,c3,c4,c5,c6,c7" + eol;
  const std::size_t data_start = text.size();
  for (std::size_t i = 0; i < cells.size(); i += 8) {
    for (std::size_t k = 0; k < 8; ++k) {
      if (k == 3) text += (i / 8) % 3 ? "a," : "b,";
      text += i + k < cells.size() ? cells[i + k] : "0";
      text += k < 7 ? "," : eol;
    }
  }
  test::temp_file f(text);
  logreg::column_selection cols;
  cols.target = "y";
  const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), cols, {}, {}, false);
  REQUIRE(seq.X.n_cols == (cells.size() + 7) / 8);
  REQUIRE(seq.X.n_rows == 8);
  const logreg::detail::column_roles roles{9, 3, {0, 1, 2, 4, 5, 6, 7, 8}, SIZE_MAX};
  for (csv_parser_level level : levels) {
    logreg::detail::set_csv_parser_level(level);
    for (int threads : {1, 2, 3, 7}) {
      CAPTURE(static_cast<int>(level));
      CAPTURE(threads);
      logreg::labelled_data fast;
      REQUIRE(logreg::detail::load_parallel(f.path(), data_start, text.size(), roles, ',', threads, fast, {}));
      REQUIRE(fast.X.n_elem == seq.X.n_elem);
      CHECK(std::memcmp(fast.X.memptr(), seq.X.memptr(), seq.X.n_elem * sizeof(double)) == 0);
      logreg::set_thread_count(threads);
      const logreg::labelled_data loaded = logreg::load_labelled_csv(f.path(), cols);
      CHECK(std::memcmp(loaded.X.memptr(), seq.X.memptr(), seq.X.n_elem * sizeof(double)) == 0);
      CHECK(loaded.label_index == seq.label_index);
    }
  }
}

std::vector<std::string> finite_only(const std::vector<std::string>& cells) {
  std::vector<std::string> out;
  for (const std::string& s : cells)
    if (expect(s).number) out.push_back(s);
  return out;
}

std::string error_of(const std::string& path, bool parallel) {
  try {
    logreg::load_labelled_csv(path, {}, {}, {}, parallel);
  } catch (const logreg::data_error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("csv numbers: every exponent form, mantissa length and point place converts as fast_float does") {
  std::vector<std::string> cells = exponent_forms();
  for (const std::string& s : structured_mantissas()) cells.push_back(s);
  REQUIRE(cells.size() > 20000);
  const std::size_t taken = check_converters(cells);
  CHECK(taken > cells.size() * 8 / 10);  // the rest: infinite (e300 and up), or too long for one cell
}

TEST_CASE("csv numbers: subnormals, overflow edges, halfway cases and random doubles convert as fast_float does") {
  std::mt19937_64 rng(20261205);
  std::vector<std::string> cells = edge_values();
  for (const std::string& s : halfway_cases(rng)) cells.push_back(s);
  for (const std::string& s : random_doubles(rng)) cells.push_back(s);
  REQUIRE(cells.size() > 30000);
  const std::size_t taken = check_converters(cells);
  CHECK(taken > cells.size() * 95 / 100);
}

TEST_CASE("csv numbers: files of every form are read by the fast path as by the sequential reader") {
  std::mt19937_64 rng(7);
  std::vector<std::string> cells = finite_only(exponent_forms());
  for (const std::string& s : finite_only(edge_values())) cells.push_back(s);
  for (const std::string& s : finite_only(structured_mantissas())) cells.push_back(s);
  for (const std::string& s : halfway_cases(rng)) cells.push_back(s);
  for (const std::string& s : random_doubles(rng)) cells.push_back(s);
  check_loader(cells, "\n");
  std::vector<std::string> some(cells.begin(), cells.begin() + 4000);  // CRLF: a CR after the record's last number
  check_loader(some, "\r\n");
}

TEST_CASE("csv numbers: numbers past the largest double are errors on both paths, named alike") {
  restore_level restore;
  logreg::set_thread_count(2);
  std::string good;
  for (int i = 0; i < 300; ++i) good += printed("%.18e", i * 1.5e-7) + "," + printed("%.17g", i * 0.37) + ",a\n";
  for (const std::string bad : {"1e309", "-1e309", "1.7976931348623159e308", "1e400", "1E+999", "2e308", "1e99999"}) {
    CAPTURE(bad);
    const std::string text = "x,z,y\n" + good + "1.5," + bad + ",b\n" + good;
    test::temp_file f(text);
    const std::string expected = f.path() + ":302:2 (column 'z'): expected a finite number, found \"" + bad + "\"";
    CHECK(error_of(f.path(), false) == expected);
    for (csv_parser_level level : levels) {
      logreg::detail::set_csv_parser_level(level);
      CHECK(error_of(f.path(), true) == expected);
      logreg::labelled_data out;
      CHECK_FALSE(logreg::detail::load_parallel(f.path(), 6, text.size(), {3, 2, {0, 1}, SIZE_MAX}, ',', 2, out, {}));
    }
  }
}
