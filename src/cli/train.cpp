#include <unistd.h>

#include <cstdio>

#include "base/communicator.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/fit_options.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"
#include "fit/trainer.hpp"

namespace logreg::cli {

namespace {

command_spec train_spec() {
  command_spec spec{
      "train",
      "logreg train [DATA ...] -m MODEL [options]",
      "Fit a logistic regression (two classes: sigmoid; more: multinomial softmax or one-vs-rest), minimising\n"
      "C * sum_i c_i loss_i + R ||w||_1 + (1 - R) / 2 ||w||^2 (R: 0 for l2, 1 for l1, --l1-ratio for elasticnet).",
      {{"m,model", "where to write the model (JSON; replaced atomically)", "MODEL", ""}}};
  spec.many_data = true;  // several CSV files (or a quoted glob) are read as one, in order
  for (flag& f : fit_flags()) spec.flags.push_back(f);
  return spec;
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

int run_train(const args_t& args) {
  parsed_args a;
  const command_spec spec = train_spec();
  if (!parse(spec, args, a)) return 0;
  if (!a.has("model")) throw usage_error("train: -m/--model MODEL is required (where to write the model)");
  if (a.has("verbose") && a.has("quiet")) throw usage_error("--verbose and --quiet cannot be used together");

  const std::string model_path = a.get("model");
  int threads = 0;
  const train_request req = fit_request(a, threads);

  // Fail before the (possibly long) load when the model cannot be written.
  // Under MPI rank 0 writes the model: its check, agreed by every rank.
  const std::string dir = directory_of(model_path);
  const bool writable = detail::world_rank() != 0 || ::access(dir.c_str(), W_OK) == 0;
  if (detail::world() ? detail::world()->any(!writable) : !writable)
    throw data_error(model_path + ": cannot write the model: directory '" + dir + "' is not writable or does not exist");

  set_thread_count(threads);
  reporter out(a.has("quiet"), a.has("verbose"));
  start_out_of_core(a, req, out);
  if (req.settings.penalty == penalty_kind::none && a.has("C")) out.warn("--C has no effect with --penalty none");
  const std::string source = req.data_path == "-" ? "<stdin>" : req.data_path;
  train_outcome result;
  try {
    result = train_from_csv(req, out.callbacks("reading " + source));
  } catch (...) {
    out.end_progress();
    throw;
  }
  out.end_progress();
  const model& m = result.fitted;
  char buf[512];
  for (const std::string& w : result.warnings) out.warn(w);
  if (!m.inference && req.robust)
    out.warn("--robust: the model holds no standard errors " + no_inference_reason());
  if (detail::world_rank() == 0) save_model(m, model_path);
  std::snprintf(buf, sizeof buf, "%s after %d %s iterations (objective %.10g, max|gradient| %.3g, %.3f s); model written to %s",
                m.report.status.c_str(), m.report.iterations, m.report.solver.c_str(), m.report.objective,
                m.report.gradient_norm, m.report.seconds, model_path.c_str());
  out.info(buf);
  report_out_of_core(out);
  return 0;
}

}  // namespace logreg::cli
