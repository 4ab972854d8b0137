// A fit split among ranks (base/communicator.hpp) gives the one-process numbers bit for bit. The
// ranks are threads here, with a communicator of mailboxes: each holds its chunks of the rows as
// its own dense design, and the standardisation, the losses' values, gradients and Hessians and a
// whole fit (fit_design: collinearity, separation and the inference table without a penalty) are
// compared with one process, bit for bit. (tests/cli/test_mpi.sh runs real MPI ranks.)
#include <doctest.h>

#include <armadillo>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/communicator.hpp"
#include "data/dense_design.hpp"
#include "fit/fit.hpp"
#include "logreg/threads.hpp"
#include "objective/logistic_loss.hpp"
#include "objective/multinomial_loss.hpp"

namespace {

using logreg::detail::communicator;

thread_local int my_rank = 0;

class thread_ranks final : public communicator {
 public:
  explicit thread_ranks(int P) : P_(P), slots_(static_cast<std::size_t>(P)) {}
  int rank() const override { return my_rank; }
  int size() const override { return P_; }
  std::vector<std::string> allgather(const std::string& mine) override {
    std::unique_lock<std::mutex> lock(m_);
    const long generation = generation_;
    slots_[static_cast<std::size_t>(my_rank)] = mine;
    if (++arrived_ == P_) {
      result_ = slots_;
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return generation_ != generation; });
    }
    return result_;
  }
  void send(int to, const double* v, std::size_t n) override { post(mail_, my_rank, to, v, n); }
  void receive(int from, double* v, std::size_t n) override { take(mail_, from, my_rank, v, n); }
  void broadcast(int root, double* v, std::size_t n) override {
    if (my_rank == root) {
      for (int r = 0; r < P_; ++r)
        if (r != root) post(bcast_, root, r, v, n);
    } else {
      take(bcast_, root, my_rank, v, n);
    }
  }
  void broadcast(int root, std::string& s) override { s = allgather(s)[static_cast<std::size_t>(root)]; }
  bool any(bool flag) override {
    for (const std::string& f : allgather(flag ? "1" : "0"))
      if (f == "1") return true;
    return false;
  }

 private:
  using boxes = std::map<std::pair<int, int>, std::deque<std::vector<double>>>;
  void post(boxes& b, int from, int to, const double* v, std::size_t n) {
    std::lock_guard<std::mutex> lock(m_);
    b[{from, to}].emplace_back(v, v + n);
    cv_.notify_all();
  }
  void take(boxes& b, int from, int to, double* v, std::size_t n) {
    std::unique_lock<std::mutex> lock(m_);
    auto& q = b[{from, to}];
    cv_.wait(lock, [&] { return !q.empty(); });
    REQUIRE(q.front().size() == n);
    std::copy(q.front().begin(), q.front().end(), v);
    q.pop_front();
  }
  int P_;
  std::mutex m_;
  std::condition_variable cv_;
  boxes mail_, bcast_;
  std::vector<std::string> slots_, result_;
  int arrived_ = 0;
  long generation_ = 0;
};

// Rank r's rows of n: the chunks [C r / P, C (r + 1) / P) of chunking(n).
logreg::detail::shard shard_of(arma::uword n, int r, int P) {
  const logreg::detail::chunking ch(n);
  logreg::detail::shard s;
  s.active = true;
  s.total = n;
  s.first = ch.count * static_cast<arma::uword>(r) / static_cast<arma::uword>(P);
  s.last = ch.count * static_cast<arma::uword>(r + 1) / static_cast<arma::uword>(P);
  s.offset = ch.begin(s.first);
  return s;
}

// Runs fn(rank, shard) on P threads as P ranks.
template <class Fn>
void on_ranks(int P, arma::uword n, Fn&& fn) {
  thread_ranks world(P);
  logreg::detail::set_world(&world);
  std::vector<std::thread> threads;
  for (int r = 0; r < P; ++r)
    threads.emplace_back([&, r] {
      my_rank = r;
      fn(r, shard_of(n, r, P));
    });
  for (auto& t : threads) t.join();
  logreg::detail::set_world(nullptr);
}

struct problem_data {
  arma::mat X;  // d x n, raw
  arma::vec y01, w;
  std::vector<std::uint32_t> classes;
};

problem_data make_data(arma::uword n, arma::uword d) {
  arma::arma_rng::set_seed(11);
  problem_data p;
  p.X = arma::randn(d, n);
  p.X.each_col() %= arma::linspace(0.1, 300.0, d);
  p.X.each_col() += arma::linspace(-50.0, 50.0, d);
  arma::vec z = (p.X.t() * arma::linspace(-0.02, 0.02, d)) + 0.3;
  p.y01 = arma::conv_to<arma::vec>::from(arma::randu(n) < 1 / (1 + arma::exp(-z)));
  p.w = 0.5 + arma::randu(n);
  for (arma::uword i = 0; i < n; ++i) p.classes.push_back(static_cast<std::uint32_t>((p.X(0, i) > -50) + (z[i] > 0.3)));
  return p;
}

}  // namespace

TEST_CASE("ranks: the standardisation and the binary loss of a split design equal one process's, bit for bit") {
  logreg::set_thread_count(1);
  const arma::uword n = 4096 * 9 + 123, d = 6;
  const problem_data p = make_data(n, d);
  logreg::dense_design one(arma::mat(p.X));
  std::vector<double> mean, scale;
  one.standardize(true, mean, scale);
  logreg::logistic_loss L(one, p.y01, p.w, true);
  const arma::vec theta = arma::linspace(-0.3, 0.4, d + 1);
  arma::vec g;
  const double f = L.value_gradient(theta, g);
  arma::mat H;
  L.hessian(theta, H);
  for (int P : {2, 3, 4}) {
    CAPTURE(P);
    std::vector<arma::vec> gs(static_cast<std::size_t>(P));
    std::vector<arma::mat> Hs(static_cast<std::size_t>(P));
    std::vector<double> fs(static_cast<std::size_t>(P));
    std::vector<std::vector<double>> means(static_cast<std::size_t>(P)), scales(static_cast<std::size_t>(P));
    on_ranks(P, n, [&](int r, const logreg::detail::shard& s) {
      const arma::uword lo = s.offset, end = r + 1 == P ? n : shard_of(n, r + 1, P).offset;
      logreg::dense_design X(arma::mat(p.X.cols(lo, end - 1)));
      X.set_shard(s);
      const auto k = static_cast<std::size_t>(r);
      X.standardize(true, means[k], scales[k]);
      logreg::logistic_loss Lr(X, p.y01.subvec(lo, end - 1), p.w.subvec(lo, end - 1), true);
      fs[k] = Lr.value_gradient(theta, gs[k]);
      Lr.hessian(theta, Hs[k]);
    });
    for (std::size_t k = 0; k < static_cast<std::size_t>(P); ++k) {
      CHECK(means[k] == mean);
      CHECK(scales[k] == scale);
      CHECK(fs[k] == f);
      CHECK(arma::all(gs[k] == g));
      CHECK(arma::all(arma::vectorise(Hs[k] == H)));
    }
  }
}

TEST_CASE("ranks: whole fits split among ranks equal one process's, bit for bit") {
  logreg::set_thread_count(1);
  const arma::uword n = 4096 * 5 + 77, d = 4;
  const problem_data p = make_data(n, d);
  const std::vector<std::string> names{"a", "b", "c", "d"};
  struct setting {
    const char* name;
    logreg::penalty_kind penalty;
    bool multiclass, weighted;
  };
  for (const setting& c : {setting{"l2, weighted", logreg::penalty_kind::l2, false, true},
                           setting{"none (inference, collinearity, separation checks)", logreg::penalty_kind::none, false, false},
                           setting{"multinomial", logreg::penalty_kind::l2, true, false},
                           setting{"l1", logreg::penalty_kind::l1, false, false}}) {
    CAPTURE(c.name);
    logreg::fit_settings settings;
    settings.penalty = c.penalty;
    if (c.penalty == logreg::penalty_kind::l1) settings.C = 0.01;
    const arma::uword K = c.multiclass ? 3 : 2;
    std::vector<std::uint32_t> y(n);
    for (arma::uword i = 0; i < n; ++i) y[i] = c.multiclass ? p.classes[i] : static_cast<std::uint32_t>(p.y01[i]);
    const std::vector<std::string> classes = c.multiclass ? std::vector<std::string>{"x", "y", "z"}
                                                          : std::vector<std::string>{"no", "yes"};
    const arma::vec w = c.weighted ? p.w : arma::vec();
    logreg::dense_design one(arma::mat(p.X));
    const logreg::design_fit want = logreg::fit_design(one, y, K, w, settings, names, classes);
    for (int P : {2, 3}) {
      CAPTURE(P);
      std::vector<logreg::design_fit> got(static_cast<std::size_t>(P));
      on_ranks(P, n, [&](int r, const logreg::detail::shard& s) {
        const arma::uword lo = s.offset, end = r + 1 == P ? n : shard_of(n, r + 1, P).offset;
        logreg::dense_design X(arma::mat(p.X.cols(lo, end - 1)));
        X.set_shard(s);
        const std::vector<std::uint32_t> yr(y.begin() + static_cast<long>(lo), y.begin() + static_cast<long>(end));
        const arma::vec wr = w.is_empty() ? arma::vec() : arma::vec(w.subvec(lo, end - 1));
        got[static_cast<std::size_t>(r)] = logreg::fit_design(X, yr, K, wr, settings, names, classes);
      });
      for (const logreg::design_fit& g : got) {
        CHECK(g.coefficients == want.coefficients);
        CHECK(g.intercepts == want.intercepts);
        CHECK(g.report.iterations == want.report.iterations);
        CHECK(g.report.objective == want.report.objective);
        CHECK(g.inference.has_value() == want.inference.has_value());
        if (g.inference && want.inference) {
          CHECK(g.inference->covariance == want.inference->covariance);
          CHECK(g.inference->log_likelihood == want.inference->log_likelihood);
        }
      }
    }
  }
}

TEST_CASE("ranks: file_owners gives each rank a run of consecutive files, by the files' middle bytes") {
  using logreg::detail::file_owners;
  CHECK(file_owners({10, 10, 10, 10}, 1) == std::vector<int>{0, 0, 0, 0});
  CHECK(file_owners({10, 10, 10, 10}, 2) == std::vector<int>{0, 0, 1, 1});
  // middles at 1/8, 3/8, 5/8, 7/8 of the bytes: thirds 0, 1, 1, 2
  CHECK(file_owners({10, 10, 10, 10}, 3) == std::vector<int>{0, 1, 1, 2});
  // fewer files than ranks: some ranks read none
  CHECK(file_owners({10, 10}, 4) == std::vector<int>{1, 3});
  // a large file among small ones: its middle decides
  CHECK(file_owners({1, 100, 1, 1}, 2) == std::vector<int>{0, 0, 1, 1});
  CHECK(file_owners({100, 1, 1, 1}, 2) == std::vector<int>{0, 1, 1, 1});
  // empty files (a header alone is never 0 bytes, but an empty libsvm part is): by position
  CHECK(file_owners({0, 0, 0, 0}, 2) == std::vector<int>{0, 0, 1, 1});
  CHECK(file_owners({0, 50, 0, 50, 0}, 2) == std::vector<int>{0, 0, 1, 1, 1});
  // sizes near 2^64 / 4 do not overflow
  const std::size_t big = std::size_t{1} << 62;
  CHECK(file_owners({big, big, big}, 3) == std::vector<int>{0, 1, 2});
  // always non-decreasing and in [0, P)
  for (int P = 1; P <= 7; ++P) {
    const std::vector<int> o = file_owners({3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}, P);
    for (std::size_t f = 0; f < o.size(); ++f) {
      CHECK(o[f] >= 0);
      CHECK(o[f] < P);
      if (f > 0) CHECK(o[f] >= o[f - 1]);
    }
  }
}
