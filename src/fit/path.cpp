#include "fit/path.hpp"

#include <cmath>

#include "fit/fit.hpp"
#include "fit/solve.hpp"
#include "logreg/error.hpp"
#include "objective/logistic_loss.hpp"
#include "objective/multinomial_loss.hpp"

namespace logreg {

namespace {

// A loss that remembers its last evaluation, and whose next Hessian can be the one it computed last:
// the first Newton iteration of a fit at
// the next C starts where the previous fit ended, a step or less from where that fit's last Hessian
// was computed, so the data part of the Hessian is the same to a few digits there, and a pass over
// the data is saved. (The convergence test is on the exact gradient, so the answer is the same.)
class reusing_loss final : public loss {
 public:
  explicit reusing_loss(std::unique_ptr<loss> base) : base_(std::move(base)) {}
  const variable_layout& layout() const override { return base_->layout(); }
  // The fit at the next C starts where the last one ended, and its first evaluation is there: the
  // loss's value and gradient there are the ones the last fit ended with (only C differs).
  double value_gradient(const arma::vec& theta, arma::vec& g) override {
    if (theta.n_elem == at_.n_elem && arma::all(theta == at_)) {
      g = gradient_;
      return value_;
    }
    reuse_next_ = false;  // the kept Hessian is for the first point only (not, e.g., a Newton polish's)
    value_ = base_->value_gradient(theta, g);
    at_ = theta;
    gradient_ = g;
    return value_;
  }
  void hessian(const arma::vec& theta, arma::mat& H) override {
    if (reuse_next_ && !last_.is_empty()) {
      reuse_next_ = false;
      H = last_;
      return;
    }
    reuse_next_ = false;
    base_->hessian(theta, H);
    last_ = H;
  }
  double weight_sum() const override { return base_->weight_sum(); }
  double hessian_cost() const override { return base_->hessian_cost(); }
  void reuse_next() { reuse_next_ = true; }
  void forget() { last_.reset(); }
  loss& base() { return *base_; }

 private:
  std::unique_ptr<loss> base_;
  arma::mat last_;
  bool reuse_next_ = false;
  arma::vec at_, gradient_;  // the last evaluation
  double value_ = 0;
};

}  // namespace

struct fit_path::problem_state {
  std::unique_ptr<reusing_loss> L;
  arma::vec theta;        // the last solution: the next fit's start
  arma::vec start;        // the intercept-only point (for boundary_C)
  arma::uword classes = 1;  // scores in theta (1, or K for multinomial)
};

fit_path::fit_path(design& X, std::vector<std::uint32_t> y, arma::uword K, arma::vec weights,
                   const fit_settings& settings)
    : X_(X), K_(K), settings_(settings), y_(std::move(y)) {
  validate(settings);
  if (settings.penalty == penalty_kind::none)
    throw usage_error("--penalty none: there is no C to choose without a penalty (use l2, l1 or elasticnet)");
  X_.standardize(settings.fit_intercept, mean_, scale_);
  const bool intercept = settings.fit_intercept;
  auto binary = [&](const arma::vec& y01, const arma::vec& w) {
    auto p = std::make_unique<problem_state>();
    p->L = std::make_unique<reusing_loss>(std::make_unique<logistic_loss>(X_, y01, w, intercept));
    p->start.zeros(p->L->n_vars());
    if (intercept) {  // the intercept-only fit: log-odds of the (weighted) class rates
      const double pos = w.is_empty() ? arma::accu(y01) : arma::dot(w, y01);
      const double all = w.is_empty() ? static_cast<double>(y01.n_elem) : arma::accu(w);
      if (pos > 0 && pos < all) p->start(X_.n_terms()) = std::log(pos / (all - pos));
    }
    p->theta = p->start;
    problems_.push_back(std::move(p));
  };
  if (K == 2) {
    arma::vec y01(y_.size());
    for (std::size_t i = 0; i < y_.size(); ++i) y01[i] = y_[i] == 1 ? 1.0 : 0.0;
    binary(y01, weights);
  } else if (settings.multiclass == multiclass_kind::multinomial) {
    auto p = std::make_unique<problem_state>();
    p->L = std::make_unique<reusing_loss>(std::make_unique<multinomial_loss>(X_, y_, K, weights, intercept));
    p->classes = K;
    p->start.zeros(p->L->n_vars());
    if (intercept) {  // the intercept-only fit: log of the (weighted) class shares
      arma::vec share(K, arma::fill::zeros);
      for (std::size_t i = 0; i < y_.size(); ++i) share[y_[i]] += weights.is_empty() ? 1.0 : weights[i];
      const arma::uword block = X_.n_terms() + 1;
      for (arma::uword k = 0; k < K; ++k)
        if (share[k] > 0) p->start(k * block + X_.n_terms()) = std::log(share[k] / arma::accu(share));
    }
    p->theta = p->start;
    problems_.push_back(std::move(p));
  } else {
    for (arma::uword k = 0; k < K; ++k) {
      arma::vec yk, wk;
      one_vs_rest_problem(y_, k, weights, settings, yk, wk);
      binary(yk, wk);
      problems_.back()->theta.zeros();  // train starts one-vs-rest fits from 0
    }
  }
}

fit_path::~fit_path() = default;

void fit_path::restart() {
  for (auto& p : problems_) {
    p->theta = p->start;
    p->L->forget();
  }
}

fit_path::point fit_path::fit(double C, double l1_ratio) {
  fit_settings s = settings_;
  s.C = C;
  if (s.penalty == penalty_kind::elasticnet) s.l1_ratio = l1_ratio;
  problem pb = make_problem(s, arma::vec(scale_));
  pb.along_path = true;  // warm-started fits along the grid (problem::along_path)
  const arma::uword d = X_.n_terms(), block = d + (s.fit_intercept ? 1 : 0);
  point out;
  out.C = C;
  out.l1_ratio = s.l1_weight();
  arma::mat theta_z(block, problems_.size() == 1 ? problems_[0]->classes : problems_.size());
  bool first = true;
  for (std::size_t p = 0; p < problems_.size(); ++p) {
    problem_state& st = *problems_[p];
    fit_report r;
    st.L->reuse_next();
    solve(*st.L, pb, s, {}, st.theta, r);
    if (problems_.size() == 1) {
      out.report = r;
      theta_z = arma::reshape(st.theta, block, st.classes);
    } else {
      merge_one_vs_rest_report(out.report, r, first);
      theta_z.col(p) = st.theta;
    }
    first = false;
  }
  if (problems_.size() == 1 && problems_[0]->classes > 1 && s.fit_intercept)
    theta_z.row(d) -= arma::mean(theta_z.row(d));  // the multinomial intercepts centred, as train's
  to_original_scale(theta_z, s.fit_intercept, mean_, scale_, out.coefficients, out.intercepts);
  for (const auto& row : out.coefficients)
    for (double w : row) out.nonzero += w != 0;
  return out;
}

double fit_path::boundary_C(double l1_ratio) const {
  const double R = l1_ratio > 0 ? l1_ratio : 1.0;
  const arma::uword d = X_.n_terms(), block = d + (settings_.fit_intercept ? 1 : 0);
  double best = INFINITY;
  for (const auto& p : problems_) {
    arma::vec g;
    p->L->value_gradient(p->start, g);
    for (arma::uword k = 0; k < p->classes; ++k)
      for (arma::uword j = 0; j < d; ++j) {
        const double mu = settings_.standardize ? 1.0 : 1.0 / scale_[j];
        const double gj = std::fabs(g(k * block + j));
        if (gj > 0) best = std::min(best, R * mu / gj);
      }
  }
  return std::isfinite(best) ? best : 1.0;
}

}  // namespace logreg
