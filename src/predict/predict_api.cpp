// The public predict_proba() / predict_labels() of matrices (logreg/predict.hpp), with the scoring
// of predict and eval (scoring.hpp).
#include <vector>

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

// P (K x n) from observation i's dense feature vector.
template <class Column>
arma::mat probabilities(const model& m, arma::uword n, Column&& column) {
  const arma::uword K = m.classes.size();
  arma::mat P(K, n);
  std::vector<double> x(m.features.size());
  for (arma::uword i = 0; i < n; ++i) {
    const double* xi = column(i, x);
    if (m.binary()) {
      const double p = sigmoid(score(m.coefficients, m.intercept, xi));
      P(0, i) = 1.0 - p;
      P(1, i) = p;
    } else {
      class_probabilities(m, xi, P.colptr(i));
    }
  }
  return P;
}

}  // namespace

arma::mat predict_proba(const model& m, const arma::mat& X) {
  check_features(m, X.n_rows);
  return probabilities(m, X.n_cols, [&](arma::uword i, std::vector<double>&) { return X.colptr(i); });
}

arma::mat predict_proba(const model& m, const arma::sp_mat& X) {
  check_features(m, X.n_rows);
  X.sync();
  return probabilities(m, X.n_cols, [&](arma::uword i, std::vector<double>& x) {
    std::fill(x.begin(), x.end(), 0.0);
    for (arma::uword k = X.col_ptrs[i]; k < X.col_ptrs[i + 1]; ++k) x[X.row_indices[k]] = X.values[k];
    return static_cast<const double*>(x.data());
  });
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
