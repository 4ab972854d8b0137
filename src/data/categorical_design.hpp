// The categorical design: the numeric columns as a dense block, and for each categorical column
// one level index per observation — the indicators of a one-hot encoding are never formed. A
// product touches a row's numeric values and its c level indices (O(p + c) per row, where the
// one-hot matrix would cost O(terms)); the Hessian's indicator blocks are sums of v per level and
// per pair of levels. The numeric block is standardised in place, the indicators implicitly
// (design.hpp), so the results are those of a StandardScaler on the one-hot matrix.
#pragma once
#include <cstdint>
#include <vector>

#include "base/buffer.hpp"
#include "data/design.hpp"

namespace logreg {

class categorical_design final : public design {
 public:
  // The term of a level that has none (the reference level under --drop-first).
  static constexpr std::uint32_t no_term = UINT32_MAX;

  // One entry per input column, in input order.
  struct column {
    bool categorical = false;
    std::uint32_t first_term = 0;  // numeric: its term; categorical: the first of its levels' terms
    std::uint32_t terms = 1;       // categorical: how many terms its levels have
  };

  // numeric: p x n (one row per numeric column, in input order; 0 x n when there is none); codes: n x c, row-major (codes[i * c
  // + k] is the term of observation i's level in the k-th categorical column, or no_term); d terms.
  categorical_design(arma::mat numeric, buffer<std::uint32_t> codes, std::vector<column> columns, arma::uword d);

  arma::uword n_numeric() const { return num_term_.size(); }
  arma::uword n_categorical() const { return cat_.size(); }

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

  detail::chunking gram_chunks() const override;
  double pass_work() const override;
  double gram_work() const override;

  void standardize(bool center, std::vector<double>& mean, std::vector<double>& scale) override;
  void keep_terms(const std::vector<arma::uword>& kept) override;
  std::unique_ptr<design> subset(const arma::uvec& rows) const override;
  std::string pack_rows(const arma::uvec& rows) const override;
  std::unique_ptr<design> unpack_rows(const std::vector<std::string>& parts) const override;

 private:
  const std::uint32_t* codes(arma::uword i) const { return codes_.data() + i * cat_.size(); }
  void ahead(arma::uword lo, arma::uword len) const;  // out of core: map the block's pages at once

  arma::mat numeric_;                   // p x n
  buffer<std::uint32_t> codes_;        // n x c
  std::vector<column> columns_;         // input order (numeric and categorical interleaved)
  std::vector<std::uint32_t> num_term_;  // numeric column j's term
  std::vector<std::uint32_t> cat_;       // categorical column k's index in columns_
};

}  // namespace logreg
