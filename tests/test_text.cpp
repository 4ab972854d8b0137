// UTF-8 checks and the quoting of cells in messages (base/text.hpp).
#include <doctest.h>

#include <string>

#include "base/text.hpp"

using logreg::invalid_text_at;
using logreg::printable;
using logreg::quoted_text;

TEST_CASE("text: invalid_text_at finds the first byte that is not valid UTF-8, or a NUL") {
  const auto npos = std::string::npos;
  CHECK(invalid_text_at("") == npos);
  CHECK(invalid_text_at("plain ascii, with tabs\t") == npos);
  CHECK(invalid_text_at("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == npos);  // é € 😀
  CHECK(invalid_text_at("caf\xE9") == 3);                                  // Latin-1 é
  CHECK(invalid_text_at(std::string("a\0b", 3)) == 1);                     // NUL
  CHECK(invalid_text_at("\xC0\xAF") == 0);                                 // overlong '/'
  CHECK(invalid_text_at("\xE0\x80\xAF") == 0);                             // overlong, 3 bytes
  CHECK(invalid_text_at("\xED\xA0\x80") == 0);                             // a surrogate
  CHECK(invalid_text_at("\xF4\x90\x80\x80") == 0);                         // above U+10FFFF
  CHECK(invalid_text_at("ok\xE2\x82") == 2);                               // cut short
  CHECK(invalid_text_at("\x80") == 0);                                     // a lone continuation byte
  CHECK(invalid_text_at("\xFF") == 0);
}

TEST_CASE("text: printable escapes what cannot be shown and shortens long cells") {
  CHECK(printable("plain") == "plain");
  CHECK(printable("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(printable("caf\xE9") == "caf\\xE9");
  CHECK(printable(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(printable("a\tb\n") == "a\\x09b\\x0A");
  CHECK(printable(std::string(40, 'x')) == std::string(40, 'x'));
  CHECK(printable(std::string(41, 'x')) == std::string(40, 'x') + "... (41 bytes)");
  // Characters, not bytes: 40 two-byte characters are shown whole.
  std::string e;
  for (int i = 0; i < 45; ++i) e += "\xC3\xA9";
  std::string first40;
  for (int i = 0; i < 40; ++i) first40 += "\xC3\xA9";
  CHECK(printable(e) == first40 + "... (90 bytes)");
  CHECK(quoted_text("a\xFF") == "\"a\\xFF\"");
}

TEST_CASE("text: text_problem names the byte and says what to do") {
  CHECK(logreg::text_problem("fine", "the label").empty());
  CHECK(logreg::text_problem("caf\xE9", "the label") ==
        "the label \"caf\\xE9\" holds the byte 0xE9 at byte 4, which is not valid UTF-8; logreg reads UTF-8 text "
        "(convert the file, e.g. iconv -f latin1 -t utf-8)");
  CHECK(logreg::text_problem(std::string("\0", 1), "the column name") ==
        "the column name \"\\x00\" holds a NUL byte; is the file text?");
  CHECK(logreg::level_text_problem(std::string(1000, 'a')).empty());
  CHECK(logreg::level_text_problem(std::string(1001, 'a')) ==
        "the value \"" + std::string(40, 'a') +
            "... (1001 bytes)\" is longer than 1000 bytes, the most a categorical level may be: is it the right "
            "column? (--ignore leaves a column out)");
  CHECK(logreg::label_text_problem(std::string(5000, 'a')).empty());  // labels: any length
}
