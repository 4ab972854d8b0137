// Uses the logreg library as a program of its own would: simulates a binary outcome from three
// features, fits a logistic regression, predicts probabilities for new observations, saves the
// model as JSON, loads it back and checks that the loaded model predicts the same numbers.
//
//   fit_predict [MODEL.json]     (default: model.json in the current directory)
#include <logreg/logreg.hpp>  // the whole public API; nothing else of logreg is needed

#include <armadillo>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <random>
#include <span>
#include <string>
#include <vector>

int main(int argc, char** argv) try {
  const std::string model_path = argc > 1 ? argv[1] : "model.json";
  logreg::apply_thread_policy();  // optional: OpenBLAS on one thread, as the command line runs it

  // 1. Data. logreg's X has ONE COLUMN PER OBSERVATION (d x n). The outcome is drawn from a known
  //    model: P(y = 1 | x) = 1 / (1 + exp(-(-0.5 + 1.5 x1 - 2 x2 + 0 x3))).
  const arma::uword d = 3, n_train = 400, n_test = 200, n = n_train + n_test;
  const double true_intercept = -0.5;
  const arma::vec true_coef = {1.5, -2.0, 0.0};
  std::mt19937_64 rng(2);  // fixed seed: the same data on every run
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  arma::mat X(d, n);
  arma::uvec y(n);
  for (arma::uword i = 0; i < n; ++i) {
    for (arma::uword j = 0; j < d; ++j) X(j, i) = normal(rng);
    const double p = 1 / (1 + std::exp(-(true_intercept + arma::dot(true_coef, X.col(i)))));
    y(i) = uniform(rng) < p ? 1 : 0;
  }
  const arma::mat X_train = X.cols(0, n_train - 1), X_test = X.cols(n_train, n - 1);
  const arma::uvec y_train = y.head(n_train), y_test = y.tail(n_test);

  // 2. Fit on the first 400 observations. Labels are text: to_labels turns the codes 0 / 1 into
  //    "0" / "1", and "1" is the positive class.
  logreg::fit_settings settings;                  // default: L2 with C = 1, standardised, intercept
  settings.penalty = logreg::penalty_kind::none;  // here: plain maximum likelihood, as R's glm
  logreg::fit_options options;
  options.feature_names = {"x1", "x2", "x3"};
  const logreg::fit_result result = logreg::fit(X_train, logreg::to_labels(y_train), settings, options);
  for (const std::string& warning : result.warnings) std::printf("warning: %s\n", warning.c_str());
  const logreg::model& model = result.fitted;
  std::printf("logreg %s: %s after %d %s iterations\n", logreg::logreg_version().c_str(),
              model.report.status.c_str(), model.report.iterations, model.report.solver.c_str());

  // The coefficient table (inference.hpp): (Intercept) first, then the features in order.
  const logreg::inference_table table = logreg::make_inference_table(model);
  std::printf("%-12s %9s %9s %9s\n", "term", "true", "estimate", "std.err");
  for (std::size_t k = 0; k < table.rows.size(); ++k) {
    const double truth = k == 0 ? true_intercept : true_coef(k - 1);
    std::printf("%-12s %9.4f %9.4f %9.4f\n", table.rows[k].term.c_str(), truth, table.rows[k].estimate,
                table.rows[k].std_error);
  }

  // 3. Predict the 200 held-out observations. P is K x n: row 1 is P(y = "1") (model.classes[1]).
  const arma::mat P = logreg::predict_proba(model, X_test);
  const std::vector<std::string> labels = logreg::predict_labels(model, X_test);
  const arma::rowvec p_positive = P.row(1);
  const std::vector<std::uint8_t> is_positive(y_test.begin(), y_test.end());
  const logreg::binary_metrics metrics = logreg::compute_binary_metrics(
      is_positive, std::span<const double>(p_positive.memptr(), p_positive.n_elem));
  std::printf("held-out: %zu observations, accuracy %.3f, ROC AUC %.3f, log loss %.4f\n", metrics.n,
              metrics.accuracy, metrics.roc_auc, metrics.log_loss);

  // 4. Save the model (the JSON file `logreg train` writes), load it back, predict again: the
  //    file holds every double exactly, so the probabilities are the same bit for bit.
  logreg::save_model(model, model_path);
  const logreg::model loaded = logreg::load_model(model_path);
  const arma::mat P_loaded = logreg::predict_proba(loaded, X_test);
  const bool same = arma::accu(P_loaded != P) == 0 && logreg::predict_labels(loaded, X_test) == labels;
  std::printf("model saved to %s and loaded back: %s\n", model_path.c_str(),
              same ? "identical predictions" : "PREDICTIONS DIFFER");
  return same ? 0 : 1;
} catch (const std::exception& e) {  // logreg::data_error, logreg::usage_error (error.hpp), ...
  std::fprintf(stderr, "fit_predict: %s\n", e.what());
  return 1;
}
