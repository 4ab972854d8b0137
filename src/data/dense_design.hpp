// The dense design: d x n doubles, one column per observation, products by BLAS. Standardised in
// place (its numbers become z-scores), so nothing is implicit.
#pragma once
#include <armadillo>

#include "data/design.hpp"

namespace logreg {

class dense_design final : public design {
 public:
  // Owns X (moved in).
  explicit dense_design(arma::mat X);
  // A view of memory the caller keeps alive (the predictor's parsed block): d x n, column-major.
  dense_design(const double* data, arma::uword d, arma::uword n);

  // The matrix (standardised after standardize()), as a view: no copy.
  arma::mat matrix() const { return arma::mat(data_, d_, n_, false, true); }
  const double* column(arma::uword i) const { return data_ + i * d_; }

  arma::uword block_rows() const override;
  void scores(arma::uword lo, arma::uword len, const double* u, double offset, double* z) const override;
  void add_gradient(arma::uword lo, arma::uword len, const double* r, double* g) const override;
  void scores(arma::uword lo, arma::uword len, const arma::mat& U, const arma::vec& offsets,
              arma::mat& Z) const override;
  void add_gradient(arma::uword lo, arma::uword len, const arma::mat& R, arma::mat& G) const override;
  void add_gram(arma::uword lo, arma::uword len, const double* v, double sign, arma::mat& H, double* xv,
                gram_workspace& ws) const override;
  void exact_scores(arma::uword lo, arma::uword len, const double* w, double b, double* z) const override;
  void copy(arma::uword lo, arma::uword len, double* out) const override;

  double pass_work() const override;
  double gram_work() const override;

  void standardize(bool center, std::vector<double>& mean, std::vector<double>& scale) override;
  void keep_terms(const std::vector<arma::uword>& kept) override;
  std::unique_ptr<design> subset(const arma::uvec& rows) const override;
  std::string pack_rows(const arma::uvec& rows) const override;
  std::unique_ptr<design> unpack_rows(const std::vector<std::string>& parts) const override;

 private:
  arma::mat owned_;  // the memory, unless a view of the caller's
  double* data_;     // d x n, column-major (keep_terms compacts it in place)
};

// Standardises d x n numbers in place, one column per observation (design::standardize of a dense
// design and of a categorical design's numeric block).
// split_total > 0: the rows are this rank's part of split_total rows held by the MPI ranks in rank
// order (communicator.hpp); the statistics are then of all of them.
void standardize_block(double* data, arma::uword d, arma::uword n, bool center, std::vector<double>& mean,
                       std::vector<double>& scale, arma::uword split_total = 0);

}  // namespace logreg
