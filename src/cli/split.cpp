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
#include <sys/stat.h>

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
  std::uint64_t rows = 0;  // pass 1: rows of the class; pass 2: rows not yet seen
  std::uint64_t test = 0;  // test rows: round(F rows); pass 2: not yet picked
  std::string name;
};

// Writes bytes to out, or throws naming it.
void put(std::string_view bytes, output_file& out) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), out.stream()) != bytes.size())
    throw data_error(out.name() + ": cannot write: " + std::strerror(errno));
}

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
  std::size_t unsplit = 0;        // classes too small to have rows in both parts
  std::vector<std::string> named;  // the first three of them, for the warning
  for (stratum& s : strata) {
    s.test = static_cast<std::uint64_t>(std::llround(F * static_cast<double>(s.rows)));
    rows += s.rows;
    test_rows += s.test;
    if (!strat_name.empty() && (s.test == 0 || s.test == s.rows) && ++unsplit <= 3)
      named.push_back("'" + printable(s.name) + "' (" + rows_text(s.rows) + ")");
  }

  // Pass 2: each row to its part, its bytes as they are (csv_reader::raw_record). The header was
  // checked in pass 1; here it is the first record.
  output_file train_out(train_path), test_out(test_path);
  {
    csv_reader r(input.path(), dialect, 1 << 20, source);
    std::vector<std::string_view> fields;
    r.next(fields);
    const std::string_view header = r.raw_record();
    for (output_file* o : {&train_out, &test_out}) {
      if (r.has_bom()) put("\xEF\xBB\xBF", *o);
      put(header, *o);
    }
    // The line end written after a last row that has none: the header's.
    const std::string_view line_end = header.ends_with("\r\n") ? "\r\n" : header.ends_with('\r') ? "\r" : "\n";
    progress_callbacks progress = out.callbacks("splitting " + source);
    detail::splitmix64 rng{seed * 0x100000001b3ULL + 0x5851f42d4c957f2dULL};
    for (std::uint64_t row = 1; r.next(fields); ++row) {
      stratum& st = strata[strat_name.empty() ? 0 : index.find(fields[col])->second];
      const bool to_test = st.test > 0 && rng.below(st.rows) < st.test;
      --st.rows;
      if (to_test) --st.test;
      output_file& o = to_test ? test_out : train_out;
      const std::string_view bytes = r.raw_record();
      put(bytes, o);
      if (!bytes.ends_with('\n') && !bytes.ends_with('\r')) put(line_end, o);
      if (progress.on_load && (row & 0xFFFF) == 0) progress.on_load(r.bytes_consumed(), r.total_bytes(), row);
    }
    out.end_progress();
  }
  train_out.commit();
  test_out.commit();

  if (unsplit > 0) {
    std::string list;
    for (const std::string& u : named) list += (list.empty() ? "" : ", ") + u;
    out.warn(std::to_string(unsplit) + " of the " + std::to_string(strata.size()) + " classes of '" + strat_name +
             "' have too few rows to be in both parts: " + list + (unsplit > named.size() ? ", ..." : ""));
  }
  std::string summary = "split " + rows_text(rows) + " of " + source + ": " + std::to_string(rows - test_rows) + " to " +
                        train_out.name() + ", " + std::to_string(test_rows) + " to " + test_out.name();
  if (!strat_name.empty())
    summary += " (" + std::to_string(strata.size()) + (strata.size() == 1 ? " class" : " classes") + " of '" + strat_name + "' split alike)";
  out.info(summary);
  return 0;
}

}  // namespace logreg::cli
