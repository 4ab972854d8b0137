// The sparse path: a sparse design's losses against finite differences and against the dense
// design of the same numbers; its fits against the dense fits on the same data (to 1e-10) and against
// scikit-learn on a sparse problem (tests/fixtures/sparse_synthetic.*); train/predict through
// libsvm files.
#include <doctest.h>

#include <armadillo>
#include <cmath>
#include <fstream>
#include <sstream>

#include "data/dataset.hpp"
#include "data/dense_design.hpp"
#include "data/sparse_design.hpp"
#include "fit/fit.hpp"
#include "fit/trainer.hpp"
#include "io/libsvm_reader.hpp"
#include "logreg/error.hpp"
#include "logreg/threads.hpp"
#include "objective/logistic_loss.hpp"
#include "objective/penalized_objective.hpp"
#include "predict/libsvm_predictor.hpp"
#include "test_support.hpp"

namespace {

// X (d x n, one column per observation) as CSR rows, zeros left out.
logreg::csr_matrix to_csr(const arma::mat& X) {
  logreg::csr_matrix A;
  A.n_rows = X.n_cols;
  A.n_cols = X.n_rows;
  for (arma::uword i = 0; i < X.n_cols; ++i) {
    for (arma::uword j = 0; j < X.n_rows; ++j)
      if (X(j, i) != 0) {
        A.col.push_back(static_cast<std::uint32_t>(j));
        A.val.push_back(X(j, i));
      }
    A.row_ptr.push_back(A.col.size());
  }
  return A;
}

struct problem {
  arma::mat X;  // d x n, about `density` of it non-zero
  arma::vec y, w;
};

problem sparse_problem(arma::uword d, arma::uword n, double density, unsigned seed) {
  arma::arma_rng::set_seed(seed);
  problem p;
  p.X = arma::randn(d, n) % arma::conv_to<arma::mat>::from(arma::randu(d, n) < density);
  p.X.row(0) *= 10;
  p.X.row(d - 1) += 3 * arma::conv_to<arma::rowvec>::from(arma::randu(1, n) < density);
  const arma::vec beta = arma::randn(d);
  const arma::vec z = p.X.t() * beta + 0.3;
  p.y = arma::conv_to<arma::vec>::from(arma::randu(n) < 1 / (1 + arma::exp(-z)));
  p.w = arma::randu(n) * 2;
  return p;
}

logreg::fit_settings settings(logreg::penalty_kind penalty, double C, bool standardize) {
  logreg::fit_settings s;
  s.penalty = penalty;
  s.C = C;
  s.standardize = standardize;
  return s;
}

double max_rel_diff(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double m = 0;
  for (std::size_t j = 0; j < a.size(); ++j) m = std::max(m, std::fabs(a[j] - b[j]) / std::max(1.0, std::fabs(b[j])));
  return m;
}

std::vector<std::uint32_t> classes_of(const arma::vec& y) {
  std::vector<std::uint32_t> out(y.n_elem);
  for (arma::uword i = 0; i < y.n_elem; ++i) out[i] = y[i] > 0.5 ? 1 : 0;
  return out;
}

// The binary fit of a design (fit.hpp), as the trainer runs it.
logreg::design_fit fit(logreg::design&& X, const arma::vec& y, const arma::vec& w, const logreg::fit_settings& s,
                       const std::vector<std::string>& names) {
  return logreg::fit_design(X, classes_of(y), 2, w, s, names, {"0", "1"});
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("sparse design: the loss's gradient and Hessian agree with central finite differences") {
  const problem p = sparse_problem(6, 700, 0.4, 5);
  for (bool l2 : {true, false})
    for (bool intercept : {true, false})
      for (bool weighted : {true, false})
        for (bool standardized : {true, false}) {
          CAPTURE(l2);
          CAPTURE(intercept);
          CAPTURE(weighted);
          CAPTURE(standardized);
          logreg::sparse_design X(to_csr(p.X));
          std::vector<double> mean, scale;
          if (standardized) X.standardize(intercept, mean, scale);  // implicit centring and scaling
          logreg::logistic_loss L(X, p.y, weighted ? p.w : arma::vec(), intercept);
          logreg::penalty pen;
          pen.l2 = l2 ? 1.0 : 0.0;
          if (standardized) pen.scale = 0.5 + arma::randu(6);
          logreg::penalized_objective f(L, 0.7, pen);
          arma::arma_rng::set_seed(9);
          const arma::vec theta = 0.2 * arma::randn(f.n_vars());
          arma::vec g, gp, gm;
          f.value_gradient(theta, g);
          arma::mat H;
          f.hessian(theta, H);
          CHECK(arma::approx_equal(H, H.t(), "absdiff", 0.0));
          const double h = 1e-5;
          for (arma::uword k = 0; k < f.n_vars(); ++k) {
            arma::vec e(f.n_vars(), arma::fill::zeros);
            e(k) = h;
            const double fp = f.value_gradient(theta + e, gp);
            const double fm = f.value_gradient(theta - e, gm);
            CHECK(g(k) == doctest::Approx((fp - fm) / (2 * h)).epsilon(1e-6));
            const arma::vec column = (gp - gm) / (2 * h);
            CHECK(arma::norm(H.col(k) - column, "inf") <= 1e-6 * std::max(1.0, arma::norm(column, "inf")));
          }
        }
}

TEST_CASE("sparse design: the dense loss on the standardised matrix, without forming it") {
  const problem p = sparse_problem(5, 900, 0.3, 21);
  for (bool intercept : {true, false}) {
    CAPTURE(intercept);
    logreg::sparse_design S(to_csr(p.X));
    logreg::dense_design D{arma::mat(p.X)};
    std::vector<double> ms, ss, md, sd;
    S.standardize(intercept, ms, ss);
    D.standardize(intercept, md, sd);
    CHECK(max_rel_diff(ss, sd) <= 1e-13);
    CHECK(max_rel_diff(ms, md) <= 1e-13);
    logreg::logistic_loss f(S, p.y, p.w, intercept), dense(D, p.y, p.w, intercept);
    arma::arma_rng::set_seed(4);
    const arma::vec theta = 0.3 * arma::randn(f.n_vars());
    arma::vec g, gd;
    const double v = f.value_gradient(theta, g), vd = dense.value_gradient(theta, gd);
    CHECK(v == doctest::Approx(vd).epsilon(1e-13));
    CHECK(arma::norm(g - gd, "inf") <= 1e-12 * arma::norm(gd, "inf"));
    arma::mat H, Hd;
    f.hessian(theta, H);
    dense.hessian(theta, Hd);
    CHECK(arma::norm(H - Hd, "inf") <= 1e-12 * arma::norm(Hd, "inf"));
    CHECK(arma::norm(f.scores(theta) - dense.scores(theta), "inf") <= 1e-12);
  }
}

TEST_CASE("sparse design: identical bits with any number of threads") {
  const problem p = sparse_problem(40, 20000, 0.3, 8);  // 4 chunks
  logreg::sparse_design X(to_csr(p.X));
  std::vector<double> mean, scale;
  X.standardize(true, mean, scale);
  arma::arma_rng::set_seed(2);
  const arma::vec theta = 0.1 * arma::randn(41);
  const int saved = logreg::thread_count();
  arma::vec g1;
  arma::mat H1;
  double f1 = 0;
  for (int threads : {1, 2, 3, 5}) {
    CAPTURE(threads);
    logreg::set_thread_count(threads);
    logreg::logistic_loss f(X, p.y, p.w, true);
    arma::vec g;
    arma::mat H;
    const double v = f.value_gradient(theta, g);
    f.hessian(theta, H);
    if (threads == 1) {
      f1 = v;
      g1 = g;
      H1 = H;
    } else {
      CHECK(v == f1);
      CHECK(arma::approx_equal(g, g1, "absdiff", 0.0));
      CHECK(arma::approx_equal(H, H1, "absdiff", 0.0));
    }
  }
  logreg::set_thread_count(saved);
}

TEST_CASE("sparse fit: breast_cancer as CSR gives fit_binary's model to 1e-10") {
  logreg::column_selection columns;
  columns.target = "diagnosis";
  const logreg::labelled_data data = logreg::load_labelled_csv(test::dataset("breast_cancer.csv"), columns);
  arma::vec y(data.X.n_cols);
  for (arma::uword i = 0; i < y.n_elem; ++i) y[i] = data.labels[data.label_index[i]] == "malignant" ? 1.0 : 0.0;
  const logreg::csr_matrix A = to_csr(data.X);
  using logreg::penalty_kind;
  struct setting {
    penalty_kind penalty;
    double C, tol;
    bool standardize, intercept, weighted;
  };
  // First-order solvers agree to their tolerance: a tighter one shows that the optima agree.
  const setting cases[] = {
      {penalty_kind::l2, 1.0, 1e-10, true, true, false},   {penalty_kind::l2, 1.0, 1e-10, false, true, false},
      {penalty_kind::l2, 0.3, 1e-10, true, false, false},  {penalty_kind::l2, 1.0, 1e-10, true, true, true},
      {penalty_kind::l1, 0.1, 1e-14, true, true, false},   {penalty_kind::l1, 0.1, 1e-14, false, true, false},
      {penalty_kind::elasticnet, 0.1, 1e-14, true, true, false},
  };
  const arma::vec weights = 0.5 + y;  // class weights 1.5 / 0.5
  for (const setting& c : cases) {
    CAPTURE(logreg::to_string(c.penalty));
    CAPTURE(c.standardize);
    CAPTURE(c.intercept);
    CAPTURE(c.weighted);
    logreg::fit_settings s = settings(c.penalty, c.C, c.standardize);
    s.tol = c.tol;
    s.max_iter = 5000;
    s.fit_intercept = c.intercept;
    const arma::vec w = c.weighted ? weights : arma::vec();
    const logreg::design_fit dense = fit(logreg::dense_design(arma::mat(data.X)), y, w, s, data.feature_names);
    const logreg::design_fit sparse = fit(logreg::sparse_design(A), y, w, s, data.feature_names);
    CHECK(sparse.report.status == "converged");
    CHECK(sparse.report.solver == dense.report.solver);
    CHECK(max_rel_diff(sparse.coefficients[0], dense.coefficients[0]) <= 1e-10);
    CHECK(std::fabs(sparse.intercepts[0] - dense.intercepts[0]) <= 1e-10 * std::max(1.0, std::fabs(dense.intercepts[0])));
    CHECK(sparse.report.objective == doctest::Approx(dense.report.objective).epsilon(1e-12));
    CHECK(sparse.inference.has_value() == dense.inference.has_value());
    if (dense.inference && !dense.inference->covariance.empty())
      CHECK(max_rel_diff(sparse.inference->covariance, dense.inference->covariance) <= 1e-8);
    if (c.penalty != penalty_kind::l2)
      for (std::size_t j = 0; j < dense.coefficients[0].size(); ++j)
        CHECK((sparse.coefficients[0][j] == 0) == (dense.coefficients[0][j] == 0));
    if (c.standardize) {
      CHECK(max_rel_diff(sparse.scale, dense.scale) <= 1e-13);
      CHECK(max_rel_diff(sparse.mean, dense.mean) <= 1e-13);
    }
  }
  // Without a penalty the classes are separated: refused, as the dense fit refuses.
  CHECK_THROWS_AS(fit(logreg::sparse_design(A), y, arma::vec(), settings(penalty_kind::none, 1, true), data.feature_names),
                  logreg::data_error);
}

TEST_CASE("sparse fit: admissions without a penalty gives the dense maximum-likelihood model and its inference") {
  logreg::column_selection columns;
  columns.target = "admit";
  const logreg::labelled_data data = logreg::load_labelled_csv(test::dataset("admissions.csv"), columns);
  arma::vec y(data.X.n_cols);
  for (arma::uword i = 0; i < y.n_elem; ++i) y[i] = data.labels[data.label_index[i]] == "1" ? 1.0 : 0.0;
  const logreg::fit_settings s = settings(logreg::penalty_kind::none, 1, true);
  const auto dense = fit(logreg::dense_design(arma::mat(data.X)), y, arma::vec(), s, data.feature_names);
  const auto sparse = fit(logreg::sparse_design(to_csr(data.X)), y, arma::vec(), s, data.feature_names);
  CHECK(max_rel_diff(sparse.coefficients[0], dense.coefficients[0]) <= 1e-10);
  CHECK(sparse.intercepts[0] == doctest::Approx(dense.intercepts[0]).epsilon(1e-10));
  CHECK(sparse.warnings.empty());
  REQUIRE(sparse.inference.has_value());
  REQUIRE(dense.inference.has_value());
  CHECK(max_rel_diff(sparse.inference->covariance, dense.inference->covariance) <= 1e-9);
  CHECK(max_rel_diff(sparse.inference->covariance_hc0, dense.inference->covariance_hc0) <= 1e-9);
  CHECK(sparse.inference->log_likelihood == doctest::Approx(dense.inference->log_likelihood).epsilon(1e-12));
}

TEST_CASE("sparse fit: scikit-learn on scipy.sparse CSR input (sparse_synthetic)") {
  const nlohmann::json fx = test::fixture("sparse_synthetic.json");
  const logreg::labelled_sparse_data data =
      logreg::load_labelled_libsvm(std::string(LOGREG_FIXTURE_DIR) + "/sparse_synthetic.svm");
  REQUIRE(data.X.n_rows == fx["rows"].get<std::size_t>());
  REQUIRE(data.X.n_cols == fx["features"].get<std::size_t>());
  REQUIRE(data.X.nnz() == fx["nnz"].get<std::size_t>());
  arma::vec y(data.X.n_rows);
  for (arma::uword i = 0; i < y.n_elem; ++i) y[i] = data.labels[data.label_index[i]] == "+1" ? 1.0 : 0.0;
  std::vector<std::string> names;
  for (std::size_t j = 1; j <= data.X.n_cols; ++j) names.push_back(std::to_string(j));
  for (const auto& c : fx["cases"]) {
    CAPTURE(c["name"].get<std::string>());
    const logreg::penalty_kind penalty = logreg::parse_penalty(c["penalty"].get<std::string>());
    const auto r = fit(logreg::sparse_design(data.X), y, arma::vec(), settings(penalty, c["C"], c["standardize"]), names);
    CHECK(r.report.status == "converged");
    const auto coef = c["coef"].get<std::vector<double>>();
    CHECK(max_rel_diff(r.coefficients[0], coef) <= 1e-6);
    CHECK(r.intercepts[0] == doctest::Approx(c["intercept"].get<double>()).epsilon(1e-6));
    for (std::size_t j = 0; j < coef.size(); ++j) CHECK((r.coefficients[0][j] == 0) == (coef[j] == 0));
    if (c["standardize"].get<bool>()) CHECK(max_rel_diff(r.scale, fx["scale"].get<std::vector<double>>()) <= 1e-13);
  }
}

TEST_CASE("libsvm: train, then predict and eval, as CSV does on the same data") {
  // admissions as libsvm (zeros left out) and as CSV: the same model, the same probabilities.
  const std::string csv = read_file(test::dataset("admissions.csv"));
  std::istringstream in(csv);
  std::string line, svm;
  std::getline(in, line);  // admit,gre,gpa,rank
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string cell;
    std::vector<std::string> v;
    while (std::getline(cells, cell, ',')) v.push_back(cell);
    svm += v[0];
    for (std::size_t j = 1; j < v.size(); ++j)
      if (std::stod(v[j]) != 0) {
        svm.push_back(' ');
        svm += std::to_string(j) + ":" + v[j];
      }
    svm += "\n";
  }
  test::temp_file file(svm, ".svm");
  logreg::train_request request;
  request.data_path = file.path();
  request.format = logreg::data_format::libsvm;
  const logreg::train_outcome sparse = logreg::train_from_csv(request);
  logreg::train_request dense_request;
  dense_request.data_path = test::dataset("admissions.csv");
  dense_request.columns.target = "admit";
  const logreg::train_outcome dense = logreg::train_from_csv(dense_request);
  const logreg::model& m = sparse.fitted;
  CHECK(m.input_format == "libsvm");
  CHECK(m.features == std::vector<std::string>{"1", "2", "3"});
  CHECK(m.classes == dense.fitted.classes);
  CHECK(m.n_rows == 400);
  CHECK(max_rel_diff(m.coefficients, dense.fitted.coefficients) <= 1e-10);
  REQUIRE(m.inference.has_value());  // the same inference block as the CSV model's
  CHECK(max_rel_diff(m.inference->covariance, dense.fitted.inference->covariance) <= 1e-8);

  const logreg::scored_rows rows = logreg::score_labelled_libsvm(m, file.path());
  const logreg::scored_rows dense_rows = logreg::score_labelled_csv(dense.fitted, test::dataset("admissions.csv"), {});
  CHECK(rows.is_positive == dense_rows.is_positive);
  CHECK(max_rel_diff(rows.probability, dense_rows.probability) <= 1e-10);

  // A CSV model cannot read libsvm rows; a libsvm model ignores indices it does not know.
  CHECK_THROWS_WITH_AS(logreg::score_labelled_libsvm(dense.fitted, file.path()),
                       "the model: the model was trained on CSV columns ('gre', 'gpa', 'rank'), so it reads CSV "
                       "input, not libsvm (use --format csv)",
                       logreg::data_error);
  test::temp_file extra("0 1:380 2:3.61 3:3 7:100\n0 1:380 2:3.61 3:3\n", ".svm");
  const logreg::scored_rows two = logreg::score_labelled_libsvm(m, extra.path());
  CHECK(two.probability[0] == two.probability[1]);
  CHECK(two.probability[0] == rows.probability[0]);
}

TEST_CASE("model: input_format is written for libsvm models only, read back, and checked") {
  logreg::model m;
  m.classes = {"-1", "+1"};
  m.features = {"1", "2"};
  m.coefficients = {0.5, -0.25};
  m.class_counts = {1, 1};
  m.report.status = "converged";
  m.report.solver = "newton";
  nlohmann::json j = logreg::to_json(m);
  CHECK(!j.contains("input_format"));  // CSV models are written as before
  CHECK(logreg::model_from_json(j, "m.json").input_format == "csv");
  m.input_format = "libsvm";
  j = logreg::to_json(m);
  CHECK(j["input_format"] == "libsvm");
  CHECK(logreg::model_from_json(j, "m.json").input_format == "libsvm");
  j["input_format"] = "arff";
  CHECK_THROWS_WITH_AS(logreg::model_from_json(j, "m.json"), "m.json: unknown input_format 'arff' (expected csv or libsvm)",
                       logreg::data_error);
}
