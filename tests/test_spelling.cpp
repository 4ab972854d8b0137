#include <doctest.h>

#include "base/spelling.hpp"

TEST_CASE("edit distance and suggestions") {
  CHECK(logreg::edit_distance("train", "trian") == 1);  // a transposition counts once
  CHECK(logreg::edit_distance("", "abc") == 3);
  CHECK(logreg::edit_distance("kitten", "sitting") == 3);
  const std::vector<std::string> commands{"train", "predict", "eval", "inspect", "help"};
  CHECK(logreg::nearest_name("trian", commands) == "train");
  CHECK(logreg::nearest_name("predcit", commands) == "predict");
  CHECK(logreg::nearest_name("xyzzy", commands) == "");
  CHECK(logreg::nearest_name("--penalt", {"--penalty", "--positive"}) == "--penalty");
}
