// Text as logreg reads it and quotes it: input is UTF-8, and a message quotes a cell so that it can
// always be printed (a bad byte or a control character shown as \xHH, never raw; a long cell cut).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace logreg {

// The first byte of `text` that is not part of valid UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or a NUL byte; npos when there is none.
std::size_t invalid_text_at(std::string_view text);

// What is wrong at invalid_text_at(text) = at, in words: "a NUL byte" or "the byte 0xE9, which is
// not valid UTF-8", followed by " at byte N" (1-based) when the text is longer than that byte.
std::string invalid_text_problem(std::string_view text, std::size_t at);

// The text for a message: valid UTF-8 as is, except that control characters, a NUL and bytes that
// are not valid UTF-8 appear as \xHH (and a backslash as itself); cut after max_chars characters,
// with "..." and the full length in bytes.
std::string printable(std::string_view text, std::size_t max_chars = 40);

// printable(text) in double quotes: how messages quote a cell.
std::string quoted_text(std::string_view text, std::size_t max_chars = 40);

// Why `text` cannot be read as `what` ("the label", "the column name", ...): it is not valid UTF-8,
// holds a NUL byte, or is longer than max_bytes. Empty when it can. The message quotes the text
// (printable) and says what to do.
std::string text_problem(std::string_view text, std::string_view what, std::size_t max_bytes = std::string_view::npos);

// The longest text a categorical level may be (longer: an error that names the place): a cell of
// megabytes in a feature column is a mistake (a misplaced column, a file that is not CSV), and each
// level is stored in the model.
inline constexpr std::size_t max_level_bytes = 1000;

// text_problem for a class label (any length) and for a categorical level.
inline std::string label_text_problem(std::string_view text) { return text_problem(text, "the label"); }
inline std::string level_text_problem(std::string_view text) { return text_problem(text, "the value", max_level_bytes); }

}  // namespace logreg
