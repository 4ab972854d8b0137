// The processes of one fit (MPI ranks), as the core sees them: an interface with no MPI in it, so
// that the library builds and works without MPI. The CLI installs an implementation over MPI
// (src/cli/mpi_world.cpp) when logreg runs as one of several ranks; world() is null
// otherwise, and every helper below then does nothing but call its function.
//
// How a fit uses it (docs/scale-out.md): each rank holds a contiguous run of the fixed chunks of
// the observations (chunking.hpp); every sum over observations is a sequential sum in chunk order
// in the one-process code, and stays one across the ranks: rank r receives the running sums from
// rank r - 1, adds its own chunks in order, and passes them on; the last rank broadcasts the
// totals. So the sums are the one-process sums, bit for bit, for any number of ranks.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace logreg::detail {

class communicator {
 public:
  virtual ~communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Every rank's bytes, in rank order.
  virtual std::vector<std::string> allgather(const std::string& mine) = 0;
  // Point to point and broadcast of doubles whose count both sides know.
  virtual void send(int to, const double* values, std::size_t count) = 0;
  virtual void receive(int from, double* values, std::size_t count) = 0;
  virtual void broadcast(int root, double* values, std::size_t count) = 0;
  virtual void broadcast(int root, std::string& bytes) = 0;
  // True on every rank when `flag` is true on any.
  virtual bool any(bool flag) = 0;
};

// The ranks of a load when logreg runs as one process (several files, no MPI): one rank.
class one_rank final : public communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::string> allgather(const std::string& mine) override { return {mine}; }
  void send(int, const double*, std::size_t) override { throw std::logic_error("one_rank: send"); }
  void receive(int, double*, std::size_t) override { throw std::logic_error("one_rank: receive"); }
  void broadcast(int, double*, std::size_t) override {}
  void broadcast(int, std::string&) override {}
  bool any(bool flag) override { return flag; }
};

// The ranks of this process's fit, or null (one process).
communicator* world();
void set_world(communicator* w);
// Rank and size, 0 and 1 without a world.
int world_rank();
int world_size();

// Numbers a rank hands on: a list of (pointer, count).
struct values {
  double* data;
  std::size_t count;
};

// Runs fn() on every rank in rank order, each continuing the running values `acc` of the rank
// before it; afterwards every rank holds the last rank's values. Without a world (or when
// `distributed` is false: data every rank holds whole) it is fn().
template <class Fn>
void in_rank_order(bool distributed, std::initializer_list<values> acc, Fn&& fn) {
  communicator* w = distributed ? world() : nullptr;
  if (!w || w->size() == 1) {
    fn();
    return;
  }
  const int r = w->rank(), P = w->size();
  if (r > 0)
    for (const values& v : acc) w->receive(r - 1, v.data, v.count);
  fn();
  if (r + 1 < P)
    for (const values& v : acc) w->send(r + 1, v.data, v.count);
  for (const values& v : acc) w->broadcast(P - 1, v.data, v.count);
}

// The sum over the ranks (in rank order) of a number each rank has, e.g. a count of its rows.
inline double sum_over_ranks(bool distributed, double mine) {
  double sum = 0;
  in_rank_order(distributed, {{&sum, 1}}, [&] { sum += mine; });
  return sum;
}

// Bytes <-> doubles and texts, for the few agreements that are not sums.
std::string pack_texts(const std::vector<std::string>& texts);
std::vector<std::string> unpack_texts(const std::string& bytes);
// Bytes <-> counts (offsets, row counts), likewise.
std::string pack_counts(const std::vector<std::uint64_t>& counts);
std::vector<std::uint64_t> unpack_counts(const std::string& bytes);

// Several files split among P ranks by files: the rank that reads each (files of `sizes` bytes, in
// order): the one whose 1/P of all the bytes holds the file's middle byte. Each rank gets a run of
// consecutive files (or none), so that the ranks' rows in rank order are the files' in order.
std::vector<int> file_owners(const std::vector<std::size_t>& sizes, int P);

}  // namespace logreg::detail
