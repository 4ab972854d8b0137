// logreg split: a CSV file's rows into a training part and a test part, in two streaming passes.
//
// Pass 1 counts the rows (per class of --stratify). Pass 2 sends each row to one part, its bytes
// unchanged and in input order: a class with n rows gets k = round(F n) test rows, chosen by
// selection sampling (Knuth's algorithm S: the next row is a test row with probability
// (k - picked) / (n - seen)), which picks each k-subset with equal probability, exactly k of them,
// in one forward pass. The draws come from one splitmix64 stream seeded by --seed, one per row in
// input order: the same seed gives the same parts on every machine. Memory: a count per class and
// the reading buffers; input that cannot be read twice (standard input, a FIFO) is copied once to a
// temporary file first.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/splitmix64.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/output_file.hpp"
#include "io/csv_reader.hpp"
#include "io/spooled_input.hpp"
#include "io/text_hash.hpp"
#include "base/text.hpp"
#include "logreg/error.hpp"

namespace logreg::cli {

namespace {

command_spec split_spec() {
  return {"split",
          "logreg split [DATA] --test-fraction F --train FILE --test FILE [options]",
          "Split a CSV file's rows into a training part and a test part: every row in exactly one of them,\n"
          "unchanged and in input order, both with the header; a random choice of round(F x rows) test rows\n"
          "(per class with --stratify), the same for the same --seed.",
          {
              {"test-fraction", "the share of the rows that go to the test part, between 0 and 1", "F", ""},
              {"train", "where to write the training part (replaced atomically; '-': standard output)", "FILE", ""},
              {"test", "where to write the test part (replaced atomically; '-': standard output)", "FILE", ""},
              {"stratify", "split each class of this column alike (its share of test rows within one row of F)", "COL", ""},
              {"seed", "the random choice (the same parts on every machine)", "S", "0"},
              {"delimiter", "field delimiter: one byte or 'tab'", "C", ","},
              {"quiet", "show only warnings and errors", "", ""},
          },
          true,
          true};
}

struct stratum {
  std::uint64_t rows = 0;   // pass 1: rows of the class; pass 2: rows not yet seen
  std::uint64_t test = 0;   // test rows: round(F rows); pass 2: not yet picked
  std::uint64_t total = 0;  // rows of the class
  std::string name;
};

// Copies byte ranges of a file to outputs, reading it forward in large blocks: the ranges come in
// increasing order (the rows, one after the other), so each byte is read once.
class range_copier {
 public:
  range_copier(const std::string& path, const std::string& display) : display_(display), buf_(1 << 20) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw data_error(display + ": cannot open: " + std::strerror(errno));
  }
  ~range_copier() {
    if (fd_ >= 0) ::close(fd_);
  }
  range_copier(const range_copier&) = delete;
  range_copier& operator=(const range_copier&) = delete;

  // Writes bytes [from, to) of the file to out (from >= every earlier range's end). Returns the last
  // byte written ('\0' when none).
  char copy(std::uint64_t from, std::uint64_t to, std::FILE* out, const std::string& out_name) {
    char last = '\0';
    while (from < to) {
      if (from < start_ || from >= start_ + len_) fill(from);
      const std::size_t at = static_cast<std::size_t>(from - start_);
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(to - from, len_ - at));
      if (std::fwrite(buf_.data() + at, 1, n, out) != n)
        throw data_error(out_name + ": cannot write: " + std::strerror(errno));
      last = buf_[at + n - 1];
      from += n;
    }
    return last;
  }
  // The byte at `at` (at >= every earlier range's end), or '\0' past the end.
  char peek(std::uint64_t at) {
    if (at < start_ || at >= start_ + len_) fill(at);
    return at < start_ + len_ ? buf_[static_cast<std::size_t>(at - start_)] : '\0';
  }

 private:
  void fill(std::uint64_t from) {
    start_ = from;
    len_ = 0;
    while (len_ < buf_.size()) {
      const ssize_t got = ::pread(fd_, buf_.data() + len_, buf_.size() - len_, static_cast<off_t>(from + len_));
      if (got > 0) len_ += static_cast<std::size_t>(got);
      else if (got == 0) break;
      else if (errno != EINTR) throw data_error(display_ + ": read error: " + std::strerror(errno));
    }
  }

  std::string display_;
  int fd_ = -1;
  std::vector<char> buf_;
  std::uint64_t start_ = 0;
  std::size_t len_ = 0;
};

bool same_file(const struct stat& a, const std::string& path) {
  struct stat b;
  return ::stat(path.c_str(), &b) == 0 && S_ISREG(b.st_mode) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

std::string rows_text(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

}  // namespace

int run_split(const args_t& args) {
  parsed_args a;
  const command_spec spec = split_spec();
  if (!parse(spec, args, a)) return 0;
  if (!a.has("test-fraction")) throw usage_error("split: --test-fraction F is required (the share of rows for the test part)");
  if (!a.has("train")) throw usage_error("split: --train FILE is required (where to write the training part)");
  if (!a.has("test")) throw usage_error("split: --test FILE is required (where to write the test part)");
  const std::string f_text = a.get("test-fraction");
  const double F = parse_double("--test-fraction", f_text);
  if (!(F > 0 && F < 1)) throw usage_error("--test-fraction: expected a number between 0 and 1 (exclusive), got '" + f_text + "'");
  const std::string train_path = a.get("train"), test_path = a.get("test");
  for (const auto& [flag, p] : {std::pair{"--train", train_path}, std::pair{"--test", test_path}})
    if (p.empty()) throw usage_error(std::string(flag) + ": give a file name (or '-' for standard output)");
  if (train_path == test_path)
    throw usage_error(train_path == "-" ? "--train and --test cannot both be standard output"
                                        : "--train and --test name the same file '" + train_path + "'");
  const std::uint64_t seed = a.has("seed") ? static_cast<std::uint64_t>(parse_int("--seed", a.get("seed"), 0, 2147483647)) : 0;
  const csv_dialect dialect = a.has("delimiter") ? parse_dialect(a.get("delimiter")) : csv_dialect{};
  const std::string strat_name = a.has("stratify") ? a.get("stratify") : "";
  if (a.has("stratify") && strat_name.empty()) throw usage_error("--stratify: give a column name");
  reporter out(a.has("quiet"), false);

  const detail::spooled_input input(a.data);  // read once when it cannot be read twice
  {
    struct stat in;
    if (!input.spooled() && ::stat(input.path().c_str(), &in) == 0 && S_ISREG(in.st_mode))
      for (const auto& [flag, p] : {std::pair{"--train", train_path}, std::pair{"--test", test_path}})
        if (p != "-" && same_file(in, p))
          throw usage_error(std::string(flag) + ": '" + p + "' is the input file; write the parts to other files");
  }
  const std::string& source = input.display();

  // Pass 1: the rows per class.
  std::vector<stratum> strata;
  std::unordered_map<std::string, std::size_t, detail::text_hash, std::equal_to<>> index;
  std::size_t col = 0;
  {
    csv_reader r(input.path(), dialect, 1 << 20, source);
    r.read_header(true);
    if (!strat_name.empty()) col = r.column(strat_name, "--stratify");
    else strata.push_back({});
    progress_callbacks progress = out.callbacks("counting the rows of " + source);
    std::vector<std::string_view> fields;
    while (r.next(fields)) {
      std::size_t s = 0;
      if (!strat_name.empty()) {
        const std::string_view v = fields[col];
        auto it = index.find(v);
        if (it == index.end()) {
          it = index.emplace(std::string(v), strata.size()).first;
          strata.push_back({});
          strata.back().name = std::string(v);
        }
        s = it->second;
      }
      ++strata[s].rows;
      if (progress.on_load && (r.records() & 0xFFFF) == 0) progress.on_load(r.bytes_consumed(), r.total_bytes(), r.records());
    }
    out.end_progress();
    if (r.records() == 0) throw data_error(source + ": the header has no data rows below it");
  }
  std::uint64_t rows = 0, test_rows = 0;
  std::vector<std::string> unsplit;  // classes too small to have rows in both parts
  for (stratum& s : strata) {
    s.total = s.rows;
    s.test = static_cast<std::uint64_t>(std::llround(F * static_cast<double>(s.rows)));
    rows += s.rows;
    test_rows += s.test;
    if (!strat_name.empty() && (s.test == 0 || s.test == s.rows) && unsplit.size() < 3)
      unsplit.push_back("'" + printable(s.name) + "' (" + rows_text(s.rows) + ")");
  }

  // Pass 2: each row to its part, its bytes as they are.
  output_file train_out(train_path), test_out(test_path);
  {
    csv_reader r(input.path(), dialect, 1 << 20, source);
    r.read_header(true);
    range_copier bytes(input.path(), source);
    std::uint64_t from = r.bytes_consumed();  // the header's end
    const char header_end = bytes.copy(0, from, train_out.stream(), train_out.name());
    bytes.copy(0, from, test_out.stream(), test_out.name());
    // The line end written after a last row that has none: the header's.
    const std::string line_end = header_end == '\n' && from >= 2 && bytes.peek(from - 2) == '\r' ? "\r\n"
                                 : header_end == '\r'                                            ? "\r"
                                                                                                 : "\n";
    progress_callbacks progress = out.callbacks("splitting " + source);
    detail::splitmix64 rng{seed * 0x100000001b3ULL + 0x5851f42d4c957f2dULL};
    std::vector<std::string_view> fields;
    while (r.next(fields)) {
      std::size_t s = 0;
      if (!strat_name.empty()) s = index.find(fields[col])->second;
      stratum& st = strata[s];
      const bool to_test = st.test > 0 && rng.below(st.rows) < st.test;
      --st.rows;
      if (to_test) --st.test;
      const std::uint64_t to = r.bytes_consumed();
      while (from < to && (bytes.peek(from) == '\n' || bytes.peek(from) == '\r')) ++from;  // blank lines before it
      output_file& o = to_test ? test_out : train_out;
      const char last = bytes.copy(from, to, o.stream(), o.name());
      if (last != '\n' && last != '\r' && std::fputs(line_end.c_str(), o.stream()) == EOF)
        throw data_error(o.name() + ": cannot write: " + std::strerror(errno));
      from = to;
      if (progress.on_load && (r.records() & 0xFFFF) == 0) progress.on_load(r.bytes_consumed(), r.total_bytes(), r.records());
    }
    out.end_progress();
  }
  train_out.commit();
  test_out.commit();

  if (!unsplit.empty()) {
    std::size_t count = 0;
    for (const stratum& s : strata) {
      const auto k = static_cast<std::uint64_t>(std::llround(F * static_cast<double>(s.total)));
      count += k == 0 || k == s.total;
    }
    std::string list;
    for (const std::string& u : unsplit) list += (list.empty() ? "" : ", ") + u;
    out.warn(std::to_string(count) + " of the " + std::to_string(strata.size()) + " classes of '" + strat_name +
             "' have too few rows to be in both parts: " + list + (count > unsplit.size() ? ", ..." : ""));
  }
  std::string summary = "split " + rows_text(rows) + " of " + source + ": " + std::to_string(rows - test_rows) + " to " +
                        train_out.name() + ", " + std::to_string(test_rows) + " to " + test_out.name();
  if (!strat_name.empty())
    summary += " (" + std::to_string(strata.size()) + (strata.size() == 1 ? " class" : " classes") + " of '" + strat_name + "' split alike)";
  out.info(summary);
  return 0;
}

}  // namespace logreg::cli
