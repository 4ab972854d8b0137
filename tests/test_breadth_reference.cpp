// Exactness of issue 4 (several classes, L1 / elastic net, class and sample weights): fits through
// the whole library path (CSV -> model, logreg::train_from_csv) against committed scikit-learn fits,
// tests/fixtures/breadth_iris.json and breadth_breast_cancer.json (scripts/fixtures/breadth_fixtures.py,
// which explains how the references were converged and polished).
//
// Tolerances are the issue's: coefficients (with intercepts) within 1e-6 relative to their norm,
// multinomial probabilities within 1e-7, for L1 / elastic net the same exact-zero pattern and an
// objective within 1e-7 relative. The objective is checked twice: recomputed here from the model's
// coefficients in scikit-learn's formula (z space), and as the fit report states it.
#include <doctest.h>

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "base/numerics.hpp"
#include "fit/trainer.hpp"
#include "predict/libsvm_predictor.hpp"
#include "test_support.hpp"

namespace {

using json = nlohmann::json;

const json& find_case(const json& file, const std::string& name) {
  for (const json& c : file["cases"])
    if (c["name"] == name) return c;
  FAIL("no case '" << name << "' in the fixture");
  throw 0;
}

// The dataset with a sample-weight column "weight" appended: w_i = 1 + (i % 3) for data row i
// (0-based), as the fixture script. The other cells are copied verbatim.
std::string with_weight_column(const std::string& dataset_name) {
  std::ifstream in(test::dataset(dataset_name), std::ios::binary);
  std::string line, out;
  std::getline(in, line);
  out += line + ",weight\n";
  for (int i = 0; std::getline(in, line); ++i)
    if (!line.empty()) out += line + "," + std::to_string(1 + i % 3) + "\n";
  return out;
}

// The unbalanced part of iris of the class-weight cases (rows 0-19, 50-134: 20 / 50 / 35 rows).
std::string iris_subset() {
  std::ifstream in(test::dataset("iris.csv"), std::ios::binary);
  std::string line, out;
  std::getline(in, line);
  out += line + "\n";
  for (int i = 0; std::getline(in, line); ++i)
    if (i < 20 || (i >= 50 && i < 135)) out += line + "\n";
  return out;
}

logreg::model train(const std::string& path, const std::string& target, const logreg::fit_settings& s) {
  logreg::train_request req;
  req.data_path = path;
  req.columns.target = target;
  req.settings = s;
  const logreg::train_outcome out = logreg::train_from_csv(req);
  for (const std::string& w : out.warnings) MESSAGE("warning: " << w);
  return out.fitted;
}

// Model coefficients as a K x d matrix and intercepts (K = 1 for a binary model), original scale.
void parameters(const logreg::model& m, arma::mat& W, arma::vec& b) {
  if (m.binary()) {
    W = arma::rowvec(m.coefficients);
    b = arma::vec{m.intercept};
    return;
  }
  W.set_size(m.class_coefficients.size(), m.features.size());
  for (arma::uword k = 0; k < W.n_rows; ++k) W.row(k) = arma::rowvec(m.class_coefficients[k]);
  b = arma::vec(m.class_intercepts);
}

void reference_parameters(const json& c, bool binary, arma::mat& W, arma::vec& b) {
  if (binary) {
    W = arma::rowvec(c["coef"].get<std::vector<double>>());
    b = arma::vec{c["intercept"].get<double>()};
    return;
  }
  const auto rows = c["coef"].get<std::vector<std::vector<double>>>();
  W.set_size(rows.size(), rows[0].size());
  for (arma::uword k = 0; k < W.n_rows; ++k) W.row(k) = arma::rowvec(rows[k]);
  b = arma::vec(c["intercept"].get<std::vector<double>>());
}

// max |a - b| over coefficients and intercepts together, divided by the 2-norm of the reference.
double relative_to_norm(const logreg::model& m, const json& c) {
  arma::mat W, Wr;
  arma::vec b, br;
  parameters(m, W, b);
  reference_parameters(c, m.binary(), Wr, br);
  REQUIRE(W.n_rows == Wr.n_rows);
  REQUIRE(W.n_cols == Wr.n_cols);
  const arma::vec a = arma::join_cols(arma::vectorise(W), b), r = arma::join_cols(arma::vectorise(Wr), br);
  return arma::norm(a - r, "inf") / arma::norm(r, 2);
}

// Class probabilities of the model for every row of the file (n x K; binary: n x 1, P(positive)),
// from its coefficients: sigmoid, softmax (multinomial) or sigmoids normalised to sum to 1 (ovr).
arma::mat probabilities(const logreg::model& m, const std::string& path) {
  logreg::column_selection cols;
  cols.target = m.target;
  cols.features = m.features;
  const logreg::labelled_data data = logreg::load_labelled_csv(path, cols);
  arma::mat W;
  arma::vec b;
  parameters(m, W, b);
  arma::mat S = (W * data.X).t();  // n x K
  S.each_row() += b.t();
  arma::mat P(S.n_rows, S.n_cols);
  for (arma::uword i = 0; i < S.n_rows; ++i) {
    if (m.binary()) {
      P(i, 0) = logreg::sigmoid(S(i, 0));
    } else if (m.kind == "multinomial") {
      const double top = S.row(i).max();
      P.row(i) = arma::exp(S.row(i) - top);
      P.row(i) /= arma::accu(P.row(i));
    } else {
      for (arma::uword k = 0; k < S.n_cols; ++k) P(i, k) = logreg::sigmoid(S(i, k));
      P.row(i) /= arma::accu(P.row(i));
    }
  }
  return P;
}

double max_probability_difference(const arma::mat& P, const json& c) {
  arma::mat R(P.n_rows, P.n_cols);
  const json& rows = c["probability"];
  REQUIRE(rows.size() == P.n_rows);
  for (arma::uword i = 0; i < P.n_rows; ++i) {
    if (P.n_cols == 1) {
      R(i, 0) = rows[i].get<double>();
    } else {
      REQUIRE(rows[i].size() == P.n_cols);
      for (arma::uword k = 0; k < P.n_cols; ++k) R(i, k) = rows[i][k].get<double>();
    }
  }
  return arma::abs(P - R).max();
}

// scikit-learn's objective for the model's coefficients, in the z space of its standardisation:
//   C * sum_i c_i loss_i + R |W_z|_1 + (1 - R)/2 |W_z|^2,
// c_i = class weight (from the fixture) times sample weight (1 + i % 3 when `sample_weights`).
// Multinomial only (one coefficient row per class) or binary; sums in long double.
double sklearn_objective(const logreg::model& m, const std::string& path, const json& c, bool sample_weights) {
  logreg::column_selection cols;
  cols.target = m.target;
  cols.features = m.features;
  const logreg::labelled_data data = logreg::load_labelled_csv(path, cols);
  arma::mat W;
  arma::vec b;
  parameters(m, W, b);
  const arma::uword K = W.n_rows, d = W.n_cols, n = data.X.n_cols;
  REQUIRE(m.mean.size() == d);
  // z = (x - mean) / scale, so W x + b = (W .* scale) z + (b + W mean): the penalised W_z.
  arma::mat Wz = W;
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword j = 0; j < d; ++j) Wz(k, j) = W(k, j) * m.scale[j];
  const auto class_weight = c["row_class_weights"].get<std::vector<double>>();
  long double loss = 0;
  for (arma::uword i = 0; i < n; ++i) {
    // the class index of row i in the model's classes (binary: 1 for the positive class)
    const std::string& label = data.labels[data.label_index[i]];
    const auto k = static_cast<arma::uword>(std::find(m.classes.begin(), m.classes.end(), label) - m.classes.begin());
    REQUIRE(k < m.classes.size());
    const double ci = class_weight.at(k) * (sample_weights ? 1.0 + static_cast<double>(i % 3) : 1.0);
    const arma::vec s = W * data.X.col(i) + b;
    long double li;
    if (m.binary()) {
      li = logreg::margin_loss((k == 1 ? 1.0 : -1.0) * s(0));
    } else {
      const double top = s.max();
      long double sum = 0;
      for (arma::uword t = 0; t < K; ++t) sum += std::exp(static_cast<long double>(s(t) - top));
      li = static_cast<long double>(top) + std::log(sum) - s(k);
    }
    loss += ci * li;
  }
  const double C = c["C"].get<double>(), R = c["l1_ratio"].get<double>();
  long double l1 = 0, l2 = 0;
  for (double w : Wz) {
    l1 += std::fabs(w);
    l2 += static_cast<long double>(w) * w;
  }
  return static_cast<double>(C * loss + R * l1 + 0.5L * (1 - R) * l2);
}

// The exact-zero pattern of the model's coefficients, one row per class (binary: one row).
std::vector<std::vector<bool>> zero_pattern(const logreg::model& m) {
  arma::mat W;
  arma::vec b;
  parameters(m, W, b);
  std::vector<std::vector<bool>> z(W.n_rows, std::vector<bool>(W.n_cols));
  for (arma::uword k = 0; k < W.n_rows; ++k)
    for (arma::uword j = 0; j < W.n_cols; ++j) z[k][j] = W(k, j) == 0.0;
  return z;
}

std::vector<std::vector<bool>> reference_zeros(const json& c, bool binary) {
  if (binary) return {c["zero"].get<std::vector<bool>>()};
  return c["zero"].get<std::vector<std::vector<bool>>>();
}

void check_standardisation(const logreg::model& m, const json& file) {
  const auto mean = file["mean"].get<std::vector<double>>(), scale = file["scale"].get<std::vector<double>>();
  REQUIRE(m.mean.size() == mean.size());
  for (std::size_t j = 0; j < mean.size(); ++j) {
    CHECK(m.mean[j] == doctest::Approx(mean[j]).epsilon(1e-13));
    CHECK(m.scale[j] == doctest::Approx(scale[j]).epsilon(1e-13));
  }
}

logreg::fit_settings settings_of(const json& c) {
  logreg::fit_settings s;
  const std::string penalty = c["penalty"];
  s.penalty = logreg::parse_penalty(penalty);
  s.C = c["C"].get<double>();
  if (penalty == "elasticnet") s.l1_ratio = c["l1_ratio"].get<double>();
  if (c["multi_class"] == "ovr") s.multiclass = logreg::multiclass_kind::ovr;
  return s;
}

}  // namespace

TEST_CASE("iris, multinomial, L2, C=1: scikit-learn's coefficients, probabilities and objective") {
  const json ref = test::fixture("breadth_iris.json");
  const json& c = find_case(ref, "multinomial_l2_C1");
  const std::string path = test::dataset("iris.csv");
  for (logreg::solver_kind solver : {logreg::solver_kind::automatic, logreg::solver_kind::newton, logreg::solver_kind::lbfgs}) {
    CAPTURE(logreg::to_string(solver));
    logreg::fit_settings s = settings_of(c);
    s.solver = solver;
    const logreg::model m = train(path, "species", s);
    CHECK(m.report.status == "converged");
    CHECK(m.kind == "multinomial");
    CHECK(m.classes == ref["classes"].get<std::vector<std::string>>());
    CHECK(m.features == ref["feature_names"].get<std::vector<std::string>>());
    check_standardisation(m, ref);
    const double coef = relative_to_norm(m, c);
    const double proba = max_probability_difference(probabilities(m, path), c);
    const double objective = sklearn_objective(m, path, c, false);
    const double want = c["objective"].get<double>();
    MESSAGE("iris multinomial L2 (" << logreg::to_string(solver) << "): coefficients " << coef
                                    << " relative to norm, probabilities " << proba << ", objective "
                                    << std::fabs(objective - want) / want << " relative (report "
                                    << std::fabs(m.report.objective - want) / want << ")");
    CHECK(coef < 1e-6);
    CHECK(proba < 1e-7);
    CHECK(objective == doctest::Approx(want).epsilon(1e-10));
    CHECK(m.report.objective == doctest::Approx(want).epsilon(1e-10));
  }
}

TEST_CASE("iris, one-vs-rest, L2, C=1: scikit-learn's coefficients and probabilities") {
  const json ref = test::fixture("breadth_iris.json");
  const json& c = find_case(ref, "ovr_l2_C1");
  const std::string path = test::dataset("iris.csv");
  const logreg::model m = train(path, "species", settings_of(c));
  CHECK(m.report.status == "converged");
  CHECK(m.kind == "ovr");
  CHECK(m.classes == ref["classes"].get<std::vector<std::string>>());
  const double coef = relative_to_norm(m, c);
  const double proba = max_probability_difference(probabilities(m, path), c);
  MESSAGE("iris ovr L2: coefficients " << coef << " relative to norm, probabilities " << proba);
  CHECK(coef < 1e-6);
  CHECK(proba < 1e-7);
}

TEST_CASE("iris, multinomial, L2, C=1, sample weights 1 + i % 3: scikit-learn's fit") {
  const json ref = test::fixture("breadth_iris.json");
  const json& c = find_case(ref, "multinomial_l2_C1_sample_weights");
  const test::temp_file data(with_weight_column("iris.csv"));
  logreg::fit_settings s = settings_of(c);
  s.weight_column = "weight";
  const logreg::model m = train(data.path(), "species", s);
  CHECK(m.report.status == "converged");
  CHECK(m.features == ref["feature_names"].get<std::vector<std::string>>());  // the weight is no feature
  check_standardisation(m, ref);  // unweighted, as scikit-learn's StandardScaler in the pipeline
  const double coef = relative_to_norm(m, c);
  const double proba = max_probability_difference(probabilities(m, data.path()), c);
  const double want = c["objective"].get<double>();
  MESSAGE("iris multinomial L2 with sample weights: coefficients " << coef << " relative to norm, probabilities "
                                                                   << proba << ", report objective "
                                                                   << std::fabs(m.report.objective - want) / want << " relative");
  CHECK(coef < 1e-6);
  CHECK(proba < 1e-7);
  CHECK(sklearn_objective(m, data.path(), c, true) == doctest::Approx(want).epsilon(1e-10));
  CHECK(m.report.objective == doctest::Approx(want).epsilon(1e-10));
}

TEST_CASE("iris rows 0-19, 50-134 (20 / 50 / 35), multinomial, L2 C=1, class weights 'balanced': scikit-learn's fit") {
  const json ref = test::fixture("breadth_iris.json");
  const json& c = find_case(ref, "multinomial_l2_C1_balanced_subset");
  const test::temp_file data(iris_subset());
  logreg::fit_settings s = settings_of(c);
  s.class_weight = "balanced";
  const logreg::model m = train(data.path(), "species", s);
  CHECK(m.report.status == "converged");
  CHECK(m.class_counts == std::vector<double>{20, 50, 35});
  const double coef = relative_to_norm(m, c);
  const double proba = max_probability_difference(probabilities(m, data.path()), c);
  const double want = c["objective"].get<double>();
  MESSAGE("iris subset multinomial balanced: coefficients " << coef << " relative to norm, probabilities " << proba
                                                            << ", report objective " << (m.report.objective - want) / want
                                                            << " relative");
  CHECK(coef < 1e-6);
  CHECK(proba < 1e-7);
  CHECK(sklearn_objective(m, data.path(), c, false) == doctest::Approx(want).epsilon(1e-10));
  CHECK(m.report.objective == doctest::Approx(want).epsilon(1e-10));
}

// scikit-learn (1.2.1) weighs one-vs-rest "balanced" per binary problem: class k's rows get
// n / (2 n_k), the rest n / (2 (n - n_k)); logreg does the same.
TEST_CASE("iris rows 0-19, 50-134, one-vs-rest, L2 C=1, class weights 'balanced': scikit-learn's fit") {
  const json ref = test::fixture("breadth_iris.json");
  const json& c = find_case(ref, "ovr_l2_C1_balanced_subset");
  const test::temp_file data(iris_subset());
  logreg::fit_settings s = settings_of(c);
  s.class_weight = "balanced";
  const logreg::model m = train(data.path(), "species", s);
  CHECK(m.report.status == "converged");
  const double coef = relative_to_norm(m, c);
  const double proba = max_probability_difference(probabilities(m, data.path()), c);
  MESSAGE("iris subset ovr balanced: coefficients " << coef << " relative to norm, probabilities " << proba);
  CHECK(coef < 1e-6);
  CHECK(proba < 1e-7);
}

TEST_CASE("iris, multinomial, L1 C=0.5 and elastic net R=0.5 C=0.5: scikit-learn's zeros and objective") {
  const json ref = test::fixture("breadth_iris.json");
  const std::string path = test::dataset("iris.csv");
  for (const std::string name : {"multinomial_l1_C0.5", "multinomial_elasticnet_C0.5_r0.5"}) {
    CAPTURE(name);
    const json& c = find_case(ref, name);
    const logreg::model m = train(path, "species", settings_of(c));
    CHECK(m.report.status == "converged");
    CHECK(m.report.solver == "owlqn");
    CHECK(zero_pattern(m) == reference_zeros(c, false));
    const double want = c["objective"].get<double>();
    const double objective = sklearn_objective(m, path, c, false);
    const double coef = relative_to_norm(m, c);
    MESSAGE(name << ": objective " << (objective - want) / want << " relative (report "
                 << (m.report.objective - want) / want << "), coefficients " << coef << " relative to norm");
    CHECK(objective == doctest::Approx(want).epsilon(1e-7));
    CHECK(m.report.objective == doctest::Approx(want).epsilon(1e-7));
    CHECK(objective >= want * (1 - 1e-12));  // the reference is the optimum: nothing lower
    CHECK(coef < 1e-6);
  }
}

TEST_CASE("breast cancer, L1 C=0.1 and elastic net R=0.5 at C=0.1 and C=1: scikit-learn's zeros and objective") {
  const json ref = test::fixture("breadth_breast_cancer.json");
  const std::string path = test::dataset("breast_cancer.csv");
  for (const std::string name : {"l1_C0.1", "elasticnet_C0.1_r0.5", "elasticnet_C1_r0.5"}) {
    CAPTURE(name);
    const json& c = find_case(ref, name);
    const logreg::model m = train(path, "diagnosis", settings_of(c));
    CHECK(m.report.status == "converged");
    CHECK(m.report.solver == "owlqn");
    CHECK(m.positive_class() == "malignant");
    check_standardisation(m, ref);
    const auto zeros = zero_pattern(m);
    CHECK(zeros == reference_zeros(c, true));
    CHECK(std::count(zeros[0].begin(), zeros[0].end(), true) == c["zero_count"].get<int>());
    const double want = c["objective"].get<double>();
    const double objective = sklearn_objective(m, path, c, false);
    const double coef = relative_to_norm(m, c);
    const double proba = max_probability_difference(probabilities(m, path), c);
    MESSAGE(name << ": objective " << (objective - want) / want << " relative (report "
                 << (m.report.objective - want) / want << "), coefficients " << coef
                 << " relative to norm, probabilities " << proba);
    CHECK(objective == doctest::Approx(want).epsilon(1e-7));
    CHECK(m.report.objective == doctest::Approx(want).epsilon(1e-7));
    CHECK(objective >= want * (1 - 1e-12));
    CHECK(coef < 1e-6);
  }
}

TEST_CASE("breast cancer, L2 C=1, class weights 'balanced' and malignant=2: scikit-learn's fit") {
  const json ref = test::fixture("breadth_breast_cancer.json");
  const std::string path = test::dataset("breast_cancer.csv");
  for (const std::string name : {"l2_C1_balanced", "l2_C1_malignant_2"}) {
    CAPTURE(name);
    const json& c = find_case(ref, name);
    logreg::fit_settings s = settings_of(c);
    s.class_weight = c["class_weight"].is_string() ? c["class_weight"].get<std::string>() : "malignant=2";
    const logreg::model m = train(path, "diagnosis", s);
    CHECK(m.report.status == "converged");
    const double coef = relative_to_norm(m, c);
    const double proba = max_probability_difference(probabilities(m, path), c);
    const double want = c["objective"].get<double>();
    MESSAGE(name << ": coefficients " << coef << " relative to norm, probabilities " << proba << ", objective "
                 << (sklearn_objective(m, path, c, false) - want) / want << " relative (report "
                 << (m.report.objective - want) / want << ")");
    CHECK(coef < 1e-6);
    CHECK(proba < 1e-7);
    CHECK(sklearn_objective(m, path, c, false) == doctest::Approx(want).epsilon(1e-10));
    CHECK(m.report.objective == doctest::Approx(want).epsilon(1e-10));
  }
}

TEST_CASE("breast cancer, L2 C=1, a sample-weight column (alone and with balanced class weights): scikit-learn's fit") {
  const json ref = test::fixture("breadth_breast_cancer.json");
  const test::temp_file data(with_weight_column("breast_cancer.csv"));
  for (const std::string name : {"l2_C1_sample_weights", "l2_C1_balanced_sample_weights"}) {
    CAPTURE(name);
    const json& c = find_case(ref, name);
    logreg::fit_settings s = settings_of(c);
    s.weight_column = "weight";
    if (c["class_weight"].is_string()) s.class_weight = c["class_weight"].get<std::string>();
    const logreg::model m = train(data.path(), "diagnosis", s);
    CHECK(m.report.status == "converged");
    CHECK(m.features == ref["feature_names"].get<std::vector<std::string>>());
    check_standardisation(m, ref);
    const double coef = relative_to_norm(m, c);
    const double proba = max_probability_difference(probabilities(m, data.path()), c);
    const double want = c["objective"].get<double>();
    MESSAGE(name << ": coefficients " << coef << " relative to norm, probabilities " << proba << ", objective "
                 << (sklearn_objective(m, data.path(), c, true) - want) / want << " relative (report "
                 << (m.report.objective - want) / want << ")");
    CHECK(coef < 1e-6);
    CHECK(proba < 1e-7);
    CHECK(sklearn_objective(m, data.path(), c, true) == doctest::Approx(want).epsilon(1e-10));
    CHECK(m.report.objective == doctest::Approx(want).epsilon(1e-10));
  }
}

TEST_CASE("sample weights are frequencies: weight 2 equals the row twice, 0 drops it (multinomial and binary)") {
  // Integer weights multiply each row's loss, so they must give the fit of the data with every row
  // repeated that many times (the standardisation aside: there both files must have equal mean and
  // scale, so it is switched off).
  for (const std::string file : {"iris.csv", "breast_cancer.csv"}) {
    CAPTURE(file);
    const std::string target = file == "iris.csv" ? "species" : "diagnosis";
    std::ifstream in(test::dataset(file), std::ios::binary);
    std::string header, line, weighted, repeated;
    std::getline(in, header);
    weighted = header + ",weight\n";
    repeated = header + "\n";
    for (int i = 0; std::getline(in, line); ++i) {
      const int w = i % 3;  // 0, 1, 2: a weight of 0 drops the row
      weighted += line + "," + std::to_string(w) + "\n";
      for (int r = 0; r < w; ++r) repeated += line + "\n";
    }
    const test::temp_file fw(weighted), fr(repeated);
    logreg::fit_settings s;
    s.standardize = false;
    s.solver = logreg::solver_kind::newton;
    const logreg::model mr = train(fr.path(), target, s);
    s.weight_column = "weight";
    const logreg::model mw = train(fw.path(), target, s);
    arma::mat Wr, Ww;
    arma::vec br, bw;
    parameters(mr, Wr, br);
    parameters(mw, Ww, bw);
    // Multinomial intercepts are compared up to a common shift (the probabilities do not see it;
    // whether the shift is scikit-learn's is the business of the reference tests above).
    if (!mr.binary()) {
      br -= arma::mean(br);
      bw -= arma::mean(bw);
    }
    const arma::vec a = arma::join_cols(arma::vectorise(Ww), bw), r = arma::join_cols(arma::vectorise(Wr), br);
    CHECK(arma::norm(a - r, "inf") / arma::norm(r, 2) < 1e-8);
    CHECK(mw.report.objective == doctest::Approx(mr.report.objective).epsilon(1e-10));
  }
}

TEST_CASE("iris as libsvm input: multinomial and one-vs-rest (L2, L1, elastic net) give scikit-learn's probabilities") {
  // The same rows as the CSV, in libsvm form: the fit runs on a sparse design, the predictor scores
  // the libsvm rows (with the rows' zeros left out, as a libsvm file holds them).
  const json ref = test::fixture("breadth_iris.json");
  std::ifstream in(test::dataset("iris.csv"));
  std::string line, svm;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::stringstream cells(line);
    std::vector<std::string> v;
    for (std::string cell; std::getline(cells, cell, ',');) v.push_back(cell);
    svm += v[4];
    for (std::size_t j = 0; j < 4; ++j)
      if (std::stod(v[j]) != 0) {
        svm.push_back(' ');
        svm += std::to_string(j + 1);
        svm.push_back(':');
        svm += v[j];
      }
    svm += "\n";
  }
  const test::temp_file file(svm, ".svm");
  for (const std::string name : {"multinomial_l2_C1", "ovr_l2_C1", "multinomial_l1_C0.5", "multinomial_elasticnet_C0.5_r0.5"}) {
    CAPTURE(name);
    const json& c = find_case(ref, name);
    logreg::train_request req;
    req.data_path = file.path();
    req.format = logreg::data_format::libsvm;
    req.settings = settings_of(c);
    const logreg::model m = logreg::train_from_csv(req).fitted;
    CHECK(m.report.status == "converged");
    CHECK(m.kind == c["multi_class"].get<std::string>());
    CHECK(m.input_format == "libsvm");
    CHECK(m.classes == ref["classes"].get<std::vector<std::string>>());
    const logreg::scored_rows rows = logreg::score_labelled_libsvm(m, file.path());
    const std::size_t K = m.classes.size();
    REQUIRE(rows.probability.size() == 150 * K);
    arma::mat P(150, K);
    for (arma::uword i = 0; i < 150; ++i)
      for (arma::uword k = 0; k < K; ++k) P(i, k) = rows.probability[i * K + k];
    const double proba = max_probability_difference(P, c);
    MESSAGE("iris as libsvm, " << name << ": probabilities " << proba << " from scikit-learn's");
    CHECK(proba < 1e-6);
    if (c["penalty"] == "l2") CHECK(relative_to_norm(m, c) < 1e-6);
  }
}
