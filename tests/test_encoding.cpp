// Categorical columns and missing cells: what the loader learns (levels, references, imputation
// values), what the model stores, and how rows are encoded at predict time.
#include <doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "data/row_encoder.hpp"
#include "logreg/error.hpp"
#include "logreg/model.hpp"
#include "logreg/threads.hpp"
#include "test_support.hpp"

namespace {

using logreg::encoding_options;
using logreg::missing_mode;

logreg::labelled_data load(const std::string& text, encoding_options e = {}, bool parallel = true) {
  test::temp_file f(text);
  return logreg::load_labelled_csv(f.path(), {}, {}, {}, parallel, e);
}

std::string error_of(const std::string& path, encoding_options e = {}) {
  try {
    logreg::load_labelled_csv(path, {}, {}, {}, true, e);
  } catch (const logreg::data_error& err) {
    return err.what();
  }
  return "(no error)";
}

struct restore_threads {
  int saved = logreg::thread_count();
  ~restore_threads() { logreg::set_thread_count(saved); }
};

}  // namespace

TEST_CASE("a text column is categorical: levels sorted, one term each, named column=level") {
  const auto d = load("x,colour,y\n1,red,a\n2,blue,b\n3,green,a\n4,blue,b\n");
  REQUIRE(d.encoding.columns.size() == 2);
  const logreg::input_column& c = d.encoding.columns[1];
  CHECK(c.categorical);
  CHECK(c.levels == std::vector<std::string>{"blue", "green", "red"});
  CHECK(!c.numeric_levels);
  CHECK(d.feature_names == std::vector<std::string>{"x", "colour=blue", "colour=green", "colour=red"});
  REQUIRE(d.dense_terms().n_rows == 4);
  CHECK(d.dense_terms()(1, 0) == 0);  // red
  CHECK(d.dense_terms()(3, 0) == 1);
  CHECK(d.dense_terms()(1, 1) == 1);  // blue
  CHECK(d.dense_terms()(2, 2) == 1);  // green
  CHECK(d.notes == std::vector<std::string>{"column 'colour' is categorical (\"red\" on line 2): 3 levels"});
  CHECK(d.warnings.empty());
}

TEST_CASE("drop_first: the first level is the reference, without a term") {
  encoding_options e;
  e.drop_first = true;
  const auto d = load("colour,y\nred,a\nblue,b\ngreen,a\n", e);
  CHECK(d.feature_names == std::vector<std::string>{"colour=green", "colour=red"});
  CHECK(d.dense_terms()(0, 1) == 0);  // blue: the reference, all zero
  CHECK(d.dense_terms()(1, 1) == 0);
}

TEST_CASE("--categorical on numeric codes: levels by value, sorted numerically, 2.0 is 2") {
  encoding_options e;
  e.categorical = {"rank"};
  const auto d = load("rank,y\n10,a\n2,b\n2.0,a\n9,b\n", e);
  const logreg::input_column& c = d.encoding.columns[0];
  CHECK(c.levels == std::vector<std::string>{"2", "9", "10"});
  CHECK(c.numeric_levels);
  CHECK(d.feature_names == std::vector<std::string>{"rank=2", "rank=9", "rank=10"});
  CHECK(d.dense_terms()(0, 2) == 1);  // "2.0" is level 2
  CHECK(d.notes.empty());  // asked for: nothing to say
  CHECK(error_of("nope.csv", e).find("nope.csv: cannot open") == 0);
  test::temp_file f("rank,y\n1,a\n2,b\n");
  e.categorical = {"y"};
  CHECK(error_of(f.path(), e) == "--categorical: 'y' is not a feature column (it is the target)");
  e.categorical = {"rnak"};
  CHECK(error_of(f.path(), e).find("--categorical") != std::string::npos);
}

TEST_CASE("a column that turns to text late is read again: the same as when declared, on both paths") {
  restore_threads restore;
  logreg::set_thread_count(2);
  // Numbers in the first 12,000 rows (past the first look at 10,000), then text levels.
  std::string text = "x,z,y\n";
  for (int i = 0; i < 12000; ++i) text += std::to_string(i % 7) + "," + std::to_string(i % 2) + "," + (i % 2 ? "a" : "b") + "\n";
  for (int i = 0; i < 30; ++i) text += "1,t" + std::to_string(i % 5) + "," + (i % 3 ? "a" : "b") + "\n";
  const auto late = load(text);
  encoding_options e;
  e.categorical = {"z"};
  const auto declared = load(text, e, false);
  CHECK(late.feature_names == std::vector<std::string>{"x", "z=0", "z=1", "z=t0", "z=t1", "z=t2", "z=t3", "z=t4"});
  CHECK(late.feature_names == declared.feature_names);
  CHECK(arma::approx_equal(late.dense_terms(), declared.dense_terms(), "absdiff", 0.0));
  CHECK(late.label_index == declared.label_index);
  CHECK(late.warnings.empty());
  CHECK(late.notes == std::vector<std::string>{"column 'z' is categorical (\"t0\" on line 12002): 7 levels"});
}

TEST_CASE("a column of numbers with a stray text is an error naming the place, unless --categorical") {
  std::string text = "x,z,y\n";
  for (int i = 0; i < 500; ++i) text += std::to_string(i % 7) + "," + std::to_string(i % 3) + "," + (i % 2 ? "a" : "b") + "\n";
  text += "1,two,a\n";
  test::temp_file f(text);
  CHECK(error_of(f.path()) == f.path() + ":502:2 (column 'z'): expected a number, found \"two\" (3 of the 4 distinct values "
                                         "of the column are numbers); if \"two\" marks a missing value, add it to --na-values; "
                                         "if the column is categorical, name it in --categorical");
  encoding_options e;
  e.categorical = {"z"};
  CHECK(load(text, e).feature_names == std::vector<std::string>{"x", "z=0", "z=1", "z=2", "z=two"});
  e = {};
  e.na_values = {"two"};
  e.missing = missing_mode::drop;
  CHECK(load(text, e).n_rows() == 500);
}

TEST_CASE("missing cells: error names the place, drop counts rows, impute stores means and a (missing) level") {
  const std::string text = "x,c,y\n1,p,a\n,q,b\n3,,a\n5,p,b\nNA,q,a\n";
  test::temp_file f(text);
  CHECK(error_of(f.path()) == f.path() + ":3:1 (column 'x'): missing value (an empty cell); --missing drop leaves such "
                                         "rows out, --missing impute fills them in");
  encoding_options e;
  e.missing = missing_mode::drop;
  const auto dropped = load(text, e);
  CHECK(dropped.n_rows() == 2);
  CHECK(dropped.rows_dropped == 3);
  CHECK(dropped.first_dropped.find(":3:1 (column 'x')") != std::string::npos);
  e.missing = missing_mode::impute;
  const auto imputed = load(text, e);
  CHECK(imputed.n_rows() == 5);
  CHECK(imputed.feature_names == std::vector<std::string>{"x", "c=p", "c=q", "c=(missing)"});
  CHECK(imputed.encoding.columns[0].has_impute);
  CHECK(imputed.encoding.columns[0].impute == 3.0);  // mean of 1, 3, 5
  CHECK(imputed.dense_terms()(0, 1) == 3.0);
  CHECK(imputed.dense_terms()(0, 4) == 3.0);
  CHECK(imputed.dense_terms()(3, 2) == 1.0);  // row 3's empty c: the (missing) term
  CHECK(imputed.dense_terms()(1, 2) == 0.0);
  // Other markers, and markers that are numbers.
  e.missing = missing_mode::error;
  e.na_values = {"-999"};
  test::temp_file g("x,y\n1,a\n-999,b\n");
  CHECK(error_of(g.path(), e) == g.path() + ":3:1 (column 'x'): missing value (\"-999\"); --missing drop leaves such "
                                           "rows out, --missing impute fills them in");
  // Nothing but missing cells.
  e = {};
  e.missing = missing_mode::impute;
  test::temp_file h("x,z,y\n1,,a\n2,NA,b\n");
  CHECK(error_of(h.path(), e) == h.path() + ": column 'z' has no values (every cell is missing); leave it out with --ignore");
  e.missing = missing_mode::drop;
  CHECK(error_of(h.path(), e) == h.path() + ": every one of the 2 rows has a missing cell (--missing drop left none; the first: " +
                                     h.path() + ":2:2 (column 'z'))");
}

TEST_CASE("--missing impute on a numeric file: the same means on the parallel and sequential paths") {
  restore_threads restore;
  logreg::set_thread_count(2);
  std::string text = "a,b,y\n";
  for (int i = 0; i < 5000; ++i) text += std::to_string(i * 0.37) + "," + std::to_string(i % 11) + "," + (i % 3 ? "p" : "q") + "\n";
  encoding_options e;
  e.missing = missing_mode::impute;
  const auto par = load(text, e, true), seq = load(text, e, false);
  for (std::size_t k = 0; k < 2; ++k) {
    CHECK(par.encoding.columns[k].has_impute);
    CHECK(par.encoding.columns[k].impute == seq.encoding.columns[k].impute);
  }
  CHECK(arma::approx_equal(par.dense_terms(), seq.dense_terms(), "absdiff", 0.0));
}

TEST_CASE("row_encoder: unseen levels, numeric levels by value, missing cells with and without a value") {
  logreg::feature_encoding enc;
  enc.missing = missing_mode::impute;
  logreg::input_column num, cat, code;
  num.name = "x";
  num.has_impute = true;
  num.impute = 2.5;
  cat.name = "c";
  cat.categorical = true;
  cat.levels = {"p", "q"};
  cat.missing_level = true;
  code.name = "r";
  code.categorical = true;
  code.levels = {"1", "2", "3"};
  code.numeric_levels = true;
  code.drop_first = true;
  enc.columns = {num, cat, code};
  REQUIRE(enc.term_names() == std::vector<std::string>{"x", "c=p", "c=q", "c=(missing)", "r=2", "r=3"});
  const logreg::row_encoder zero(enc, logreg::unknown_mode::zero), strict(enc, logreg::unknown_mode::error);
  auto counts = zero.make_counts();
  logreg::encode_problem problem;
  std::vector<double> x(6);
  auto encode = [&](const logreg::row_encoder& e, std::vector<std::string_view> cells) {
    return e.encode(cells.data(), x.data(), counts, problem);
  };
  REQUIRE(encode(zero, {"1.5", "q", "3.0"}));
  CHECK(x == std::vector<double>{1.5, 0, 1, 0, 0, 1});
  REQUIRE(encode(zero, {"NA", "", "1"}));
  CHECK(x == std::vector<double>{2.5, 0, 0, 1, 0, 0});
  REQUIRE(encode(zero, {"0", "zzz", "7"}));
  CHECK(x == std::vector<double>{0, 0, 0, 0, 0, 0});
  CHECK(counts.unknown == std::vector<std::size_t>{0, 1, 1});
  CHECK(counts.imputed == std::vector<std::size_t>{1, 1, 0});
  CHECK(!encode(strict, {"0", "zzz", "1"}));
  CHECK(problem.column == 1);
  CHECK(problem.message == "the level \"zzz\" was not seen in training (the model knows 2 levels of this column); "
                           "--unknown zero sets its indicators to 0");
  CHECK(!encode(zero, {"abc", "p", "1"}));
  CHECK(problem.column == 0);
  CHECK(problem.message == "expected a number, found \"abc\" (the column was numeric in training)");
  enc.missing = missing_mode::error;
  enc.columns[0].has_impute = false;
  const logreg::row_encoder plain(enc, logreg::unknown_mode::zero);
  CHECK(!plain.encode(std::vector<std::string_view>{" ", "p", "1"}.data(), x.data(), counts, problem));
  CHECK(problem.message == "missing value (an empty cell); the model has no value to fill in: it was trained with "
                           "--missing error (--missing impute stores one)");
}

TEST_CASE("model file: the encoding round-trips in version 2; plain models stay version 1") {
  encoding_options e;
  e.missing = missing_mode::impute;
  e.categorical = {"r"};
  e.drop_first = true;
  const auto d = load("x,c,r,y\n1,p,1,a\n,q,2,b\n3,,3,a\n", e);
  logreg::model m;
  m.classes = {"a", "b"};
  m.features = d.feature_names;
  m.encoding = d.encoding;
  m.coefficients.assign(m.features.size(), 0.5);
  m.report.status = "converged";
  nlohmann::json j = logreg::to_json(m);
  CHECK(j["version"] == 2);
  const logreg::model back = logreg::model_from_json(j, "m.json");
  CHECK(back.features == m.features);
  CHECK(back.encoding.term_names() == m.encoding.term_names());
  CHECK(back.encoding.columns[0].impute == 2.0);
  CHECK(back.encoding.columns[2].drop_first);
  CHECK(back.encoding.columns[2].numeric_levels);
  CHECK(back.encoding.missing == missing_mode::impute);
  // A file whose encoding does not give its features is refused.
  j["features"][1] = "c=zzz";
  CHECK_THROWS_WITH_AS(logreg::model_from_json(j, "m.json"), "m.json: input: the encoded columns do not give the model's features",
                       logreg::data_error);
  logreg::model plain;
  plain.classes = {"a", "b"};
  plain.features = {"x"};
  plain.coefficients = {1};
  plain.report.status = "converged";
  const nlohmann::json p = logreg::to_json(plain);
  CHECK(p["version"] == 1);
  CHECK(!p.contains("input"));
  CHECK(logreg::model_from_json(p, "p.json").encoding.columns.size() == 1);
}
