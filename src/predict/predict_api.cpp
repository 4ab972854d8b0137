// The public predict_proba() / predict_labels() of matrices (logreg/predict.hpp): the matrix seen
// through the design interface, scored as predict and eval score rows (scoring.hpp).
#include <vector>

#include "data/dense_design.hpp"
#include "data/sparse_design.hpp"
#include "logreg/error.hpp"
#include "logreg/predict.hpp"
#include "predict/scoring.hpp"

namespace logreg {

namespace {

void check_features(const model& m, arma::uword d) {
  if (d != m.features.size())
    throw usage_error("predict_proba: X has " + std::to_string(d) + " rows but the model has " +
                      std::to_string(m.features.size()) + " features");
}

// P (K x n) from model_probabilities' rows.
arma::mat probabilities(const model& m, const design& X) {
  const arma::uword K = m.classes.size(), n = X.n_obs();
  arma::mat P(K, n);
  if (n == 0) return P;
  if (m.binary()) {
    arma::rowvec p(n);
    model_probabilities(m, X, 0, n, p.memptr());
    P.row(0) = 1.0 - p;
    P.row(1) = p;
  } else {
    model_probabilities(m, X, 0, n, P.memptr());  // K per observation: a column of P each
  }
  return P;
}

}  // namespace

arma::mat predict_proba(const model& m, const arma::mat& X) {
  check_features(m, X.n_rows);
  return probabilities(m, dense_design(X.memptr(), X.n_rows, X.n_cols));
}

arma::mat predict_proba(const model& m, const arma::sp_mat& X) {
  check_features(m, X.n_rows);
  X.sync();
  csr_matrix c;  // X's compressed columns are the observations' non-zeros
  c.n_rows = X.n_cols;
  c.n_cols = X.n_rows;
  c.row_ptr.assign(X.col_ptrs, X.col_ptrs + X.n_cols + 1);
  c.col.assign(X.row_indices, X.row_indices + X.n_nonzero);
  c.val.assign(X.values, X.values + X.n_nonzero);
  return probabilities(m, sparse_design(std::move(c)));
}

std::vector<std::string> predict_labels(const model& m, const arma::mat& X) { return predict_labels(m, X, m.threshold); }

std::vector<std::string> predict_labels(const model& m, const arma::mat& X, double threshold) {
  const arma::mat P = predict_proba(m, X);
  std::vector<std::string> out;
  out.reserve(P.n_cols);
  for (arma::uword i = 0; i < P.n_cols; ++i) {
    if (m.binary()) {
      out.push_back(P(1, i) >= threshold ? m.positive_class() : m.negative_class());
    } else {
      out.push_back(m.classes[P.col(i).index_max()]);
    }
  }
  return out;
}

}  // namespace logreg
