// Fuzz target: the libsvm reader (io/libsvm_reader.hpp), against a reference parser written here
// from its documented rules, which reads the whole input one line at a time.
//
// Input: one control byte, then the file. Control byte: bits 0-1 threads (1-4), bits 2-7 the
// reader's block size (64 bytes times 1-64, so that lines straddle blocks and long lines grow the
// buffer).
// Oracle: the same rows (labels, indices, values bit for bit, zeros left out, the largest index as
// the column count), or a data_error at the same place (file:line:token, and " (index N)" once the
// index is read) for the same cause (a key phrase of the message). A label that is a missing-value
// marker or not UTF-8 text (a NUL) is refused at line:1; the reader checks a block's labels after
// parsing the block, so such a refusal is accepted at any such label before the reference's problem.
// The reference takes an index of 1 to 11 digits (leading zeros included) from 1 to
// 2147483647, as the reader does; a value is what parse_number says of the text after ':'.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fuzz_support.hpp"
#include "io/libsvm_reader.hpp"
#include "io/number_parser.hpp"
#include "logreg/encoding.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"

namespace {

struct row {
  std::string label;
  std::vector<std::pair<std::uint32_t, double>> entries;  // 0-based index, value (non-zero)
};

struct failure {
  std::size_t line = 0;  // 0: the message names the file only
  std::size_t token = 0;
  std::uint32_t index = 0;
  std::string cause;     // a phrase the message must hold
};

struct outcome {
  std::vector<row> rows;
  std::vector<std::size_t> lines;  // reference: the line of each row
  std::uint32_t columns = 0;
  std::string error;               // the reader's message
  bool failed = false;             // the reference's prediction
  failure expected;
};

std::string place(const std::string& source, const failure& f) {
  std::string s = source;
  if (f.line > 0) {  // (appended piece by piece: ":" + std::string makes g++ 12 warn, -Wrestrict)
    s += ':';
    s += std::to_string(f.line);
    s += ':';
    s += std::to_string(f.token);
  }
  if (f.index > 0) s += " (index " + std::to_string(f.index) + ")";
  return s;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// A label the reader refuses: a missing-value marker, or not UTF-8 text (a NUL).
bool doubtful_label(std::string_view s) {
  for (const std::string& na : logreg::default_na_values())
    if (s == na) return true;
  return !fuzz::invalid_text(s).empty();
}

outcome reference(std::string_view text) {
  outcome out;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (const std::size_t hash = l.find('#'); hash != std::string_view::npos) l = l.substr(0, hash);
    std::vector<std::string_view> tokens;
    for (std::size_t i = 0; i < l.size();) {
      while (i < l.size() && is_space(l[i])) ++i;
      const std::size_t start = i;
      while (i < l.size() && !is_space(l[i])) ++i;
      if (i > start) tokens.push_back(l.substr(start, i - start));
    }
    if (tokens.empty()) continue;
    auto fail = [&](std::size_t token, std::uint32_t index, const std::string& cause) {
      out.failed = true;
      out.expected = {line, token, index, cause};
    };
    if (tokens[0].find(':') != std::string_view::npos) {
      fail(1, 0, "expected the label first");
      return out;
    }
    row r;
    r.label = tokens[0];
    std::uint32_t previous = 0;
    for (std::size_t k = 1; k < tokens.size(); ++k) {
      const std::string_view t = tokens[k];
      const std::size_t token = k + 1;
      const std::size_t colon = t.find(':');
      std::uint64_t index = 0;
      bool digits = colon != std::string_view::npos && colon >= 1 && colon <= 11;
      for (std::size_t i = 0; digits && i < colon; ++i) {
        digits = t[i] >= '0' && t[i] <= '9';
        index = index * 10 + static_cast<unsigned>(t[i] - '0');
      }
      if (!digits || index == 0 || index > logreg::libsvm_max_index) {
        const bool qid = t.substr(0, 4) == "qid:";
        if (qid && token == 2) continue;
        if (qid)
          fail(token, 0, "a qid: token may only follow the label");
        else if (colon == std::string_view::npos)
          fail(token, 0, "expected INDEX:VALUE, found");
        else
          fail(token, 0, "expected INDEX:VALUE with INDEX a whole number from 1 to " +
                             std::to_string(logreg::libsvm_max_index));
        return out;
      }
      const auto idx = static_cast<std::uint32_t>(index);
      if (idx <= previous) {
        fail(token, idx, "feature indices must increase within a line, but " + std::to_string(idx) + " follows " +
                             std::to_string(previous));
        return out;
      }
      previous = idx;
      const std::string_view v = t.substr(colon + 1);
      double x = 0;
      const logreg::cell_kind kind = logreg::parse_number(v, x);
      if (kind != logreg::cell_kind::number) {
          fail(token, idx,
             kind == logreg::cell_kind::empty        ? "expected a number after ':', found nothing"
             : kind == logreg::cell_kind::non_finite ? "expected a finite number, found"
                                                     : "expected a number, found");
        return out;
      }
      if (x != 0) r.entries.emplace_back(idx - 1, x);
      out.columns = std::max(out.columns, idx);
    }
    out.rows.push_back(std::move(r));
    out.lines.push_back(line);
  }
  if (out.rows.empty()) {
    out.failed = true;
    out.expected.cause = "no data rows";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  logreg::apply_thread_policy();
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::controls in{data, size};
  const std::uint8_t c = in.take();
  const std::string_view text = in.rest();
  fuzz::input_file().assign(text);
  const std::string& path = fuzz::input_file().path();
  logreg::set_thread_count(1 + (c & 3));
  const std::size_t block = 64 * (1 + (c >> 2));

  outcome got;
  try {
    const logreg::labelled_sparse_data d = logreg::load_labelled_libsvm(path, {}, block);
    const logreg::csr_matrix& X = d.X;
    fuzz::check(d.label_index.size() == X.n_rows && X.row_ptr.size() == X.n_rows + 1 && X.row_ptr[0] == 0 &&
                    X.row_ptr.back() == X.col.size() && X.col.size() == X.val.size() && d.bytes == text.size(),
                "inconsistent sizes");
    got.columns = static_cast<std::uint32_t>(X.n_cols);
    for (std::size_t i = 0; i < X.n_rows; ++i) {
      fuzz::check(d.label_index[i] < d.labels.size() && X.row_ptr[i] <= X.row_ptr[i + 1], "bad row " + std::to_string(i));
      row r;
      r.label = d.labels[d.label_index[i]];
      for (std::size_t k = X.row_ptr[i]; k < X.row_ptr[i + 1]; ++k) r.entries.emplace_back(X.col[k], X.val[k]);
      got.rows.push_back(std::move(r));
    }
    std::vector<std::string> first_seen;  // the labels, distinct, in order of first appearance
    for (const row& r : got.rows)
      if (std::find(first_seen.begin(), first_seen.end(), r.label) == first_seen.end()) first_seen.push_back(r.label);
    fuzz::check(d.labels == first_seen, "labels are not the distinct labels in order of first appearance");
  } catch (const logreg::data_error& e) {
    got.error = e.what();
  }
  fuzz::check_no_descriptor_leak();
  const outcome want = reference(text);
  const std::string where = " (file \"" + fuzz::printable(text) + "\", block " + std::to_string(block) + ")";
  if (!got.error.empty()) {
    // A label refused for its text, at its line (the rows the reference read are those before any
    // problem it sees).
    for (std::size_t i = 0; i < want.rows.size(); ++i)
      if (got.error.rfind(place(path, {want.lines[i], 1, 0, ""}) + ": ", 0) == 0 && doubtful_label(want.rows[i].label))
        return 0;
  }
  if (want.failed) {
    const std::string at = place(path, want.expected);
    fuzz::check(got.error.rfind(at + ": ", 0) == 0 && got.error.find(want.expected.cause) != std::string::npos,
                "reader: \"" + fuzz::printable(got.error) + "\", reference: at " + at + ", \"" + want.expected.cause + "\"" + where);
    return 0;
  }
  fuzz::check(got.error.empty(), "reader: \"" + fuzz::printable(got.error) + "\", reference: no error" + where);
  fuzz::check(got.rows.size() == want.rows.size(), "reader: " + std::to_string(got.rows.size()) + " rows, reference: " +
                                                       std::to_string(want.rows.size()) + where);
  fuzz::check(got.columns == want.columns, "column count differs" + where);
  for (const row& r : want.rows)
    fuzz::check(!doubtful_label(r.label), "the label \"" + fuzz::printable(r.label) + "\" accepted" + where);
  for (std::size_t i = 0; i < got.rows.size(); ++i) {
    const row &a = got.rows[i], &b = want.rows[i];
    bool same = a.label == b.label && a.entries.size() == b.entries.size();
    for (std::size_t k = 0; same && k < a.entries.size(); ++k)
      same = a.entries[k].first == b.entries[k].first &&
             std::memcmp(&a.entries[k].second, &b.entries[k].second, sizeof(double)) == 0;
    fuzz::check(same, "row " + std::to_string(i) + " differs" + where);
  }
  return 0;
}
