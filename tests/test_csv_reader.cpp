#include <doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include "io/csv_reader.hpp"
#include "logreg/error.hpp"
#include "test_support.hpp"

using logreg::csv_reader;
using records = std::vector<std::vector<std::string>>;

namespace {
records read_all(const std::string& text, char delimiter = ',', std::size_t block = 4096) {
  test::temp_file f(text);
  csv_reader r(f.path(), {delimiter}, block);
  records out;
  std::vector<std::string_view> fields;
  while (r.next(fields)) out.emplace_back(fields.begin(), fields.end());
  return out;
}

std::string error_of(const std::string& text, bool header = true) {
  test::temp_file f(text, ".csv");
  try {
    csv_reader r(f.path());
    if (header) r.read_header();
    std::vector<std::string_view> fields;
    while (r.next(fields)) {
    }
  } catch (const logreg::data_error& e) {
    std::string msg = e.what();
    return msg.substr(f.path().size());  // drop the temporary path
  }
  return "no error";
}
}  // namespace

TEST_CASE("csv: RFC 4180 records, table-driven") {
  struct row {
    const char* name;
    std::string text;
    records expected;
  };
  const std::vector<row> table = {
      {"plain LF", "a,b\n1,2\n", {{"a", "b"}, {"1", "2"}}},
      {"no final line end", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
      {"CRLF", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
      {"CR only", "a,b\r1,2\r", {{"a", "b"}, {"1", "2"}}},
      {"byte order mark", "\xEF\xBB\xBF" "a,b\n1,2\n", {{"a", "b"}, {"1", "2"}}},
      {"quoted comma", "a,b\n\"1,5\",2\n", {{"a", "b"}, {"1,5", "2"}}},
      {"doubled quotes", "a\n\"say \"\"hi\"\"\"\n", {{"a"}, {"say \"hi\""}}},
      {"newline inside quotes", "a,b\n\"x\ny\",2\n", {{"a", "b"}, {"x\ny", "2"}}},
      {"CRLF inside quotes", "a,b\r\n\"x\r\ny\",2\r\n", {{"a", "b"}, {"x\r\ny", "2"}}},
      {"empty fields", "a,b,c\n,,\n", {{"a", "b", "c"}, {"", "", ""}}},
      {"empty quoted field", "a,b\n\"\",2\n", {{"a", "b"}, {"", "2"}}},
      {"blank lines skipped", "a,b\n\n1,2\n\r\n3,4\n", {{"a", "b"}, {"1", "2"}, {"3", "4"}}},
      {"quote inside unquoted field is literal", "a\nx\"y\n", {{"a"}, {"x\"y"}}},
  };
  for (const row& r : table) {
    CAPTURE(r.name);
    CHECK(read_all(r.text) == r.expected);
    CHECK(read_all(r.text, ',', 4096) == read_all(r.text, ',', 1 << 20));
  }
}

TEST_CASE("csv: records larger than the block and splits at every byte position") {
  std::string text = "name,value\n";
  for (int i = 0; i < 300; ++i) text += "\"row " + std::to_string(i) + ", with \"\"quotes\"\"\nand a newline\"," + std::to_string(i) + "\r\n";
  const records reference = read_all(text, ',', 1 << 20);
  REQUIRE(reference.size() == 301);
  CHECK(reference[5][0] == "row 4, with \"quotes\"\nand a newline");
  CHECK(read_all(text, ',', 4096) == reference);  // the smallest block: every record crosses refills
}

TEST_CASE("csv: tab delimiter") {
  CHECK(read_all("a\tb\n1,5\t2\n", '\t') == records{{"a", "b"}, {"1,5", "2"}});
}

TEST_CASE("csv: line numbers count physical lines, including those inside quotes") {
  test::temp_file f("a,b\n\"x\ny\",1\n\n2,3\n");
  csv_reader r(f.path());
  r.read_header();
  std::vector<std::string_view> fields;
  REQUIRE(r.next(fields));
  CHECK(r.line() == 2);
  REQUIRE(r.next(fields));
  CHECK(r.line() == 5);
}

TEST_CASE("csv: errors name the place and the cause") {
  CHECK(error_of("a,b\n1,2\n3\n") == ":3: expected 2 fields as in the header, found 1");
  CHECK(error_of("a,b\n1,2,3\n") == ":2: expected 2 fields as in the header, found 3");
  CHECK(error_of("a,b\n1,\"2\n3,4\n") == ":2:2 (column 'b'): unclosed quote: the quoted field that starts here never ends");
  CHECK(error_of("a,b\n\"1\"x,2\n") == ":2:1 (column 'a'): unexpected character 'x' after the closing quote of a quoted field");
  CHECK(error_of("a,a\n1,2\n") == ":1:2: duplicate column name 'a' in the header (also column 1)");
  CHECK(error_of("a,,c\n1,2,3\n") == ":1:2: empty column name in the header");
  CHECK(error_of("") == ": the input is empty; expected a header row");
  CHECK(error_of("\n\n") == ": the input is empty; expected a header row");
}

// Found by fuzzing (tests/fuzz/csv_reader.cpp): a refused delimiter and a directory threw from the
// constructor after the file was opened, and the descriptor stayed open.
TEST_CASE("csv: a reader refused in its constructor leaves no descriptor open") {
  auto lowest_free = [] {
    const int fd = ::open("/dev/null", O_RDONLY);
    ::close(fd);
    return fd;
  };
  test::temp_file f("a,b\n1,2\n");
  const int before = lowest_free();
  for (char delimiter : {'"', '\n', '\r'})
    CHECK_THROWS_AS(csv_reader(f.path(), {delimiter}), logreg::usage_error);
  CHECK_THROWS_AS(csv_reader("/"), logreg::data_error);
  CHECK(lowest_free() == before);
}

TEST_CASE("csv: a small file is read whole with a buffer of its size, a larger one block by block") {
  const std::string text = "a,b\n1,\"x\ny\"\n3,4\n";
  test::temp_file f(text);
  for (std::size_t block : {std::size_t{1}, std::size_t{5}, text.size(), text.size() + 1, std::size_t{1} << 20}) {
    csv_reader r(f.path(), {}, block);
    CHECK(r.read_header() == std::vector<std::string>{"a", "b"});
    records out;
    std::vector<std::string_view> fields;
    while (r.next(fields)) out.emplace_back(fields.begin(), fields.end());
    CHECK(out == records{{"1", "x\ny"}, {"3", "4"}});
    CHECK(r.bytes_consumed() == text.size());
  }
}

TEST_CASE("csv: column_index suggests the nearest name") {
  const std::vector<std::string> header{"age", "income", "y"};
  CHECK(logreg::column_index(header, "income", "--target", "d.csv") == 1);
  try {
    logreg::column_index(header, "agee", "--features", "d.csv");
    FAIL("expected an error");
  } catch (const logreg::data_error& e) {
    CHECK(std::string(e.what()) == "--features: d.csv has no column 'agee' (did you mean 'age'?)");
  }
}

TEST_CASE("csv: append_csv_field quotes only when needed") {
  std::string out;
  logreg::append_csv_field(out, "plain");
  out += '|';
  logreg::append_csv_field(out, "a,b");
  out += '|';
  logreg::append_csv_field(out, "say \"hi\"");
  CHECK(out == "plain|\"a,b\"|\"say \"\"hi\"\"\"");
}

TEST_CASE("csv: read_header(true) finds a header without rows below it, blank lines or not") {
  for (const std::string& below : {std::string(), std::string("\n"), std::string("\r\n\r\n"), std::string(5000, '\n')}) {
    const std::string text = "a,b\n" + below;
    test::temp_file f(text);
    for (std::size_t block : {text.size() + 1, std::size_t{1} << 20}) {  // the file fits the buffer: found at the header
      csv_reader r(f.path(), {}, block);
      CHECK_THROWS_WITH_AS(r.read_header(true), (f.path() + ": the header has no data rows below it").c_str(), logreg::data_error);
    }
    csv_reader r(f.path(), {}, 64);  // blank lines beyond the buffer: found by the caller, as no record
    std::vector<std::string_view> fields;
    bool early = false;
    try {
      r.read_header(true);
    } catch (const logreg::data_error&) {
      early = true;
    }
    CHECK((early || !r.next(fields)));
    CHECK(early == (text.size() < 64));
  }
  // A row after blank lines is a row, on its own line.
  const std::string text = "a,b\n\n\r\n1,2\n";
  test::temp_file f(text);
  for (std::size_t block : {std::size_t{4}, std::size_t{8}, text.size() + 1}) {
    csv_reader r(f.path(), {}, block);
    CHECK(r.read_header(true) == std::vector<std::string>{"a", "b"});
    std::vector<std::string_view> fields;
    REQUIRE(r.next(fields));
    CHECK(records{{fields.begin(), fields.end()}} == records{{"1", "2"}});
    CHECK(r.line() == 4);
    CHECK_FALSE(r.next(fields));
  }
}

TEST_CASE("csv: raw_record gives each record's bytes as they are, without the blank lines before it") {
  const std::string text = "\xEF\xBB\xBFh,k\r\n\"a, \"\"b\"\"\",1\r\n\r\n\n\"two\r\nlines\",2\r\nlast,3";
  test::temp_file f(text);
  for (std::size_t block : {std::size_t{4}, std::size_t{7}, text.size() + 1}) {
    CAPTURE(block);
    csv_reader r(f.path(), {}, block);
    std::vector<std::string> raw;
    std::vector<std::string_view> fields;
    while (r.next(fields)) raw.emplace_back(r.raw_record());
    CHECK(r.has_bom());
    CHECK(raw == std::vector<std::string>{"h,k\r\n", "\"a, \"\"b\"\"\",1\r\n", "\"two\r\nlines\",2\r\n", "last,3"});
  }
  test::temp_file plain("x\n1\n");
  csv_reader r(plain.path());
  std::vector<std::string_view> fields;
  REQUIRE(r.next(fields));
  CHECK(r.raw_record() == "x\n");
  CHECK_FALSE(r.has_bom());
}
