// What every command shares: flag parsing with exact messages, value checks, and the stderr reporter.
#pragma once
#include <cxxopts.hpp>
#include <optional>
#include <string>
#include <vector>

#include "io/csv_reader.hpp"
#include "io/data_format.hpp"
#include "data/row_encoder.hpp"
#include "logreg/model.hpp"
#include "logreg/progress.hpp"
#include "predict/predictor.hpp"

namespace logreg::cli {

struct flag {
  std::string names;       // cxxopts style: "m,model" or "threshold"
  std::string help;
  std::string value_name;  // empty: a switch without a value
  std::string default_value;
};

struct command_spec {
  std::string name;     // "train"
  std::string usage;    // "logreg train [DATA] -m MODEL [options]"
  std::string summary;  // one line
  std::vector<flag> flags;
  bool takes_data = true;  // one optional positional DATA argument
  bool csv_only = false;   // DATA is CSV only (no --format libsvm)
  bool many_data = false;  // DATA may be several files (train: read as one)
};

struct parsed_args {
  cxxopts::ParseResult result;
  std::string data = "-";  // DATA, or "-" (standard input); the first of several
  std::vector<std::string> data_list;  // every DATA argument (command_spec::many_data)
  bool has(const std::string& name) const { return result.count(name) > 0; }
  std::string get(const std::string& name) const { return result[name].as<std::string>(); }
};

// Parses args (without the command name). Throws usage_error for unknown flags (with a suggestion),
// missing values and extra arguments. Returns false when --help was given (help already printed).
bool parse(const command_spec& spec, const std::vector<std::string>& args, parsed_args& out);
std::string help_text(const command_spec& spec);

// Value checks, each naming the flag and what it accepts (usage_error).
double parse_double(const std::string& flag, const std::string& text);
int parse_int(const std::string& flag, const std::string& text, int min, int max);
std::vector<std::string> parse_list(const std::string& flag, const std::string& text);
csv_dialect parse_dialect(const std::string& text);
// --na-values: comma-separated markers; "" (only empty cells) is allowed.
std::vector<std::string> parse_na_values(const std::string& text);

// Messages for people on stderr; progress only on a terminal, never with --quiet.
class reporter {
 public:
  reporter(bool quiet, bool verbose);
  void info(const std::string& message) const;     // shown unless --quiet
  void detail(const std::string& message) const;   // shown with --verbose
  void warn(const std::string& message) const;     // always shown
  progress_callbacks callbacks(const std::string& what);
  void end_progress();
  bool verbose() const { return verbose_; }

 private:
  bool quiet_, verbose_, tty_;
  bool progress_shown_ = false;
  double last_update_ = -1;
};

std::string format_bytes(double bytes);

// --threshold if given (checked to lie in [0, 1]), else the model's.
double parse_threshold(const parsed_args& a, double model_threshold);
// Why a model may hold no inference data (inspect, train --robust).
std::string no_inference_reason();

// After predict / eval: how many cells held unseen levels (a warning) or were filled in (a note).
void report_encode_counts(const model& m, const encode_counts& counts, const reporter& out);
// What predict and eval read: --format if given, else libsvm for a .svm / .libsvm file, else the
// format the model was trained on.
data_format input_format(const std::optional<data_format>& asked, const std::string& data, const model& m);

// eval and threshold read labelled data alike. labelled_format: input_format, then for libsvm input
// the column flags (--weight, --delimiter, --unknown, --na-values) are usage errors and the model
// must be a libsvm one. read_labelled: --unknown, --na-values and --weight, then DATA's rows scored
// by the model (progress as `what`), with the counts of unseen levels and filled cells reported.
data_format labelled_format(const parsed_args& a, const std::optional<data_format>& asked, const model& m,
                            const std::string& model_path);
scored_rows read_labelled(const parsed_args& a, const model& m, data_format format, const csv_dialect& dialect,
                          reporter& out, const std::string& what);

// Every use of a model whose fit did not converge says so.
void warn_if_not_converged(const model& m, const std::string& path, const reporter& out);

}  // namespace logreg::cli
