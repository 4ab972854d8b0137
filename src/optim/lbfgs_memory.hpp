// The curvature pairs of L-BFGS and its two-loop recursion (Nocedal & Wright, algorithm 7.4),
// shared by L-BFGS and OWL-QN.
#pragma once
#include <armadillo>
#include <algorithm>
#include <deque>
#include <limits>
#include <vector>

namespace logreg::detail {

class lbfgs_memory {
 public:
  explicit lbfgs_memory(int size) : size_(size) {}
  bool empty() const { return S_.empty(); }
  void clear() {
    S_.clear();
    Y_.clear();
    rho_.clear();
  }

  // Keeps (s, y) when s'y > eps y'y (so the implied H stays positive definite); the oldest pair
  // goes beyond `size` pairs.
  void push(arma::vec s, arma::vec y) {
    const double sy = arma::dot(s, y);
    if (!(sy > std::numeric_limits<double>::epsilon() * arma::dot(y, y))) return;
    S_.push_back(std::move(s));
    Y_.push_back(std::move(y));
    rho_.push_back(1.0 / sy);
    if (static_cast<int>(S_.size()) > size_) {
      S_.pop_front();
      Y_.pop_front();
      rho_.pop_front();
    }
  }

  // The smallest curvature s'y / s's along the kept steps (infinite when empty).
  double min_curvature() const {
    double c = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < S_.size(); ++i) c = std::min(c, 1.0 / (rho_[i] * arma::dot(S_[i], S_[i])));
    return c;
  }

  // H g by the two-loop recursion, H0 = (s'y / y'y) I from the newest pair (I when empty).
  arma::vec apply(const arma::vec& g) const {
    arma::vec q = g;
    alpha_.assign(S_.size(), 0.0);
    for (std::size_t i = S_.size(); i-- > 0;) {
      alpha_[i] = rho_[i] * arma::dot(S_[i], q);
      q -= alpha_[i] * Y_[i];
    }
    if (!S_.empty()) q *= arma::dot(S_.back(), Y_.back()) / arma::dot(Y_.back(), Y_.back());
    for (std::size_t i = 0; i < S_.size(); ++i) {
      const double beta = rho_[i] * arma::dot(Y_[i], q);
      q += (alpha_[i] - beta) * S_[i];
    }
    return q;
  }

 private:
  int size_;
  std::deque<arma::vec> S_, Y_;
  std::deque<double> rho_;
  mutable std::vector<double> alpha_;
};

}  // namespace logreg::detail
