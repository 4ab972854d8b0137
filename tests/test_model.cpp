#include <doctest.h>

#include <nlohmann/json.hpp>

#include "logreg/error.hpp"
#include "logreg/model.hpp"
#include "test_support.hpp"

namespace {
logreg::model sample() {
  logreg::model m;
  m.target = "diagnosis";
  m.classes = {"benign", "malignant"};
  m.features = {"a", "b, with a comma", "c"};
  m.coefficients = {0.1, -1.0 / 3.0, 6.02214076e23};
  m.intercept = -2.718281828459045;
  m.mean = {1e-300, 2.5, -7};
  m.scale = {1, 0.30000000000000004, 123456.789};
  m.settings.penalty = logreg::penalty_kind::none;
  m.settings.C = 0.125;
  m.settings.solver = logreg::solver_kind::lbfgs;
  m.report = {"iteration_limit", "lbfgs", 17, 53.794612062, 1.5e-7, 1e-8, 0.25};
  m.n_rows = 569;
  m.class_counts = {357, 212};
  return m;
}
}  // namespace

TEST_CASE("model: save then load gives back every field, doubles bit for bit") {
  const logreg::model m = sample();
  test::temp_file f("", ".json");
  logreg::save_model(m, f.path());
  const logreg::model r = logreg::load_model(f.path());
  CHECK(r.target == m.target);
  CHECK(r.classes == m.classes);
  CHECK(r.features == m.features);
  CHECK(r.coefficients == m.coefficients);
  CHECK(r.intercept == m.intercept);
  CHECK(r.mean == m.mean);
  CHECK(r.scale == m.scale);
  CHECK(r.settings.penalty == m.settings.penalty);
  CHECK(r.settings.C == m.settings.C);
  CHECK(r.settings.solver == m.settings.solver);
  CHECK(r.report.status == "iteration_limit");
  CHECK(r.report.iterations == 17);
  CHECK(r.report.gradient_norm == 1.5e-7);
  CHECK(r.n_rows == 569);
  CHECK(logreg::to_json(r) == logreg::to_json(m));
}

TEST_CASE("model: fit.polish_steps is written only when there were some, and read back") {
  logreg::model m = sample();
  CHECK_FALSE(logreg::to_json(m)["fit"].contains("polish_steps"));
  m.report.polish_steps = 2;
  test::temp_file f("", ".json");
  logreg::save_model(m, f.path());
  const logreg::model r = logreg::load_model(f.path());
  CHECK(r.report.polish_steps == 2);
  CHECK(logreg::to_json(r)["fit"]["polish_steps"] == 2);
}

TEST_CASE("model: refuses other formats, unknown versions and malformed files") {
  nlohmann::json j = logreg::to_json(sample());
  auto load_text = [](const std::string& text) {
    test::temp_file f(text, ".json");
    try {
      logreg::load_model(f.path());
    } catch (const logreg::data_error& e) {
      return std::string(e.what()).substr(f.path().size());
    }
    return std::string("loaded");
  };
  CHECK(load_text(j.dump()) == "loaded");
  nlohmann::json v = j;
  v["version"] = 99;
  CHECK(load_text(v.dump()) == ": model format version 99 is not supported; this logreg reads versions 1 to 2");
  nlohmann::json other = j;
  other["format"] = "something-else";
  CHECK(load_text(other.dump()) == ": not a logreg model (field 'format' is not \"logreg-model\")");
  CHECK(load_text("{\"format\": ") == ": not a valid model file (malformed JSON at byte 12)");
  // Found by fuzzing (tests/fuzz/model_loader.cpp): a number beyond the doubles escaped as a JSON
  // library exception, which ended the program.
  std::string huge = j.dump();
  const std::size_t at = huge.find("\"coefficients\":[") + 16;
  huge.replace(at, 0, "1e999,");
  CHECK(load_text(huge) == ": not a valid model file (the number 1e999 at byte " + std::to_string(at + 1) +
                               " is out of the range of doubles)");
  // Found by fuzzing: a count beyond its integer type was converted unchecked (undefined behaviour).
  nlohmann::json many = j;
  many["fit"]["iterations"] = 5.5e29;
  CHECK(load_text(many.dump()) == ": fit: field 'iterations' must be a whole number from -2147483648 to 2147483647");
  many["fit"]["iterations"] = 4294967296ULL;
  CHECK(load_text(many.dump()) == ": fit: field 'iterations' must be a whole number from -2147483648 to 2147483647");
  many["fit"]["iterations"] = 2.5;
  CHECK(load_text(many.dump()) == ": fit: field 'iterations' must be a whole number from -2147483648 to 2147483647");
  many["fit"]["iterations"] = 7.0;
  CHECK(load_text(many.dump()) == "loaded");
  nlohmann::json missing = j;
  missing.erase("coefficients");
  CHECK(load_text(missing.dump()) == ": missing field 'coefficients'");
  nlohmann::json wrong = j;
  wrong["coefficients"] = {1.0};
  CHECK(load_text(wrong.dump()) == ": 1 coefficients for 3 features");
  CHECK_THROWS_AS(logreg::load_model("/nonexistent/model.json"), logreg::data_error);
}

TEST_CASE("model: a failed save leaves the existing file untouched") {
  test::temp_file f("previous contents", ".json");
  logreg::model bad = sample();
  bad.classes = {"only one"};  // positive_class() throws while serialising
  CHECK_THROWS(logreg::save_model(bad, f.path()));
  std::ifstream in(f.path());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "previous contents");
  CHECK_THROWS_AS(logreg::save_model(sample(), "/nonexistent-dir/model.json"), logreg::data_error);
}

TEST_CASE("model: values inside the file are checked too") {
  nlohmann::json j = logreg::to_json(sample());
  auto load_text = [](const nlohmann::json& v) {
    test::temp_file f(v.dump(), ".json");
    try {
      logreg::load_model(f.path());
    } catch (const logreg::data_error& e) {
      return std::string(e.what()).substr(f.path().size());
    }
    return std::string("loaded");
  };
  nlohmann::json t = j;
  t["threshold"] = 7;
  CHECK(load_text(t) == ": threshold 7 is not between 0 and 1");
  nlohmann::json p = j;
  p["positive_class"] = "benign";
  CHECK(load_text(p) == ": positive_class is not the second of 'classes'");
  nlohmann::json tr = j;
  tr.erase("training");
  CHECK(load_text(tr) == ": missing field 'training'");
  nlohmann::json pen = j;
  pen["training"]["penalty"] = "l7";
  CHECK(load_text(pen) == ": training: unknown penalty 'l7' or solver 'lbfgs'");
  nlohmann::json st = j;
  st["fit"]["status"] = "fine";
  CHECK(load_text(st) == ": fit: unknown fit status 'fine'");
}
