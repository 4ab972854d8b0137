// The sparse design: the non-zeros of each observation (compressed rows of the n x d data, which
// are compressed columns of X). Products cost O(non-zeros); standardisation is implicit (design.hpp),
// so the zeros stay zeros.
#pragma once
#include <cstdint>

#include "data/csr_matrix.hpp"
#include "data/design.hpp"

namespace logreg {

class sparse_design final : public design {
 public:
  // Owns the data (moved in).
  explicit sparse_design(csr_matrix X);
  // A view of rows the caller keeps alive (the predictor's parsed block): n rows, d terms; column
  // indices >= d are ignored by exact_scores (a model knows nothing of them).
  sparse_design(const std::size_t* row_ptr, const std::uint32_t* col, const double* val, arma::uword n, arma::uword d);

  std::size_t nnz() const { return row_ptr_[n_] - row_ptr_[0]; }
  // Split among MPI ranks (with set_shard): the whole data's non-zeros, which the chunks depend on.
  void set_total_nnz(std::size_t nnz) { total_nnz_ = nnz; }
  // The fixed chunks of n rows holding nnz non-zeros of d terms (chunks() of the whole data).
  static detail::chunking chunks_of(arma::uword n, std::size_t nnz, arma::uword d);

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

  detail::chunking chunks() const override;
  detail::chunking gram_chunks() const override;
  double pass_work() const override;
  double gram_work() const override;

  void standardize(bool center, std::vector<double>& mean, std::vector<double>& scale) override;
  void keep_terms(const std::vector<arma::uword>& kept) override;
  std::unique_ptr<design> subset(const arma::uvec& rows) const override;
  std::string pack_rows(const arma::uvec& rows) const override;
  std::unique_ptr<design> unpack_rows(const std::vector<std::string>& parts) const override;

 private:
  void point_at_owned();

  void ahead(arma::uword lo, arma::uword len) const;  // out of core: map the block's pages at once
  csr_matrix owned_;
  const std::size_t* row_ptr_;
  const std::uint32_t* col_;
  const double* val_;
  double gram_work_ = -1;  // sum of nnz_i^2 / 2 + n, computed once
  std::size_t total_nnz_ = 0;  // split among ranks: the whole data's
};

}  // namespace logreg
