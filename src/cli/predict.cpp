#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "logreg/error.hpp"
#include "predict/libsvm_predictor.hpp"
#include "predict/predictor.hpp"
#include "logreg/threads.hpp"
#include "cli/output_file.hpp"

namespace logreg::cli {

namespace {
const command_spec spec{
    "predict",
    "logreg predict [DATA] -m MODEL [options]",
    "Write one CSV row per input row, in input order: the --keep columns, label, then probability (two\n"
    "classes: of the positive class) or probability_<class> for each class (more than two classes).\n"
    "(the probability of the model's positive class). Streams: memory stays bounded.",
    {
        {"m,model", "the model to apply", "MODEL", ""},
        {"o,output", "write to this file (replaced atomically) instead of standard output", "OUT", ""},
        {"threshold", "predict the positive class when probability >= T", "T", "the model's, 0.5"},
        {"keep", "input columns to copy to the output, first", "A,B,..", ""},
        {"proba-only", "leave out the label column", "", ""},
        {"all-probabilities", "binary models: a probability_<class> column for each class", "", ""},
        {"unknown", "a categorical level not seen in training: zero (all indicators 0) or error", "U", "zero"},
        {"na-values", "cell texts that mean missing, besides empty cells", "A,B,..", "the model's"},
        {"delimiter", "field delimiter of the input: one byte or 'tab'", "C", ","},
        {"format", "input format: csv or libsvm", "F", "libsvm for .svm/.libsvm files, else the model's"},
        {"threads", "threads for parsing (0: one per core)", "N", "0"},
        {"quiet", "show only warnings and errors", "", ""},
    }};
}  // namespace

int run_predict(const args_t& args) {
  parsed_args a;
  if (!parse(spec, args, a)) return 0;
  if (!a.has("model")) throw usage_error("predict: -m/--model MODEL is required");
  predict_options opts;
  if (a.has("delimiter")) opts.dialect = parse_dialect(a.get("delimiter"));
  if (a.has("keep")) opts.keep = parse_list("--keep", a.get("keep"));
  opts.proba_only = a.has("proba-only");
  opts.all_probabilities = a.has("all-probabilities");
  if (a.has("unknown")) opts.unknown = parse_unknown(a.get("unknown"));
  if (a.has("na-values")) {
    opts.na_values = parse_na_values(a.get("na-values"));
    opts.override_na_values = true;
  }
  if (a.has("threads")) set_thread_count(parse_int("--threads", a.get("threads"), 0, 1024));
  const std::optional<data_format> asked = a.has("format") ? std::optional(parse_data_format(a.get("format"))) : std::nullopt;
  const std::string model_path = a.get("model");
  const model m = load_model(model_path);
  const data_format format = input_format(asked, a.data, m);
  if (format == data_format::libsvm) {
    for (const char* flag : {"keep", "delimiter", "unknown", "na-values"})
      if (a.has(flag)) throw usage_error(std::string("--") + flag + ": does not apply to libsvm input (it has no columns)");
    check_libsvm_model(m, model_path);
  }
  if (a.has("threshold") && !m.binary()) throw usage_error("--threshold: applies to two-class models; this one has " + std::to_string(m.classes.size()) + " classes (the label is the most probable class)");
  opts.threshold = parse_threshold(a, m.threshold);
  reporter out(a.has("quiet"), false);
  warn_if_not_converged(m, model_path, out);
  output_file dest(a.has("output") ? a.get("output") : "-");
  opts.output_name = dest.name();
  prediction_summary summary;
  try {
    if (format == data_format::libsvm)
      predict_libsvm(m, a.data, dest.stream(), opts, out.callbacks("predicting"));
    else
      summary = predict_csv(m, a.data, dest.stream(), opts, out.callbacks("predicting"));
  } catch (...) {
    out.end_progress();
    throw;
  }
  out.end_progress();
  report_encode_counts(m, summary.counts, out);
  dest.commit();
  return 0;
}

}  // namespace logreg::cli
