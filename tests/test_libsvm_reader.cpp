#include <doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "logreg/error.hpp"
#include "io/libsvm_reader.hpp"
#include "logreg/threads.hpp"
#include "test_support.hpp"

namespace {

logreg::labelled_sparse_data load(const std::string& text, std::size_t block = 4 << 20) {
  test::temp_file f(text, ".svm");
  return logreg::load_labelled_libsvm(f.path(), {}, block);
}

// The message of the data_error that loading `text` throws, with the temporary file's name as "f".
std::string error_of(const std::string& text, std::size_t block = 4 << 20) {
  test::temp_file f(text, ".svm");
  try {
    logreg::load_labelled_libsvm(f.path(), {}, block);
  } catch (const logreg::data_error& e) {
    std::string m = e.what();
    if (m.compare(0, f.path().size(), f.path()) == 0) m.replace(0, f.path().size(), "f");
    return m;
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("libsvm: labels, indices, values, comments, blank lines, qid, CRLF and tabs") {
  const auto data = load(
      "# a comment line\n"
      "+1 1:0.5 3:-2 10:1e-3  # trailing comment\n"
      "\n"
      "-1\tqid:7\t2:4 3:0 4:+1.25\r\n"
      "   \n"
      "+1\n"
      "spam 10:7");
  const logreg::csr_matrix& X = data.X;
  CHECK(X.n_rows == 4);
  CHECK(X.n_cols == 10);
  CHECK(data.labels == std::vector<std::string>{"+1", "-1", "spam"});
  CHECK(data.label_index == logreg::buffer<std::uint32_t>{0, 1, 0, 2});
  CHECK(X.row_ptr == logreg::buffer<std::size_t>{0, 3, 5, 5, 6});
  CHECK(X.col == logreg::buffer<std::uint32_t>{0, 2, 9, 1, 3, 9});  // 0-based; the explicit 3:0 is not stored
  CHECK(X.val == logreg::buffer<double>{0.5, -2, 1e-3, 4, 1.25, 7});
}

TEST_CASE("libsvm: every error names file, line, token and what was expected") {
  const std::string ok = "# c\n\n-1 1:1 2:1\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1 1:2 3:x", "f:4:3 (index 3): expected a number, found \"x\""},
      {"1 2:1 1:3", "f:4:3 (index 1): feature indices must increase within a line, but 1 follows 2"},
      {"1 2:1 2:3", "f:4:3 (index 2): feature indices must increase within a line, but 2 follows 2"},
      {"1 3 4:1", "f:4:2: expected INDEX:VALUE, found \"3\""},
      {"1:2 3:4", "f:4:1: expected the label first, found \"1:2\" (a line is LABEL INDEX:VALUE ...)"},
      {"1 0:2", "f:4:2: expected INDEX:VALUE with INDEX a whole number from 1 to 2147483647, found \"0:2\""},
      {"1 -3:2", "f:4:2: expected INDEX:VALUE with INDEX a whole number from 1 to 2147483647, found \"-3:2\""},
      {"1 2147483648:1", "f:4:2: expected INDEX:VALUE with INDEX a whole number from 1 to 2147483647, found \"2147483648:1\""},
      {"1 3:", "f:4:2 (index 3): expected a number after ':', found nothing"},
      {"1 3:inf", "f:4:2 (index 3): expected a finite number, found \"inf\""},
      {"1 2:1e999", "f:4:2 (index 2): expected a finite number, found \"1e999\""},
      {"1 2:1,5", "f:4:2 (index 2): expected a number, found \"1,5\""},
      {"1 2:NA", "f:4:2 (index 2): expected a number, found \"NA\""},
      {"1 1:1 qid:3 4:2", "f:4:3: a qid: token may only follow the label, found \"qid:3\""},
  };
  for (const auto& [line, message] : cases) {
    CAPTURE(line);
    CHECK(error_of(ok + line + "\n") == message);
    CHECK(error_of(ok + line) == message);  // without a final line end
  }
  CHECK(error_of("") == "f: no data rows (the input is empty or holds only blank and comment lines)");
  CHECK(error_of("# nothing\n\n  \n") == "f: no data rows (the input is empty or holds only blank and comment lines)");
}

TEST_CASE("libsvm: the result and the first error do not depend on block size or thread count") {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += (i % 3 ? "+1" : "-1");
    for (int j = 1 + i % 7; j < 200; j += 1 + (i * j) % 13) {
      text.push_back(' ');
      text += std::to_string(j) + ":" + std::to_string((i * 31 + j) % 97 - 48) + ".25";
    }
    text += i % 50 == 0 ? "  # comment\n\n" : "\n";
  }
  const int saved = logreg::thread_count();
  logreg::set_thread_count(1);
  const auto reference = load(text);
  CHECK(reference.X.n_rows == 3000);
  std::string bad = text;
  const std::size_t at = bad.find('\n', bad.size() * 2 / 3) + 1;
  bad.insert(at, "+1 5:1 4:1\n");  // a bad line two thirds of the way in
  const std::string bad_line = std::to_string(1 + std::count(bad.begin(), bad.begin() + static_cast<long>(at), '\n'));
  for (int threads : {1, 2, 3, 8})
    for (std::size_t block : {std::size_t{64}, std::size_t{1000}, std::size_t{65536}, std::size_t{4} << 20}) {
      CAPTURE(threads);
      CAPTURE(block);
      logreg::set_thread_count(threads);
      const auto data = load(text, block);
      CHECK(data.X.row_ptr == reference.X.row_ptr);
      CHECK(data.X.col == reference.X.col);
      CHECK(data.X.val == reference.X.val);
      CHECK(data.label_index == reference.label_index);
      CHECK(data.X.n_cols == reference.X.n_cols);
      CHECK(error_of(bad, block) ==
            "f:" + bad_line + ":3 (index 4): feature indices must increase within a line, but 4 follows 5");
    }
  logreg::set_thread_count(saved);
}

TEST_CASE("libsvm: a line longer than the block is read whole") {
  std::string line = "+1";
  for (int j = 1; j <= 5000; ++j) {
    line.push_back(' ');
    line += std::to_string(j) + ":1";
  }
  const auto data = load("-1 1:1\n" + line + "\n-1 2:2\n", 256);
  CHECK(data.X.n_rows == 3);
  CHECK(data.X.n_cols == 5000);
  CHECK(data.X.row_ptr[2] - data.X.row_ptr[1] == 5000);
}

TEST_CASE("libsvm: byte ranges at line starts read, one after the other, what the whole file reads") {
  // (How ranks read their parts under mpirun: data/sparse_part.cpp.)
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += (i % 3 == 0 ? "+1" : i % 3 == 1 ? "-1" : "spam") + std::string(" ") + std::to_string(1 + i % 5) + ":" +
            std::to_string(i * 0.25) + " 9:" + std::to_string(i % 2) + (i % 50 == 0 ? " # note\n" : "\n");
    if (i % 700 == 0) text += "# a comment line\n\n";
  }
  test::temp_file f(text, ".svm");
  const logreg::labelled_sparse_data whole = logreg::load_labelled_libsvm(f.path());
  std::vector<std::size_t> cuts{0};
  for (std::size_t at : {std::size_t{1}, text.size() / 3, text.size() / 2, text.size() - 5}) {
    const std::size_t nl = text.find('\n', at - 1);
    cuts.push_back(nl == std::string::npos ? text.size() : nl + 1);
  }
  cuts.push_back(text.size() + 100);  // past the end: the file's end
  std::vector<std::string> labels;
  std::vector<std::uint32_t> cols;
  std::vector<double> vals;
  std::vector<std::string> row_labels;
  std::size_t rows = 0, max_cols = 0;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const logreg::labelled_sparse_data part = logreg::load_libsvm_range(f.path(), cuts[k], cuts[k + 1]);
    rows += part.X.n_rows;
    max_cols = std::max(max_cols, part.X.n_cols);
    cols.insert(cols.end(), part.X.col.begin(), part.X.col.end());
    vals.insert(vals.end(), part.X.val.begin(), part.X.val.end());
    for (std::uint32_t i : part.label_index) row_labels.push_back(part.labels[i]);
  }
  CHECK(rows == whole.X.n_rows);
  CHECK(max_cols == whole.X.n_cols);
  CHECK(cols == std::vector<std::uint32_t>(whole.X.col.begin(), whole.X.col.end()));
  CHECK(vals == std::vector<double>(whole.X.val.begin(), whole.X.val.end()));
  std::vector<std::string> whole_labels;
  for (std::uint32_t i : whole.label_index) whole_labels.push_back(whole.labels[i]);
  CHECK(row_labels == whole_labels);
  // An empty range (two cuts at the same place) has no rows, and no error.
  CHECK(logreg::load_libsvm_range(f.path(), cuts[1], cuts[1]).X.n_rows == 0);
}
