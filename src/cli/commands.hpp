// The subcommands; each lives in its own file and returns the process exit code.
#pragma once
#include <string>
#include <vector>

namespace logreg::cli {

using args_t = std::vector<std::string>;

int run_train(const args_t& args);
int run_predict(const args_t& args);
int run_eval(const args_t& args);
int run_inspect(const args_t& args);
int run_cv(const args_t& args);
int run_path(const args_t& args);
int run_threshold(const args_t& args);
int run_split(const args_t& args);

struct command {
  const char* name;
  const char* summary;
  int (*run)(const args_t&);
};

inline constexpr command commands[] = {
    {"train", "fit a logistic regression model to a CSV file and write it as JSON", run_train},
    {"predict", "write labels and probabilities for each row of a CSV file", run_predict},
    {"eval", "measure a model on labelled CSV data (accuracy, ROC AUC, log loss, ...)", run_eval},
    {"inspect", "show a model's coefficients and fit report", run_inspect},
    {"cv", "cross-validate over a grid of C: choose C (and the L1 ratio), optionally refit", run_cv},
    {"path", "fit along a grid of C and write the coefficients for each C (CSV)", run_path},
    {"threshold", "choose a two-class model's decision threshold on labelled data (F1, Youden, cost, ...)", run_threshold},
    {"split", "split a CSV file's rows into a training part and a test part (stratified, seeded, streaming)", run_split},
};

}  // namespace logreg::cli
