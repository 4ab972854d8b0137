#include "base/text.hpp"

#include <cstdio>

namespace logreg {

namespace {

// The length of the valid UTF-8 sequence at text[i] (1 to 4), or 0 when it is not valid.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return len;
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", c);
  return buf;
}

}  // namespace

std::size_t invalid_text_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = sequence_length(text, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string invalid_text_problem(std::string_view text, std::size_t at) {
  const unsigned char c = static_cast<unsigned char>(text[at]);
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", c);
  std::string what = c == 0 ? std::string("a NUL byte") : "the byte " + std::string(byte);
  if (text.size() > 1) what += " at byte " + std::to_string(at + 1);
  if (c != 0) what += ", which is not valid UTF-8";
  return what;
}

std::string printable(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0, i = 0;
  while (i < text.size() && chars < max_chars) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      out += hex_byte(c);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (const std::size_t len = sequence_length(text, i)) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += hex_byte(c);
      ++i;
    }
    ++chars;
  }
  if (i < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string quoted_text(std::string_view text, std::size_t max_chars) {
  std::string out(1, '"');  // (not "\"" + ...: g++ 12 warns falsely, -Wrestrict)
  out += printable(text, max_chars);
  out.push_back('"');
  return out;
}

std::string text_problem(std::string_view text, std::string_view what, std::size_t max_bytes) {
  // (appended piece by piece: "..." + std::string makes g++ 12 warn falsely, -Wrestrict)
  std::string m(what);
  m.push_back(' ');
  m += quoted_text(text);
  const std::size_t at = invalid_text_at(text);
  if (at != std::string_view::npos) {
    m += " holds ";
    m += invalid_text_problem(text, at);
    m += text[at] == 0 ? "; is the file text?" : "; logreg reads UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)";
    return m;
  }
  if (text.size() > max_bytes) {
    m += " is longer than ";
    m += std::to_string(max_bytes);
    m += " bytes, the most a categorical level may be: is it the right column? (--ignore leaves a column out)";
    return m;
  }
  return {};
}

}  // namespace logreg
