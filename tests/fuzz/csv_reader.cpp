// Fuzz target: the RFC 4180 reader (io/csv_reader.hpp), against a reference parser written here
// from its documented rules, which sees the whole input at once (no blocks, no need_more).
//
// Input: two control bytes, then the file. Control byte 0: bits 0-1 the delimiter (',' ';' tab, or
// control byte 1 itself); bit 2: read a header first (read_header, then every record must have
// its field count) or records only; bit 3: put a UTF-8 byte order mark in front; bit 4 (records
// only): put a record of padding in front, sized so that the reader's first 4096-byte block ends
// (control byte 1) bytes into the fuzzed text, so that records straddle the reader's refills.
// Oracle: the same records (fields, byte for byte) with the same line numbers and the same end
// (all bytes consumed), or a data_error at the same place (file:line:field, or file:line for a
// wrong field count) for the same cause (a key phrase of the message: the wording may change); a
// delimiter that cannot be one is a usage_error. Records written back with append_csv_field read
// back as the same records. Header names must be UTF-8 text without NUL (checked here by a decoder
// of its own); a name twice is an error only when something follows the header's line. After the
// records, csv_reader::column finds every name of a valid header at its first column, and a name
// that is not there is a data_error.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fuzz_support.hpp"
#include "io/csv_reader.hpp"
#include "logreg/error.hpp"

namespace {

struct record {
  std::vector<std::string> fields;
  std::size_t line;
  bool operator==(const record&) const = default;
};

// A data_error as the reference predicts it: where and why.
struct failure {
  std::size_t line = 0;
  std::size_t field = SIZE_MAX;  // 0-based; SIZE_MAX: the message names the line only
  std::string cause;             // a phrase the message must hold
};

struct outcome {
  std::vector<record> records;  // data records (after the header, if one was read)
  std::vector<std::string> header;
  std::vector<std::string> first;  // reference: the first record (the header, valid or not) ...
  std::size_t first_line = 0;      // ... and its line
  std::string error;            // the reader's message; empty: read to the end
  bool failed = false;          // the reference's prediction
  failure expected;
  std::size_t next_line = 0;
};

// The reference: records of `bytes` as the reader's rules say (csv_reader.hpp), with its messages.
outcome reference(std::string_view b, char delim, bool with_header) {
  outcome out;
  std::size_t p = 0, line = 1;
  const std::size_t n = b.size();
  if (b.substr(0, 3) == "\xEF\xBB\xBF") p = 3;
  auto fail = [&](std::size_t record_line, std::size_t field, const std::string& cause) {
    out.failed = true;
    out.expected = {record_line, field, cause};
  };
  bool header_read = false;
  for (;;) {
    while (p < n && (b[p] == '\n' || b[p] == '\r')) {
      if (b[p] == '\r' && p + 1 < n && b[p + 1] == '\n') ++p;
      ++p;
      ++line;
    }
    if (p == n) break;
    record r;
    r.line = line;
    for (;;) {
      if (p < n && b[p] == '"') {
        ++p;
        std::string value;
        for (;;) {
          if (p == n) {
            fail(r.line, r.fields.size(), "unclosed quote");
            return out;
          }
          const char c = b[p];
          if (c == '"') {
            if (p + 1 < n && b[p + 1] == '"') {
              value.push_back('"');
              p += 2;
              continue;
            }
            break;
          }
          if (c == '\n' || (c == '\r' && !(p + 1 < n && b[p + 1] == '\n'))) ++line;
          value.push_back(c);
          ++p;
        }
        ++p;
        r.fields.push_back(std::move(value));
        if (p < n && b[p] != delim && b[p] != '\n' && b[p] != '\r') {
          fail(r.line, r.fields.size() - 1, "after the closing quote of a quoted field");
          return out;
        }
      } else {
        const std::size_t start = p;
        while (p < n && b[p] != delim && b[p] != '\n' && b[p] != '\r') ++p;
        r.fields.emplace_back(b.substr(start, p - start));
      }
      if (p < n && b[p] == delim) {
        ++p;
        continue;
      }
      if (p < n && b[p] == '\r') {
        if (p + 1 < n && b[p + 1] == '\n') ++p;
        ++p;
        ++line;
      } else if (p < n && b[p] == '\n') {
        ++p;
        ++line;
      }
      break;
    }
    if (with_header && !header_read) {
      out.first = r.fields;
      out.first_line = r.line;
      // Each name in turn: not empty, UTF-8 without NUL; then no name twice, checked only when
      // something follows the header's line (a header and no rows fails in the loaders' check).
      for (std::size_t i = 0; i < r.fields.size(); ++i) {
        if (r.fields[i].empty()) {
          fail(r.line, i, "empty column name in the header");
          return out;
        }
        if (const std::string bad = fuzz::invalid_text(r.fields[i]); !bad.empty()) {
          fail(r.line, i, bad);
          return out;
        }
      }
      std::unordered_map<std::string, std::size_t> seen;
      for (std::size_t i = 0; i < r.fields.size() && p < n; ++i) {
        auto [it, fresh] = seen.emplace(r.fields[i], i);
        if (!fresh) {
          fail(r.line, i, "duplicate column name");
          return out;
        }
      }
      out.header = r.fields;
      header_read = true;
      continue;
    }
    if (with_header && r.fields.size() != out.header.size()) {
      fail(r.line, SIZE_MAX, "expected " + std::to_string(out.header.size()) + " fields as in the header, found " +
                                 std::to_string(r.fields.size()));
      return out;
    }
    out.records.push_back(std::move(r));
  }
  if (with_header && !header_read) fail(0, SIZE_MAX, "the input is empty");
  out.next_line = line;
  return out;
}

std::string show(const record& r) {
  std::string s = "line " + std::to_string(r.line) + ":";
  for (const std::string& f : r.fields) s += " [" + fuzz::printable(f, 60) + "]";
  return s;
}

// "source:line:field", "source:line" or "source" (line 0).
std::string place(const std::string& source, const failure& f) {
  std::string s = source;
  if (f.line > 0) s += ":" + std::to_string(f.line);
  if (f.field != SIZE_MAX) s += ":" + std::to_string(f.field + 1);
  return s;
}

void compare(const outcome& got, const outcome& want, std::string_view file, const std::string& source) {
  const std::string where = " (file \"" + fuzz::printable(file) + "\")";
  fuzz::check(got.header == want.header, "header differs" + where);
  for (std::size_t i = 0; i < got.records.size() && i < want.records.size(); ++i)
    fuzz::check(got.records[i] == want.records[i],
                "record " + std::to_string(i) + ": reader " + show(got.records[i]) + ", reference " + show(want.records[i]) + where);
  fuzz::check(got.records.size() == want.records.size(),
              "reader: " + std::to_string(got.records.size()) + " records, reference: " + std::to_string(want.records.size()) + where);
  if (!want.failed) {
    fuzz::check(got.error.empty(), "reader: \"" + fuzz::printable(got.error) + "\", reference: no error" + where);
    fuzz::check(got.next_line == want.next_line, "next_line " + std::to_string(got.next_line) + ", reference " +
                                                     std::to_string(want.next_line) + where);
    return;
  }
  const std::string at = place(source, want.expected);
  const bool placed = got.error.rfind(at + ": ", 0) == 0 || got.error.rfind(at + " (", 0) == 0;
  fuzz::check(placed && got.error.find(want.expected.cause) != std::string::npos,
              "reader: \"" + fuzz::printable(got.error) + "\", reference: at " + at + ", \"" + want.expected.cause + "\"" + where);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::controls in{data, size};
  const std::uint8_t c0 = in.take(), c1 = in.take();
  const std::string_view text = in.rest();
  static constexpr char delimiters[3] = {',', ';', '\t'};
  const char delim = (c0 & 3) == 3 ? static_cast<char>(c1) : delimiters[c0 & 3];
  const bool with_header = c0 & 4, bom = c0 & 8, pad = !with_header && (c0 & 16);
  std::string bytes = bom ? "\xEF\xBB\xBF" : "";
  if (pad) {  // one record of 'p's and a LF; the first block then ends `offset` bytes into `text`
    const std::size_t offset = text.empty() ? 0 : c1 % (text.size() + 1);
    bytes += std::string(4096 - bytes.size() - offset - 1, 'p') + "\n";
  }
  bytes += text;
  fuzz::input_file().assign(bytes);
  const std::string& path = fuzz::input_file().path();

  outcome got;
  try {
    logreg::csv_reader reader(path, logreg::csv_dialect{delim}, 4096);
    if (with_header) got.header = reader.read_header();
    std::vector<std::string_view> fields;
    while (reader.next(fields)) {
      got.records.push_back({std::vector<std::string>(fields.begin(), fields.end()), reader.line()});
      fuzz::check(reader.records() == (with_header ? got.records.size() : 0), "records() is wrong");
    }
    got.next_line = reader.next_line();
    if (with_header) {  // the index of the names (not built when nothing follows the header)
      const std::vector<std::string>& h = reader.header();
      std::unordered_map<std::string, std::size_t> first;
      for (std::size_t i = 0; i < h.size(); ++i) first.emplace(h[i], i);
      if (first.size() == h.size()) {
        for (std::size_t i = 0; i < h.size(); ++i)
          fuzz::check(reader.column(h[i], "fuzz") == i, "column('" + fuzz::printable(h[i]) + "') is not " + std::to_string(i));
        std::string absent = h[0];
        while (first.count(absent)) absent += '~';
        bool threw = false;
        try {
          reader.column(absent, "fuzz");
        } catch (const logreg::data_error&) {
          threw = true;
        }
        fuzz::check(threw, "column('" + fuzz::printable(absent) + "') found a name that is not in the header");
      }
    }
    fuzz::check(reader.bytes_consumed() == bytes.size() && reader.total_bytes() == bytes.size(),
                "the reader did not consume the whole file");
  } catch (const logreg::usage_error&) {
    fuzz::check_no_descriptor_leak();
    fuzz::check(delim == '"' || delim == '\n' || delim == '\r', "usage_error for an acceptable delimiter");
    return 0;
  } catch (const logreg::data_error& e) {
    got.error = e.what();
  }
  fuzz::check_no_descriptor_leak();
  fuzz::check(delim != '"' && delim != '\n' && delim != '\r', "a quote or line break accepted as the delimiter");
  const outcome want = reference(bytes, delim, with_header);
  compare(got, want, bytes, path);

  // Written back field by field (a blank line first, so that a field starting with the bytes of a
  // byte order mark stays one), the records read back the same; a record of one empty field is a
  // blank line, which readers skip, so it is left out.
  std::string written = "\n";
  std::vector<record> kept;
  for (const record& r : want.records) {
    if (r.fields.size() == 1 && r.fields[0].empty()) continue;
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      if (i > 0) written.push_back(delim);
      logreg::append_csv_field(written, r.fields[i], delim);
    }
    written.push_back('\n');
    kept.push_back({r.fields, 0});
  }
  outcome again = reference(written, delim, false);
  fuzz::check(!again.failed, "written records do not read back: \"" + fuzz::printable(written) + "\"");
  for (record& r : again.records) r.line = 0;
  fuzz::check(again.records == kept, "written records read back differently: \"" + fuzz::printable(written) + "\"");
  return 0;
}
