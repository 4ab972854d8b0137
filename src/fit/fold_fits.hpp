// Every fold's fit along the grid at once, for the common case of `logreg cv`: two classes, dense
// numeric data, standardised features and an intercept, any penalty with one L1 ratio (L1 and
// elastic net by proximal Newton steps on the same Newton matrices, with its line search).
//
// Fold by fold (fit_path), each Newton iteration of each fold reads its 1 - 1/K of the data once
// or twice and builds its own Hessian: K folds cost about K passes per iteration. Here the rows are
// kept once, grouped by fold, and one pass serves every fold: for a block of rows, the scores of
// all K folds' coefficients are one matrix product (the block times a d x K matrix), and so are
// their gradients; the row's own fold skips it. The Newton matrix of fold f is built from one
// Hessian pass for all folds: per fold g of rows, sum_i D_i x_i x_i' at the folds' mean
// coefficients, so that fold f's data part is the sum over g != f, mapped into f's standardised
// coordinates (its own means and scales). That matrix is close to f's exact Hessian (the folds'
// coefficients differ by little), so the iteration converges as fast as the Newton steps of a
// nearby point: linearly with a small ratio, each step checked by the exact gradient. The pass for
// the Hessian runs again when a step shrinks the gradient by less than 20x; a fold that still gains
// too little right after that goes on its own exact Hessian. docs/numerics.md, "cv: every fold at
// once", has the details and the measured counts.
//
// Each fit stops by the test of `train` (and fit_path): max|gradient| <= tol * C * (sum of the
// training rows' weights), the gradient exact. So each fold's solution is `logreg train`'s on the
// other folds' rows to the solver's tolerance, as fit_path's is; only the path to it differs.
//
// Sums run over fixed chunks in a fixed order: the same numbers for any thread count.
#pragma once
#include <armadillo>
#include <cstdint>
#include <functional>
#include <vector>

#include "fit/path.hpp"
#include "logreg/settings.hpp"

namespace logreg {

// Whether fold_fits handles this case (two classes, dense, penalised, standardised, intercept,
// Newton's size).
bool fold_fits_apply(const fit_settings& s, arma::uword K, bool dense, arma::uword d);

// X: d x n, one column per row (labelled_data::X); y: 0/1; weights: per row or empty; fold: per
// row in [0, F), every fold non-empty and every training part holding both classes; Cs ascending.
// Fills points[f][g] for every fold f and grid value g and returns true; returns false (points
// untouched) when the data are outside what it handles (non-finite sums, a Newton matrix that is
// not positive definite) or an iteration does not settle (then the caller fits fold by fold, which
// reports non-convergence as train does).
// on_value(k) is called after the k-th value of C (1-based) has been fitted in every fold. With
// on_held_out, on_held_out(f, g, p) gives fit (f, g)'s probabilities of the positive class on fold
// f's own rows, in input order, as soon as it is done: the scores the passes computed anyway (the
// rows' own fold gets no residual, but its scores come with the product), so cv scores the folds
// without another pass (and without keeping them all). The calls for the folds of one value of C
// run concurrently (on the available threads): on_held_out must be safe for different f.
// The least rows x (terms + 1) x folds for which cv fits every fold at once (2 million: below it
// the fits fold by fold take hundredths of a second and fold_fits' fixed costs do not pay). Tests
// lower it to hold this path to scikit-learn's fold scores on the small fixture data.
double& fold_fits_min_work();

using held_out_callback = std::function<void(std::uint32_t, std::size_t, const std::vector<double>&)>;
bool fold_fits(const arma::mat& X, const std::vector<std::uint32_t>& y, const arma::vec& weights,
               const std::vector<std::uint32_t>& fold, std::uint32_t F, const std::vector<double>& Cs,
               const fit_settings& s, std::vector<std::vector<fit_path::point>>& points,
               const std::function<void(std::size_t)>& on_value = {}, const held_out_callback& on_held_out = {});

}  // namespace logreg
