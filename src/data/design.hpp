// The design matrix: the one interface through which the losses, the fit's checks (collinearity,
// separation), inference and the predictor see the data. Three kinds implement it:
//
//   dense_design        d x n doubles (numeric CSV)                       dense_design.hpp
//   sparse_design       the non-zeros of each observation (libsvm, CSR)   sparse_design.hpp
//   categorical_design  a dense numeric block plus one level index per    categorical_design.hpp
//                       categorical column and observation (never expanded into indicators)
//
// Orientation, as everywhere in logreg: d terms (features after encoding) x n observations, one
// COLUMN per observation. Every product works on a range of observations [lo, lo + len), so that
// the losses can cut a pass into the fixed chunks (chunks()) that make the sums the same, bit for
// bit, for any number of threads.
//
// Standardisation. After standardize(), the matrix the products stand for is the standardised one,
//   X~ = S^-1 (X - m 1'),   S = diag(scale), m = the means (0 without centring),
// a StandardScaler pipeline. A dense design applies it to its numbers in place. A sparse design and
// the indicators of a categorical design keep their stored values (zeros stay zeros, indicators
// stay level indices) and fold the transform into the products instead: with
// (m, s) = implicit_center(), implicit_inv_scale() (empty when nothing is implicit),
//   X~' u     = X' (s % u) - m.(s % u)                  prepare() + scores()
//   X~ r      = s % (X r - m sum(r))                    add_gradient() + finish_gradient()
//   X~ D X~'  = S (X D X' - m (XD1)' - (XD1) m' + (1'D1) m m') S     add_gram() + finish_gram()
// so every caller goes through prepare / finish, and a design without implicit terms pays nothing.
#pragma once
#include <armadillo>
#include <memory>
#include <string>
#include <vector>

#include "base/chunking.hpp"

namespace logreg {

// Scratch space a thread keeps from one add_gram call to the next (a dense design scales a block
// of X there; allocating it afresh per call costs a page fault per 4 kB).
struct gram_workspace {
  arma::mat block;
  std::vector<double> values;
};

class design {
 public:
  virtual ~design() = default;

  arma::uword n_obs() const { return n_; }  // observations this process holds
  // Observations of the whole fit: n_obs(), or, split among MPI ranks, all ranks' together.
  arma::uword total_obs() const { return shard_.active ? shard_.total : n_; }
  const detail::shard& shard() const { return shard_; }
  // This design holds the chunks of `s` of a fit split among ranks (a dense design only).
  void set_shard(const detail::shard& s) { shard_ = s; }
  arma::uword n_terms() const { return d_; }

  // ---- products of the stored matrix on observations [lo, lo + len) --------------------------
  // Observations per block for scores() + add_gradient() in one pass (the block stays in cache).
  virtual arma::uword block_rows() const = 0;
  // z[i] = offset + x_(lo+i).u for i in [0, len)  (u: n_terms values). The offset is part of the
  // product so that each kind adds it where its old code did (the bits of the models stay).
  virtual void scores(arma::uword lo, arma::uword len, const double* u, double offset, double* z) const = 0;
  // g[0, d) += X_b r  (r: len values).
  virtual void add_gradient(arma::uword lo, arma::uword len, const double* r, double* g) const = 0;
  // Several coefficient vectors at once (multinomial): Z (K x len) = U' X_b + offsets 1', U d x K.
  virtual void scores(arma::uword lo, arma::uword len, const arma::mat& U, const arma::vec& offsets,
                      arma::mat& Z) const = 0;
  // G (d x K) += X_b R', R is K x len.
  virtual void add_gradient(arma::uword lo, arma::uword len, const arma::mat& R, arma::mat& G) const = 0;
  // H (d x d, lower triangle; the upper one is left alone) += sign * X_b diag(v) X_b', v >= 0, and,
  // when xv is not null, xv[0, d) += sign * X_b v.
  virtual void add_gram(arma::uword lo, arma::uword len, const double* v, double sign, arma::mat& H, double* xv,
                        gram_workspace& ws) const = 0;
  // The predictor's scores, of the numbers as given (before standardize()): z_i = b + sum_j w_j x_ij
  // added in term order from b, so that an observation's score has the same bits in any block, on
  // any path (a dense row, a sparse row whose zeros are left out, or level indices), for any thread
  // count.
  virtual void exact_scores(arma::uword lo, arma::uword len, const double* w, double b, double* z) const = 0;
  // The standardised block X~_b as a dense d x len matrix (column-major, leading dimension d).
  virtual void copy(arma::uword lo, arma::uword len, double* out) const = 0;

  // ---- how passes are cut ------------------------------------------------------------------
  // The fixed chunks of a pass over the observations (they depend on the data alone).
  virtual detail::chunking chunks() const { return placed(detail::chunking(total_obs())); }
  // The chunks of a pass of add_gram (fewer when the partial d x d sums would outweigh the data).
  virtual detail::chunking gram_chunks() const { return chunks(); }
  // Values a pass reads (for the number of threads worth using), and a pass of add_gram's work.
  virtual double pass_work() const = 0;
  virtual double gram_work() const = 0;

  // ---- standardisation ----------------------------------------------------------------------
  // Computes each term's mean and population standard deviation (unweighted, as StandardScaler; a
  // constant term, whose deviation is at most 10 eps |mean|, gets scale 1 and, centred, the
  // standardised value 0), and from then on the products are of X~ (centred only when `center`;
  // mean holds 0s then). Any finite magnitude works alike (standardize_column). Once only.
  virtual void standardize(bool center, std::vector<double>& mean, std::vector<double>& scale) = 0;
  const arma::vec& implicit_center() const { return center_; }       // empty: nothing implicit
  const arma::vec& implicit_inv_scale() const { return inv_scale_; }  // empty: nothing implicit

  // u = s % w and shift = -m.u: then X~_b' w + b = scores(u, b + shift).
  struct prepared {
    arma::vec u;
    double shift = 0;
  };
  prepared prepare(const double* w) const;
  // U = W scaled row by row, shifts = -U' m (K values).
  void prepare(const arma::mat& W, arma::mat& U, arma::vec& shifts) const;
  // g = s % (g - m rsum) in place: the gradient of X~ from add_gradient's sum.
  void finish_gradient(double* g, double rsum) const;
  void finish_gradient(arma::mat& G, const arma::rowvec& rsums) const;
  // H (lower triangle in, full symmetric out when the transform applies, else left as it is) and
  // xv (may be empty when not centred) from add_gram's sums; vsum = sum of v.
  void finish_gram(arma::mat& H, arma::vec& xv, double vsum) const;

  // ---- reshaping ------------------------------------------------------------------------------
  // Keeps the terms `kept` (increasing), in place: the others are gone from every product.
  virtual void keep_terms(const std::vector<arma::uword>& kept) = 0;
  // A design of the observations `rows` (in that order), standardised as this one is.
  virtual std::unique_ptr<design> subset(const arma::uvec& rows) const = 0;
  // Split among MPI ranks: the observations `rows` (of this process) as bytes, and a design of the
  // rows of several such parts (in that order), standardised as this one is: the subset of the
  // whole that subset() gives in one process, bit for bit. Dense and categorical designs.
  virtual std::string pack_rows(const arma::uvec& rows) const;
  virtual std::unique_ptr<design> unpack_rows(const std::vector<std::string>& parts) const;

 protected:
  design(arma::uword d, arma::uword n) : d_(d), n_(n) {}
  void keep_implicit(const std::vector<arma::uword>& kept);  // keep_terms' part for m and s
  // Chunks of the whole data, placed at this process's shard when the data are split among ranks.
  detail::chunking placed(detail::chunking ch) const {
    if (!shard_.active) return ch;
    ch.distributed = true;
    ch.first = shard_.first;
    ch.last = shard_.last;
    ch.offset = shard_.offset;
    return ch;
  }

  arma::uword d_, n_;
  arma::vec center_, inv_scale_;
  detail::shard shard_;
};

// Standardisation at any magnitude. A column's sums are taken of x / s, where s is the power of two
// magnitude_scale(max |x|): dividing by it is exact, and x / s lies in [-2, 2], so that no sum of
// squares overflows (values of 1e200) or underflows (1e-200). Every result is the one of the
// unscaled sums, bit for bit, whenever those do not overflow or underflow.
double magnitude_scale(double max_abs);

// One column's standardisation, from s = magnitude_scale(max |x|), the mean of x / s, the sum of
// squared deviations of x / s from it, and n.
struct column_standard {
  double mean = 0;    // in the column's units; 0 when not centred
  double scale = 1;   // the population standard deviation; 1 for a constant column
  double center = 0;  // the standardised value is (x / s - center) * factor
  double factor = 1;
};
// Constant: every value the same (`equal`), or a standard deviation of at most 10 eps |mean|
// (relative to the column's own magnitude, so that a spread of 1e-17 around 1e-15 is not constant).
// A constant column gets scale 1 and, when centred, the standardised value 0 exactly (factor 0);
// not centred, its values unchanged.
column_standard standardize_column(double s, double scaled_mean, double scaled_squared_deviations, double n,
                                   bool center, bool equal);

// Linear scores X~' w + b of every observation (for checks, not for solver passes).
arma::vec standardized_scores(const design& X, const arma::vec& w, double b);

}  // namespace logreg
