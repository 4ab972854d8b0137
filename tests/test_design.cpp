// The design interface (data/design.hpp): its three kinds give the same products, standardisation,
// dense copies, reshaping and losses as a dense matrix of the same numbers — the categorical
// design without forming its indicators, the sparse one without its zeros.
#include <doctest.h>

#include <armadillo>
#include <memory>
#include <vector>

#include "data/categorical_design.hpp"
#include "data/dense_design.hpp"
#include "data/sparse_design.hpp"
#include "logreg/threads.hpp"
#include "objective/logistic_loss.hpp"
#include "objective/multinomial_loss.hpp"

namespace {

using logreg::categorical_design;

// Numeric columns and categorical ones interleaved, a dropped reference level and a level without
// observations: the same data as a categorical design and as the dense one-hot matrix.
struct mixed {
  arma::mat dense;  // d x n, the indicators formed
  std::unique_ptr<categorical_design> cat;
};

mixed mixed_data(arma::uword n, unsigned seed) {
  arma::arma_rng::set_seed(seed);
  // Input columns: num (1 term), cat A (3 levels, the first dropped: 2 terms), num, cat B (4 terms,
  // the last never seen), cat C (2 terms), num.
  const std::vector<bool> is_cat{false, true, false, true, true, false};
  const std::vector<std::uint32_t> terms{1, 2, 1, 4, 2, 1};
  std::vector<categorical_design::column> columns;
  std::uint32_t at = 0;
  for (std::size_t c = 0; c < is_cat.size(); ++c) {
    columns.push_back({is_cat[c], at, terms[c]});
    at += terms[c];
  }
  const arma::uword d = at;
  mixed m;
  m.dense.zeros(d, n);
  arma::mat numeric(3, n);
  logreg::buffer<std::uint32_t> codes(n * 3);
  for (arma::uword i = 0; i < n; ++i) {
    std::size_t j = 0, k = 0;
    for (std::size_t c = 0; c < is_cat.size(); ++c) {
      const std::uint32_t first = columns[c].first_term;
      if (!is_cat[c]) {
        const double v = (c == 0 ? 1000.0 : 1.0) * arma::randn() + (c == 2 ? 50.0 : 0.0);
        numeric(j++, i) = v;
        m.dense(first, i) = v;
        continue;
      }
      std::uint32_t code = categorical_design::no_term;
      if (c == 1) {
        const arma::uword level = arma::randi<arma::uword>(arma::distr_param(0, 2));
        if (level > 0) code = first + static_cast<std::uint32_t>(level) - 1;
      } else if (c == 3) {
        code = first + static_cast<std::uint32_t>(arma::randi<arma::uword>(arma::distr_param(0, 2)));
      } else {
        code = first + static_cast<std::uint32_t>(arma::randi<arma::uword>(arma::distr_param(0, 1)));
      }
      codes[i * 3 + k++] = code;
      if (code != categorical_design::no_term) m.dense(code, i) = 1.0;
    }
  }
  m.cat = std::make_unique<categorical_design>(std::move(numeric), std::move(codes), columns, d);
  return m;
}

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

double rel(const arma::mat& a, const arma::mat& b) {
  return arma::abs(a - b).max() / std::max(1.0, arma::abs(b).max());
}

// Every product of `X` against the dense design `D` of the same numbers (both standardised alike).
void check_products(const logreg::design& X, const logreg::design& D, double tol) {
  REQUIRE(X.n_terms() == D.n_terms());
  REQUIRE(X.n_obs() == D.n_obs());
  const arma::uword d = X.n_terms(), n = X.n_obs();
  arma::arma_rng::set_seed(5);
  const arma::vec w = arma::randn(d), r = arma::randn(n), v = arma::randu(n);
  // Standardised scores X~' w + b over blocks of any size.
  for (arma::uword lo : {arma::uword{0}, arma::uword{7}}) {
    const arma::uword len = n - lo - 3;
    arma::vec zx(len), zd(len);
    const auto px = X.prepare(w.memptr()), pd = D.prepare(w.memptr());
    X.scores(lo, len, px.u.memptr(), 0.5 + px.shift, zx.memptr());
    D.scores(lo, len, pd.u.memptr(), 0.5 + pd.shift, zd.memptr());
    CHECK(rel(zx, zd) <= tol);
  }
  // X~ r
  arma::vec gx(d, arma::fill::zeros), gd(d, arma::fill::zeros);
  X.add_gradient(0, n, r.memptr(), gx.memptr());
  D.add_gradient(0, n, r.memptr(), gd.memptr());
  X.finish_gradient(gx.memptr(), arma::accu(r));
  D.finish_gradient(gd.memptr(), arma::accu(r));
  CHECK(rel(gx, gd) <= tol);
  // X~ diag(v) X~', X~ v, with both signs
  for (double sign : {1.0, -1.0}) {
    arma::mat Hx(d, d, arma::fill::zeros), Hd(d, d, arma::fill::zeros);
    arma::vec xx(d, arma::fill::zeros), xd(d, arma::fill::zeros);
    logreg::gram_workspace ws;
    X.add_gram(0, n / 2, v.memptr(), sign, Hx, xx.memptr(), ws);
    X.add_gram(n / 2, n - n / 2, v.memptr() + n / 2, sign, Hx, xx.memptr(), ws);
    D.add_gram(0, n, v.memptr(), sign, Hd, xd.memptr(), ws);
    X.finish_gram(Hx, xx, sign * arma::accu(v));
    D.finish_gram(Hd, xd, sign * arma::accu(v));
    CHECK(rel(arma::symmatl(Hx), arma::symmatl(Hd)) <= tol);
    CHECK(rel(xx, xd) <= tol);
  }
  // Several coefficient vectors at once.
  const arma::mat W = arma::randn(d, 3), R = arma::randn(3, n);
  arma::mat Ux, Ud, Zx, Zd;
  arma::vec sx, sd;
  X.prepare(W, Ux, sx);
  D.prepare(W, Ud, sd);
  X.scores(2, n - 2, Ux, sx, Zx);
  D.scores(2, n - 2, Ud, sd, Zd);
  CHECK(rel(Zx, Zd) <= tol);
  arma::mat Gx(d, 3, arma::fill::zeros), Gd(d, 3, arma::fill::zeros);
  X.add_gradient(0, n, R, Gx);
  D.add_gradient(0, n, R, Gd);
  X.finish_gradient(Gx, arma::sum(R, 1).t());
  D.finish_gradient(Gd, arma::sum(R, 1).t());
  CHECK(rel(Gx, Gd) <= tol);
  // The dense copy of a block.
  arma::mat Cx(d, 5), Cd(d, 5);
  X.copy(3, 5, Cx.memptr());
  D.copy(3, 5, Cd.memptr());
  CHECK(rel(Cx, Cd) <= tol);
}

}  // namespace

TEST_CASE("categorical and sparse designs: the products of the dense matrix, raw and standardised") {
  const arma::uword n = 5000;
  for (bool center : {true, false}) {
    CAPTURE(center);
    mixed m = mixed_data(n, 11);
    logreg::dense_design D{arma::mat(m.dense)};
    logreg::sparse_design S(to_csr(m.dense));
    // Before standardisation: the stored numbers; exact_scores sums a row in term order from b.
    check_products(*m.cat, D, 1e-13);
    check_products(S, D, 1e-13);
    const arma::vec w = arma::linspace(-1, 1, D.n_terms());
    arma::vec ec(n), ed(n), es(n);
    m.cat->exact_scores(0, n, w.memptr(), 0.25, ec.memptr());
    D.exact_scores(0, n, w.memptr(), 0.25, ed.memptr());
    S.exact_scores(0, n, w.memptr(), 0.25, es.memptr());
    CHECK(arma::all(ec == ed));  // the same bits
    CHECK(arma::all(es == ed));
    // Standardised: the same means and scales (StandardScaler's), and the products of X~.
    std::vector<double> mc, sc, md, sd, ms, ss;
    m.cat->standardize(center, mc, sc);
    D.standardize(center, md, sd);
    S.standardize(center, ms, ss);
    CHECK(rel(arma::vec(mc), arma::vec(md)) <= 1e-14);
    CHECK(rel(arma::vec(sc), arma::vec(sd)) <= 1e-14);
    CHECK(rel(arma::vec(ss), arma::vec(sd)) <= 1e-14);
    CHECK(sc[7] == 1.0);  // the level never seen is constant: scale 1, never NaN
    CHECK(ss[7] == 1.0);
    // Implicit centring sums before it subtracts (X D X' - m (XD1)' ...): a few more rounding errors
    // than centred numbers, ~1e-12 of the largest entry.
    check_products(*m.cat, D, 1e-10);
    check_products(S, D, 1e-10);
    // Terms removed (as aliased terms are) and observations chosen (as the warm start does).
    const std::vector<arma::uword> kept{0, 2, 3, 4, 5, 7, 8, 9, 10};
    m.cat->keep_terms(kept);
    D.keep_terms(kept);
    S.keep_terms(kept);
    check_products(*m.cat, D, 1e-10);
    check_products(S, D, 1e-10);
    const arma::uvec rows = arma::regspace<arma::uvec>(3, 7, n - 1);
    check_products(*m.cat->subset(rows), *D.subset(rows), 1e-10);
    check_products(*S.subset(rows), *D.subset(rows), 1e-10);
  }
}

TEST_CASE("categorical design: the losses of the one-hot matrix; identical bits with any number of threads") {
  const arma::uword n = 30000;  // several chunks
  mixed m = mixed_data(n, 3);
  logreg::dense_design D{arma::mat(m.dense)};
  std::vector<double> mean, scale;
  m.cat->standardize(true, mean, scale);
  D.standardize(true, mean, scale);
  arma::arma_rng::set_seed(8);
  const arma::vec y = arma::conv_to<arma::vec>::from(arma::randu(n) < 0.4), w = arma::randu(n) + 0.5;
  std::vector<std::uint32_t> k3(n);
  for (arma::uword i = 0; i < n; ++i) k3[i] = static_cast<std::uint32_t>(i % 3);
  const arma::vec theta = 0.2 * arma::randn(D.n_terms() + 1), theta3 = 0.2 * arma::randn(3 * (D.n_terms() + 1));
  logreg::logistic_loss Ld(D, y, w, true);
  logreg::multinomial_loss Md(D, k3, 3, w, true);
  arma::vec gd, gd3;
  arma::mat Hd, Hd3;
  const double fd = Ld.value_gradient(theta, gd), fd3 = Md.value_gradient(theta3, gd3);
  Ld.hessian(theta, Hd);
  Md.hessian(theta3, Hd3);
  const int saved = logreg::thread_count();
  arma::vec g1;
  arma::mat H1;
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    logreg::set_thread_count(threads);
    logreg::logistic_loss L(*m.cat, y, w, true);
    arma::vec g;
    arma::mat H;
    CHECK(L.value_gradient(theta, g) == doctest::Approx(fd).epsilon(1e-13));
    L.hessian(theta, H);
    CHECK(rel(g, gd) <= 1e-10);
    CHECK(rel(H, Hd) <= 1e-10);
    if (threads == 1) {
      g1 = g;
      H1 = H;
    } else {
      CHECK(arma::all(g == g1));
      CHECK(arma::all(arma::vectorise(H == H1)));
    }
    logreg::multinomial_loss M(*m.cat, k3, 3, w, true);
    arma::vec g3;
    arma::mat H3;
    CHECK(M.value_gradient(theta3, g3) == doctest::Approx(fd3).epsilon(1e-13));
    M.hessian(theta3, H3);
    CHECK(rel(g3, gd3) <= 1e-10);
    CHECK(rel(H3, Hd3) <= 1e-10);
  }
  logreg::set_thread_count(saved);
}
