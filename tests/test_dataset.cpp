// The loader: the parallel fast path and the sequential reader give the same data, bit for bit,
// whatever the thread count, and the same error messages.
#include <doctest.h>

#include <algorithm>
#include <random>

#include "data/dataset.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"
#include "io/parallel_csv_loader.hpp"
#include "io/record_scan.hpp"
#include "io/text_dictionary.hpp"
#include "test_support.hpp"

namespace {
using logreg::detail::csv_parser_level;

struct restore_threads {
  ~restore_threads() {
    logreg::set_thread_count(0);
    logreg::detail::set_csv_parser_level(csv_parser_level::best);
  }
};

// Every record parser of the fast path (the SIMD one where the CPU has it, and the portable one).
const std::vector<csv_parser_level> parser_levels{csv_parser_level::scalar, csv_parser_level::sse, csv_parser_level::best};

void check_same(const logreg::labelled_data& a, const logreg::labelled_data& b) {
  CHECK(a.feature_names == b.feature_names);
  CHECK(a.target_name == b.target_name);
  CHECK(a.labels == b.labels);
  CHECK(a.label_index == b.label_index);
  CHECK((a.compact == nullptr) == (b.compact == nullptr));
  const arma::mat A = a.dense_terms(), B = b.dense_terms();
  REQUIRE(A.n_rows == B.n_rows);
  REQUIRE(A.n_cols == B.n_cols);
  CHECK(std::memcmp(A.memptr(), B.memptr(), A.n_elem * sizeof(double)) == 0);
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

TEST_CASE("loader: parallel and sequential paths agree bit for bit, for any thread count") {
  restore_threads restore;
  // Numbers in many forms: signs, exponents, long mantissas, blanks, '+', integers; labels that
  // first appear late (label order is by first appearance in the file).
  std::string body;
  for (int i = 0; i < 3000; ++i) {
    body += std::to_string(i * 0.001 - 1.5) + "," + (i % 7 == 0 ? "+" : "") + std::to_string(i) + "e-3," +
            (i % 11 == 0 ? " 2.5 " : "-0.1234567890123456789") + ",id" + std::to_string(i) + "," +
            (i < 2000 ? "no" : (i % 2 ? "yes" : "no")) + "\n";
  }
  const std::vector<std::string> line_ends{"\n", "\r\n", "\r"};
  for (const std::string& eol : line_ends) {
    std::string text = "a,b,c,id,y" + eol;
    for (char ch : body) {
      if (ch == '\n') text += eol;
      else text += ch;
    }
    for (bool final_newline : {true, false}) {
      CAPTURE(eol.size());
      CAPTURE(final_newline);
      test::temp_file f(final_newline ? text : text.substr(0, text.size() - eol.size()));
      logreg::column_selection cols;
      cols.ignore = {"id"};
      const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), cols, {}, {}, false);
      CHECK(seq.n_rows() == 3000);
      CHECK(seq.labels == std::vector<std::string>{"no", "yes"});
      for (csv_parser_level level : parser_levels) {
        logreg::detail::set_csv_parser_level(level);
        for (int threads : {1, 2, 3, 7}) {
          logreg::set_thread_count(threads);
          check_same(logreg::load_labelled_csv(f.path(), cols), seq);
        }
      }
    }
  }
}

TEST_CASE("loader: files the fast path declines are read by the sequential path") {
  restore_threads restore;
  logreg::set_thread_count(2);
  // Quoted fields that hold a line end, a number with the delimiter in quotes, quotes inside
  // unquoted cells (characters to the sequential reader): handled (by the fallback), with the same
  // result as sequential reading.
  const logreg::detail::column_roles roles{3, 2, {0, 1}, SIZE_MAX};
  for (const std::string& text :
       {std::string("a,b,y\n1,2,x\"w\"\n3,4,z\n"),
        std::string("a,b,y\n1,2,\"x\nw\"\n3,4,z\n"), std::string("a,b,y\r\n1,2,\"x\r\nw\"\r\n3,4,z\r\n"),
        std::string("a,b,y\n1,\"2,\",x\n3,4,z\n"), std::string("a,b,y\n1,2,x\"\n3,4,\"z\"\n")}) {
    CAPTURE(text);
    test::temp_file f(text);
    const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), {}, {}, {}, false);
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      logreg::labelled_data out;
      CHECK_FALSE(logreg::detail::load_parallel(f.path(), text.find('1'), text.size(), roles, ',', 2, out, {}));
      check_same(logreg::load_labelled_csv(f.path(), {}), seq);
    }
  }
}

namespace {
// A file as R's write.csv and pandas' QUOTE_ALL / QUOTE_NONNUMERIC write it: the header and texts
// quoted (a doubled quote for a quote), numbers bare or quoted, CR LF or LF.
std::string quoted_file(const std::string& eol, bool quote_numbers, bool categorical) {
  std::string text = "\"a\",\"b\",\"c\",\"y\"" + eol;
  const std::vector<std::string> labels{"\"no\"",     "\"yes\"", "\"say \"\"maybe\"\"\"", "\"\"\"\"\"\"",
                                        "\"x\"\"\"", "plain",   "\"a, b\""};
  const std::vector<std::string> levels{"\"red\"", "\"dark \"\"blue\"\"\"", "\"light, \"\"pale\"\" green\"",
                                        "green",   "\"\"",                 "\"NA\""};
  for (int i = 0; i < 5000; ++i) {
    const std::string a = std::to_string(i * 0.001 - 2.5), b = std::to_string(i % 17) + "e-2";
    text += (quote_numbers && i % 3 ? "\"" + a + "\"" : a) + "," + (quote_numbers ? "\"" + b + "\"" : b) + "," +
            (categorical ? levels[static_cast<std::size_t>(i) % (i < 10 ? 3 : levels.size())] : "\"" + std::to_string(i % 5) + "\"") +
            "," + labels[static_cast<std::size_t>(i * 5 + i / 100) % labels.size()] + eol;
  }
  return text;
}
}  // namespace

TEST_CASE("loader: quoted fields as R and pandas write them are read by the fast paths, as sequentially") {
  restore_threads restore;
  for (const std::string eol : {"\n", "\r\n"})
    for (bool quote_numbers : {false, true}) {
      CAPTURE(eol.size());
      CAPTURE(quote_numbers);
      const std::string text = quoted_file(eol, quote_numbers, false);
      test::temp_file f(text);
      const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), {}, {}, {}, false);
      REQUIRE(seq.n_rows() == 5000);
      CHECK(seq.feature_names == std::vector<std::string>{"a", "b", "c"});
      std::vector<std::string> labels = seq.labels;
      std::sort(labels.begin(), labels.end());
      CHECK(labels == std::vector<std::string>{"\"\"", "a, b", "no", "plain", "say \"maybe\"", "x\"", "yes"});
      const logreg::detail::column_roles roles{4, 3, {0, 1, 2}, SIZE_MAX};
      for (csv_parser_level level : parser_levels) {
        logreg::detail::set_csv_parser_level(level);
        for (int threads : {1, 2, 3}) {
          logreg::set_thread_count(threads);
          logreg::labelled_data fast;  // the numeric fast path takes it, and reads what the sequential reader reads
          REQUIRE(logreg::detail::load_parallel(f.path(), text.find(eol) + eol.size(), text.size(), roles, ',', threads,
                                                fast, {}));
          CHECK(fast.labels == seq.labels);
          CHECK(fast.label_index == seq.label_index);
          CHECK(std::memcmp(fast.X.memptr(), seq.X.memptr(), seq.X.n_elem * sizeof(double)) == 0);
          check_same(logreg::load_labelled_csv(f.path(), {}), seq);
        }
      }
    }
}

TEST_CASE("loader: a quoted field across the count pass's 4 MB block boundary, with and without a line end in it") {
  restore_threads restore;
  logreg::set_thread_count(1);  // one range: blocks start at the first record (byte 6)
  // Records 'D,"abcd",p\n' of 11 bytes from byte 6 (t, quoted text, ignored): 4 MB is 4 bytes into
  // record 381,300, its 'b'.
  std::string text = "x,t,y\n";
  for (int i = 0; i < 500000; ++i) text += std::to_string(i % 10) + (i % 3 ? ",\"abcd\",p\n" : ",\"abcd\",q\n");
  const std::size_t boundary = 6 + (4 << 20);
  REQUIRE(text.substr(boundary - 4, 11) == "0,\"abcd\",q\n");
  const logreg::detail::column_roles roles{3, 2, {0}, SIZE_MAX};
  logreg::column_selection cols;
  cols.ignore = {"t"};
  for (bool line_end : {false, true}) {
    CAPTURE(line_end);
    if (line_end) text[boundary] = '\n';  // '0,"a\ncd",p\n': one record for the sequential reader
    test::temp_file f(text);
    const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), cols, {}, {}, false);
    CHECK(seq.n_rows() == 500000);
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      logreg::labelled_data out;
      CHECK(logreg::detail::load_parallel(f.path(), 6, text.size(), roles, ',', 1, out, {}) == !line_end);
      check_same(logreg::load_labelled_csv(f.path(), cols), seq);
    }
  }
}

TEST_CASE("loader: errors are the same from both paths and name the place") {
  restore_threads restore;
  logreg::set_thread_count(2);
  std::string good;
  for (int i = 0; i < 500; ++i) good += std::to_string(i) + "," + std::to_string(i % 3) + "," + (i % 2 ? "a" : "b") + "\n";
  struct row {
    std::string text;
    std::string message;  // after the file name
  };
  const std::vector<row> table{
      {"x,z,y\n" + good + "1,inf,a\n", ":502:2 (column 'z'): expected a finite number, found \"inf\""},
      {"x,z,y\n" + good + "1,,a\n", ":502:2 (column 'z'): missing value (an empty cell); --missing drop leaves such rows out, --missing impute fills them in"},
      {"x,z,y\n" + good + "1,NA,a\n", ":502:2 (column 'z'): missing value (\"NA\"); --missing drop leaves such rows out, --missing impute fills them in"},
      {"x,z,y\n" + good + "1,nan,a\n", ":502:2 (column 'z'): expected a finite number, found \"nan\""},
      {"x,z,y\n1,2,a\n" + good + "1,2\n", ":503: expected 3 fields as in the header, found 2"},
      {"x,z,y\n" + good + "1,2,a,4\n", ":502: expected 3 fields as in the header, found 4"},
      {"x,z,y\n" + good + "1,2,\n", ":502:3 (column 'y'): the target is missing (an empty cell); every row needs a label (--missing drop leaves such rows out)"},
      // Found by fuzzing (tests/fuzz/csv_fast_path.cpp): the fast path took these labels as classes.
      {"x,z,y\n" + good + "1,2,?\n", ":502:3 (column 'y'): the target is missing (\"?\"); every row needs a label (--missing drop leaves such rows out)"},
      {"x,z,y\n" + good + "1,2,NA\n", ":502:3 (column 'y'): the target is missing (\"NA\"); every row needs a label (--missing drop leaves such rows out)"},
      {"x,z,y\n" + good + "1,2, \n", ":502:3 (column 'y'): the target is missing (an empty cell); every row needs a label (--missing drop leaves such rows out)"},
      {"x,z,y\n", ": the header has no data rows below it"},
      {"x,z,y\n" + good + "1,2,\"a", ":502:3 (column 'y'): unclosed quote: the quoted field that starts here never ends"},
      {"x,z,y\n" + good + "1,2,\"a\"b\n", ":502:3 (column 'y'): unexpected character 'b' after the closing quote of a quoted field"},
  };
  for (const row& r : table) {
    test::temp_file f(r.text);
    CAPTURE(r.message);
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      CHECK(error_of(f.path(), true) == f.path() + r.message);
    }
    CHECK(error_of(f.path(), false) == f.path() + r.message);
  }
}

TEST_CASE("loader: a lone CR in an LF file is a line end on both paths") {
  restore_threads restore;
  logreg::set_thread_count(2);
  test::temp_file f("x,y\n1,a\n2,b\rc\n4,b\n5,a\n0,b\n");
  CHECK(error_of(f.path(), true) == f.path() + ":4: expected 2 fields as in the header, found 1");
  CHECK(error_of(f.path(), false) == f.path() + ":4: expected 2 fields as in the header, found 1");
}

TEST_CASE("loader: every cell form at every length reads the same on both paths") {
  restore_threads restore;
  // Cells of 1 to 22 characters: digits with the point at each place (or none), a leading '-' or '+',
  // 15 and 16 digits (the SIMD path takes at most 15), "5.", ".5", "-.5", "-0", exponents, blanks.
  std::vector<std::string> cells{"0", "-0", "5.", ".5", "-.5", "-0.0", "+7", " 3", "4 ", "1e5", "-2.5E-3",
                                 "123456789012345", "1234567890123456", "-123456789012345", "12345678901234567",
                                 "9007199254740993", "0.1234567890123456789", "00000000000000012", "1.", "-9."};
  const std::string digits = "31415926535897932384";
  for (std::size_t len = 1; len <= 20; ++len) {
    std::string negative(1, '-');  // built step by step: g++ 12 warns (-Wrestrict) on "-" + std::string
    cells.push_back(digits.substr(0, len));
    cells.push_back(negative + digits.substr(0, len));
    for (std::size_t dot = 0; dot <= len; ++dot) {
      std::string c = digits.substr(0, len);
      c.insert(c.begin() + static_cast<std::ptrdiff_t>(dot), '.');
      cells.push_back(c);
      cells.push_back(negative + c);
    }
  }
  // And 6,000 pseudo-random decimals of 1 to 17 digits, the point anywhere (a fixed LCG: reproducible).
  std::uint64_t state = 12345;
  auto next = [&state] { return (state = state * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
  for (int i = 0; i < 6000; ++i) {
    const std::size_t len = 1 + next() % 17;
    std::string c;
    if (next() % 2) c += '-';
    for (std::size_t k = 0; k < len; ++k) c += static_cast<char>('0' + next() % 10);
    const std::size_t dot = next() % (len + 2);
    if (dot <= len) c.insert(c.end() - static_cast<std::ptrdiff_t>(dot), '.');
    cells.push_back(c);
  }
  // More than eight distinct labels (the first eight are matched by a scan, the rest by a table).
  std::string text = "a,b,y,c\n";
  for (std::size_t i = 0; i < cells.size(); ++i)
    text += cells[i] + "," + cells[(i * 7 + 3) % cells.size()] + ",L" + std::to_string(i % 13) + "," +
            cells[(i * 5 + 1) % cells.size()] + "\n";
  for (const std::string& eol : {std::string("\n"), std::string("\r\n")}) {
    std::string t;
    for (char ch : text) {
      if (ch == '\n') t += eol;
      else t += ch;
    }
    CAPTURE(eol.size());
    test::temp_file f(t);
    logreg::column_selection cols;
    cols.target = "y";  // in the middle of the record
    const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), cols, {}, {}, false);
    REQUIRE(seq.n_rows() == cells.size());
    CHECK(seq.labels.size() == 13);
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      for (int threads : {1, 2, 3, 5}) {
        logreg::set_thread_count(threads);
        check_same(logreg::load_labelled_csv(f.path(), cols), seq);
      }
    }
  }
}

TEST_CASE("loader: tiny files, and a record longer than the parser's block, on both paths") {
  restore_threads restore;
  logreg::set_thread_count(2);
  // Shorter than the 64 bytes the SIMD parser may read past a record: parsed from a padded copy.
  for (const std::string& text : {std::string("a,y\n1,x\n"), std::string("a,y\n1,x"), std::string("a,y\r\n-2.5,x\r\n"),
                                  std::string("a,b,y\n1,2,x\n3,4,z\n5,6,x")}) {
    test::temp_file f(text);
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      check_same(logreg::load_labelled_csv(f.path(), {}), logreg::load_labelled_csv(f.path(), {}, {}, {}, false));
    }
  }
  // A 5 MB label: one record longer than a 4 MB block.
  std::string text = "a,y\n";
  for (int i = 0; i < 100; ++i) text += std::to_string(i) + "," + (i == 50 ? std::string(5 << 20, 'q') : "p") + "\n";
  test::temp_file f(text);
  const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), {}, {}, {}, false);
  REQUIRE(seq.labels.size() == 2);
  for (csv_parser_level level : parser_levels) {
    logreg::detail::set_csv_parser_level(level);
    check_same(logreg::load_labelled_csv(f.path(), {}), seq);
  }
}

TEST_CASE("loader: a CRLF split by the count pass's 4 MB block boundary, and a lone CR there") {
  restore_threads restore;
  logreg::set_thread_count(1);  // one range: blocks start at the first record (byte 5)
  // Records "d,a\r\n" of 5 bytes from byte 5: record 838,860's CR is the last byte of the first block.
  std::string text = "x,y\r\n";
  for (int i = 0; i < 900000; ++i) text += std::to_string(i % 10) + (i % 3 ? ",a\r\n" : ",b\r\n");
  REQUIRE(text[5 + (4 << 20) - 1] == '\r');
  {
    test::temp_file f(text);
    const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), {}, {}, {}, false);
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      check_same(logreg::load_labelled_csv(f.path(), {}), seq);
    }
  }
  text[5 + (4 << 20)] = '7';  // the CR now ends a line by itself: "d,a\r", then "7" joins the next record
  test::temp_file f(text);
  const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), {}, {}, {}, false);
  CHECK(seq.n_rows() == 900000);
  for (csv_parser_level level : parser_levels) {
    logreg::detail::set_csv_parser_level(level);
    check_same(logreg::load_labelled_csv(f.path(), {}), seq);
  }
}

TEST_CASE("loader: a file that is shorter than when it was measured (truncated meanwhile) is declined, not a crash") {
  restore_threads restore;
  // The fast path maps as many bytes as the file had when its size was taken; pages past the new
  // end raise SIGBUS when read. Simulated by giving load_parallel a size 1 MB larger than the file.
  std::string text = "x,y\n";
  for (int i = 0; i < 20000; ++i) text += std::to_string(i % 97) + (i % 2 ? ",a\n" : ",b\n");
  test::temp_file f(text);
  logreg::detail::column_roles roles{2, 1, {0}, SIZE_MAX};
  for (int threads : {1, 2}) {
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      logreg::labelled_data out;
      CHECK_FALSE(logreg::detail::load_parallel(f.path(), 4, text.size() + (1 << 20), roles, ',', threads, out, {}));
    }
  }
  // The same call with the true size reads it.
  logreg::labelled_data out;
  REQUIRE(logreg::detail::load_parallel(f.path(), 4, text.size(), roles, ',', 2, out, {}));
  CHECK(out.n_rows() == 20000);
  // And loading it as a user does still works afterwards (the handler is gone again).
  CHECK(logreg::load_labelled_csv(f.path(), {}).n_rows() == 20000);
}

namespace {
// Everything the typed loader learns and builds, compared bit for bit.
void check_same_typed(const logreg::labelled_data& a, const logreg::labelled_data& b) {
  check_same(a, b);
  CHECK(a.weights.n_elem == b.weights.n_elem);
  if (a.weights.n_elem == b.weights.n_elem && a.weights.n_elem > 0)
    CHECK(std::memcmp(a.weights.memptr(), b.weights.memptr(), a.weights.n_elem * sizeof(double)) == 0);
  CHECK(a.rows_dropped == b.rows_dropped);
  CHECK(a.first_dropped == b.first_dropped);
  CHECK(a.notes == b.notes);
  CHECK(a.warnings == b.warnings);
  CHECK(a.bytes == b.bytes);
  REQUIRE(a.encoding.columns.size() == b.encoding.columns.size());
  for (std::size_t k = 0; k < a.encoding.columns.size(); ++k) {
    const logreg::input_column &x = a.encoding.columns[k], &y = b.encoding.columns[k];
    CAPTURE(x.name);
    CHECK(x.name == y.name);
    CHECK(x.categorical == y.categorical);
    CHECK(x.levels == y.levels);
    CHECK(x.numeric_levels == y.numeric_levels);
    CHECK(x.drop_first == y.drop_first);
    CHECK(x.missing_level == y.missing_level);
    CHECK(x.has_impute == y.has_impute);
    CHECK(std::memcmp(&x.impute, &y.impute, sizeof(double)) == 0);
  }
}

std::string typed_error_of(const std::string& path, const logreg::column_selection& cols,
                           const logreg::encoding_options& e, bool parallel) {
  try {
    logreg::load_labelled_csv(path, cols, {}, {}, parallel, e);
  } catch (const logreg::data_error& err) {
    return err.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("typed loader: categorical columns and missing cells read the same in parallel and sequentially") {
  restore_threads restore;
  // x: numbers with missing cells ("", "NA", and -999 when it is a marker); c: text levels, one of
  // them seen only in the first row, which --missing drop leaves out (a level all the same), one
  // first seen late; r: numeric codes (--categorical), "2.0" and "2" the same level; w: weights,
  // one missing; y: a class first seen in that dropped first row (not first in the label order
  // then) and later in kept ones.
  std::string body;
  for (int i = 0; i < 6000; ++i) {
    const std::string x = i == 0 || i % 97 == 5 ? "" : i % 101 == 7 ? "NA" : i % 89 == 3 ? "-999" : std::to_string(i * 0.37 - 900);
    const std::string c = i == 0 ? "only-dropped" : i == 4000 ? "" : i > 5000 && i % 3 == 0 ? "late" : (i % 2 ? "p" : "q");
    const std::string r = i % 5 == 0 ? "2.0" : std::to_string(i % 4);
    const std::string w = i == 20 ? "NA" : std::to_string(1 + i % 3);
    const std::string y = i == 0 || i == 30 ? "maybe" : i % 3 ? "yes" : "no";
    body += x + "," + c + ",id" + std::to_string(i) + "," + r + "," + w + "," + y + "\n";
  }
  body += "1.5,p,id,1,1,no";  // no final line end
  struct setting {
    logreg::missing_mode missing;
    std::vector<std::string> na_values;  // empty: the defaults
  };
  const std::vector<setting> settings{
      {logreg::missing_mode::drop, {}}, {logreg::missing_mode::drop, {"NA", "-999"}},
      {logreg::missing_mode::impute, {}}, {logreg::missing_mode::error, {}}};
  for (const std::string& eol : {std::string("\n"), std::string("\r\n")}) {
    std::string text = "x,c,id,r,w,y" + eol;
    for (char ch : body) {
      if (ch == '\n') text += eol;
      else text += ch;
    }
    test::temp_file f(text);
    for (const setting& s : settings) {
      for (bool weighted : {false, true}) {
        logreg::column_selection cols;
        cols.ignore = {"id"};
        if (weighted) cols.weight = "w";
        else cols.ignore.push_back("w");
        logreg::encoding_options e;
        e.missing = s.missing;
        if (!s.na_values.empty()) e.na_values = s.na_values;
        e.categorical = {"r"};
        CAPTURE(eol.size());
        CAPTURE(static_cast<int>(s.missing));
        CAPTURE(s.na_values.size());
        CAPTURE(weighted);
        const std::string seq_error = typed_error_of(f.path(), cols, e, false);
        if (seq_error != "no error") {  // (error: the first missing cell; impute: a missing weight or label)
          for (int threads : {1, 2, 7}) {
            logreg::set_thread_count(threads);
            CHECK(typed_error_of(f.path(), cols, e, true) == seq_error);
          }
          continue;
        }
        const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), cols, {}, {}, false, e);
        CHECK(seq.n_rows() > 5000);
        for (int threads : {1, 2, 3, 7}) {
          logreg::set_thread_count(threads);
          check_same_typed(logreg::load_labelled_csv(f.path(), cols, {}, {}, true, e), seq);
        }
      }
    }
  }
}

TEST_CASE("typed loader: the first row that --missing drop leaves out is named alike by both paths") {
  restore_threads restore;
  // The first dropped row misses (only) a numeric cell, a categorical cell, the label or the weight.
  std::string before, after = ",p,1,a\n";
  for (int i = 0; i < 3000; ++i)
    (i < 200 ? before : after) +=
        std::to_string(i % 17) + "," + (i % 2 ? "p" : "q") + "," + std::to_string(1 + i % 2) + "," + (i % 3 ? "a" : "b") + "\n";
  for (const std::string& first : {std::string("NA,p,1,a"), std::string("1,,1,a"), std::string("1,p,1,"), std::string("1,p,NA,a")}) {
    test::temp_file f("x,c,w,y\n" + before + first + "\n" + after);
    logreg::column_selection cols;
    cols.weight = "w";
    logreg::encoding_options e;
    e.missing = logreg::missing_mode::drop;
    CAPTURE(first);
    const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), cols, {}, {}, false, e);
    CHECK(seq.rows_dropped == 2);
    for (int threads : {1, 2, 5}) {
      logreg::set_thread_count(threads);
      check_same_typed(logreg::load_labelled_csv(f.path(), cols, {}, {}, true, e), seq);
    }
  }
}

TEST_CASE("text_dictionary: ids in first-appearance order for texts of every length, growth, and the limit") {
  logreg::detail::text_dictionary dict;
  std::vector<std::string> texts;
  for (int len = 0; len <= 40; ++len)
    for (int k = 0; k < 50; ++k) {
      std::string t(static_cast<std::size_t>(len), 'a');
      for (int i = 0; i < len; ++i) t[static_cast<std::size_t>(i)] = static_cast<char>('a' + (k * 7 + i * 3) % 26);
      if (std::find(texts.begin(), texts.end(), t) == texts.end()) texts.push_back(t);
    }
  texts.push_back(std::string("a\0b", 3));  // bytes past a NUL count
  texts.push_back(std::string("a\0c", 3));
  for (std::size_t i = 0; i < texts.size(); ++i) CHECK(dict.id(texts[i]) == i);
  for (std::size_t i = texts.size(); i-- > 0;) CHECK(dict.id(texts[i]) == i);  // found again, in any order
  CHECK(dict.texts == texts);
  logreg::detail::text_dictionary small;
  CHECK(small.id("x", 2) == 0);
  CHECK(small.id("y", 2) == 1);
  CHECK(small.id("z", 2) == logreg::detail::missing_cell_id);  // past the limit
  CHECK(small.id("x", 2) == 0);
}

namespace {
// Pass 1's rules byte by byte: the reference for both scans.
bool scan_reference(const std::string& b, char term, std::size_t& rows, logreg::detail::scan_state& q) {
  rows = 0;
  bool ok = true;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const char c = b[i];
    const char b1 = i >= 1 ? b[i - 1] : q.before[0], b2 = i >= 2 ? b[i - 2] : i == 1 ? q.before[0] : q.before[1];
    const bool blank = c == term && (b1 == term || (term == '\n' && b1 == '\r' && b2 == '\n'));
    rows += c == term && !blank;
    q.blanks += blank;
    if (c == '\0' || (term == '\r' && c == '\n') || (term == '\n' && c == '\r' && i + 1 < b.size() && b[i + 1] != '\n'))
      ok = false;
    if (c == '"') {
      q.inside = !q.inside;
      ++q.quotes;
    } else if ((c == '\n' || c == '\r') && q.inside) {
      ok = false;
    }
  }
  if (b.size() >= 2) q.before[1] = b[b.size() - 2];
  else if (b.size() == 1) q.before[1] = q.before[0];
  if (!b.empty()) q.before[0] = b.back();
  return ok;
}

bool same_state(const logreg::detail::scan_state& a, const logreg::detail::scan_state& b) {
  return a.inside == b.inside && a.quotes == b.quotes && a.blanks == b.blanks && a.before[0] == b.before[0] &&
         a.before[1] == b.before[1];
}
}  // namespace

TEST_CASE("record scan: the SSE and portable scans count, track quotes and refuse as the byte-by-byte rules") {
  std::mt19937 rng(7);
  // Records of balanced quoted fields (mostly accepted), and bytes at random (mostly refused).
  const std::vector<std::string> tokens{"a", ",", "1", "\"ab\"", "\"\"", "\"a,\"\"b\"", "\n", "\r\n", "\n\n", "\r\n\r\n"};
  const std::string bytes{'a', ',', '"', '\n', '\r', '\0'};
  int accepted = 0, refused = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::string b;
    const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 150)(rng);
    for (std::size_t i = 0; i < n; ++i)
      if (trial % 2 == 0) b += tokens[std::uniform_int_distribution<std::size_t>(0, tokens.size() - 1)(rng)];
      else b += bytes[std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng)];
    const char term = trial % 3 == 2 ? '\r' : '\n';
    if (term == '\n' && !b.empty() && b.back() == '\r') b += 'a';  // (a CR that ends a block: its caller's check)
    const bool start_inside = trial % 5 == 4;
    std::size_t rows_ref = 0, rows = 0;
    logreg::detail::scan_state start;
    start.inside = start_inside;
    start.quotes = 3;
    start.blanks = 2;
    const char befores[4][2] = {{'\n', '\n'}, {'\r', '\n'}, {'a', '\r'}, {'\r', '\r'}};
    start.before[0] = befores[trial % 4][0];
    start.before[1] = befores[trial % 4][1];
    logreg::detail::scan_state q_ref = start, q = start;
    const bool ok_ref = scan_reference(b, term, rows_ref, q_ref);
    (ok_ref ? accepted : refused)++;
    CAPTURE(b);
    CAPTURE(term);
    CAPTURE(start_inside);
    CHECK(logreg::detail::scan_records_scalar(b.data(), b.size(), term, rows, q) == ok_ref);
    CHECK(rows == rows_ref);
    if (ok_ref) CHECK(same_state(q, q_ref));
#ifdef LOGREG_SIMD_CSV
    rows = 0;
    q = start;
    CHECK(logreg::detail::scan_records(b.data(), b.size(), term, rows, q) == ok_ref);
    CHECK(rows == rows_ref);
    if (ok_ref) CHECK(same_state(q, q_ref));
    // In two blocks, the state carried from the first to the second: the same counts.
    const std::size_t cut = b.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, b.size())(rng);
    if (ok_ref && (cut == 0 || b[cut - 1] != '\r')) {
      std::size_t rows1 = 0, rows2 = 0;
      q = start;
      CHECK(logreg::detail::scan_records(b.data(), cut, term, rows1, q));
      CHECK(logreg::detail::scan_records_scalar(b.data() + cut, b.size() - cut, term, rows2, q));
      CHECK(rows1 + rows2 == rows_ref);
      CHECK(same_state(q, q_ref));
    }
#endif
  }
  CHECK(accepted > 3000);
  CHECK(refused > 3000);
}

TEST_CASE("typed loader: quoted levels, labels and missing markers are read by the fast path, as sequentially") {
  restore_threads restore;
  logreg::encoding_options drop;
  drop.missing = logreg::missing_mode::drop;
  for (const std::string eol : {"\n", "\r\n"}) {
    const std::string text = quoted_file(eol, true, true);
    test::temp_file f(text);
    const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), {}, {}, {}, false, drop);
    CHECK(seq.rows_dropped == 2 * 832);  // the empty level and "NA" (quoted or not, a missing marker)
    CHECK(seq.encoding.columns.at(2).levels ==
          std::vector<std::string>{"dark \"blue\"", "green", "light, \"pale\" green", "red"});
    const logreg::detail::column_roles roles{4, 3, {0, 1, 2}, SIZE_MAX};
    logreg::feature_encoding probe;
    probe.na_values = drop.na_values;
    const logreg::row_encoder na(probe, logreg::unknown_mode::zero);
    const logreg::detail::typed_rules rules{{false, false, true}, &na, true, true};
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      for (int threads : {1, 2, 3}) {
        logreg::set_thread_count(threads);
        logreg::detail::typed_cells cells;
        REQUIRE(logreg::detail::load_parallel_typed(f.path(), text.find(eol) + eol.size(), text.size(), roles, rules,
                                                    ',', threads, cells, {}));
        CHECK(cells.texts[2] == std::vector<std::string>{"red", "dark \"blue\"", "light, \"pale\" green", "green"});
        check_same_typed(logreg::load_labelled_csv(f.path(), {}, {}, {}, true, drop), seq);
      }
    }
  }
}

TEST_CASE("loader: blank lines between rows are skipped by the fast paths as by the sequential reader") {
  restore_threads restore;
  // Blank lines (LF, CR LF, CR) right after the header, between rows, in runs, at the end; rows
  // enough for ranges of their own, so that ranges start and end with blank lines too.
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    std::string text = "a,b,c,y" + eol + eol;
    for (int i = 0; i < 40000; ++i) {
      text += std::to_string(i % 13) + "," + std::to_string(i * 0.5) + "," + (i % 3 ? "red" : "blue") + "," +
              (i % 2 ? "yes" : "no") + eol;
      if (i % 7 == 0) text += eol;
      if (i % 1000 == 999) text += eol + eol + eol;
    }
    text += eol + eol;
    CAPTURE(eol.size());
    test::temp_file f(text);
    logreg::column_selection numeric;
    numeric.ignore = {"c"};
    const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), numeric, {}, {}, false);
    CHECK(seq.n_rows() == 40000);
    const logreg::labelled_data seq_typed = logreg::load_labelled_csv(f.path(), {}, {}, {}, false);
    const std::size_t data_start = text.find(eol) + eol.size();
    for (csv_parser_level level : parser_levels) {
      logreg::detail::set_csv_parser_level(level);
      for (int threads : {1, 2, 3}) {
        logreg::set_thread_count(threads);
        logreg::labelled_data fast;  // the numeric fast path takes it
        REQUIRE(logreg::detail::load_parallel(f.path(), data_start, text.size(), {4, 3, {0, 1}, SIZE_MAX}, ',', threads,
                                              fast, {}));
        CHECK(fast.label_index == seq.label_index);
        CHECK(std::memcmp(fast.X.memptr(), seq.X.memptr(), seq.X.n_elem * sizeof(double)) == 0);
        check_same(logreg::load_labelled_csv(f.path(), numeric), seq);
        check_same_typed(logreg::load_labelled_csv(f.path(), {}), seq_typed);  // (text in c: the typed path)
        logreg::feature_encoding probe;
        const logreg::row_encoder na(probe, logreg::unknown_mode::zero);
        logreg::detail::typed_cells cells;  // which takes it too
        CHECK(logreg::detail::load_parallel_typed(f.path(), data_start, text.size(), {4, 3, {0, 1, 2}, SIZE_MAX},
                                                  {{false, false, true}, &na, false, false}, ',', threads, cells, {}));
        CHECK(cells.records == 40000);
      }
    }
  }
}

TEST_CASE("typed loader: with --missing drop, blank lines send the file to the sequential reader (line numbers)") {
  restore_threads restore;
  logreg::set_thread_count(2);
  std::string text = "x,y\n";
  for (int i = 0; i < 3000; ++i) text += (i == 1500 ? std::string("") : std::to_string(i % 11)) + "," + (i % 2 ? "a" : "b") + "\n" + (i % 100 == 0 ? "\n" : "");
  test::temp_file f(text);
  logreg::encoding_options drop;
  drop.missing = logreg::missing_mode::drop;
  const logreg::labelled_data seq = logreg::load_labelled_csv(f.path(), {}, {}, {}, false, drop);
  CHECK(seq.first_dropped == f.path() + ":1517:1 (column 'x')");  // 1,500 rows, 15 blank lines and the header before it
  logreg::feature_encoding probe;
  probe.na_values = drop.na_values;
  const logreg::row_encoder na(probe, logreg::unknown_mode::zero);
  logreg::detail::typed_cells cells;
  CHECK_FALSE(logreg::detail::load_parallel_typed(f.path(), 4, text.size(), {2, 1, {0}, SIZE_MAX},
                                                  {{false}, &na, true, true}, ',', 2, cells, {}));
  check_same_typed(logreg::load_labelled_csv(f.path(), {}, {}, {}, true, drop), seq);
}
