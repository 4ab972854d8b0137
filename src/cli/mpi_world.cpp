#include "cli/mpi_world.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "base/communicator.hpp"

#ifdef LOGREG_MPI
#include <mpi.h>
#endif

namespace logreg::cli {

int launched_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_NTASKS"}) {
    // SLURM_NTASKS is set for the whole job step, also for a program started without srun: only
    // with a rank variable of the launcher alongside does it mean ranks.
    if (std::strcmp(name, "SLURM_NTASKS") == 0 && !std::getenv("SLURM_PROCID")) continue;
    if (const char* v = std::getenv(name)) return std::max(1, static_cast<int>(std::strtol(v, nullptr, 10)));
  }
  return 1;
}

#ifdef LOGREG_MPI

namespace {

bool started = false;
int real_stderr = -1;

class mpi_communicator final : public detail::communicator {
 public:
  mpi_communicator() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::vector<std::string> allgather(const std::string& mine) override {
    const long long len = static_cast<long long>(mine.size());
    std::vector<long long> lens(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&len, 1, MPI_LONG_LONG, lens.data(), 1, MPI_LONG_LONG, MPI_COMM_WORLD));
    std::vector<std::string> out(static_cast<std::size_t>(size_));
    // One broadcast per rank: messages of any size (MPI counts are ints).
    for (int r = 0; r < size_; ++r) {
      std::string& s = out[static_cast<std::size_t>(r)];
      s = r == rank_ ? mine : std::string(static_cast<std::size_t>(lens[static_cast<std::size_t>(r)]), '\0');
      bytes(r, s.data(), s.size());
    }
    return out;
  }
  void send(int to, const double* values, std::size_t count) override {
    for (std::size_t at = 0; at < count; at += piece)
      check(MPI_Send(values + at, static_cast<int>(std::min(piece, count - at)), MPI_DOUBLE, to, 0, MPI_COMM_WORLD));
  }
  void receive(int from, double* values, std::size_t count) override {
    for (std::size_t at = 0; at < count; at += piece)
      check(MPI_Recv(values + at, static_cast<int>(std::min(piece, count - at)), MPI_DOUBLE, from, 0, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE));
  }
  void broadcast(int root, double* values, std::size_t count) override {
    for (std::size_t at = 0; at < count; at += piece)
      check(MPI_Bcast(values + at, static_cast<int>(std::min(piece, count - at)), MPI_DOUBLE, root, MPI_COMM_WORLD));
  }
  void broadcast(int root, std::string& s) override {
    long long len = static_cast<long long>(s.size());
    check(MPI_Bcast(&len, 1, MPI_LONG_LONG, root, MPI_COMM_WORLD));
    s.resize(static_cast<std::size_t>(len));
    bytes(root, s.data(), s.size());
  }
  bool any(bool flag) override {
    int mine = flag ? 1 : 0, all = 0;
    check(MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD));
    return all != 0;
  }

 private:
  static constexpr std::size_t piece = std::size_t{1} << 27;  // per MPI call: below INT_MAX elements
  int rank_ = 0, size_ = 1;
  static void check(int rc) {
    if (rc != MPI_SUCCESS) fail_alone("logreg: error: MPI call failed (error " + std::to_string(rc) + ")", 1);
  }
  static void bytes(int root, char* p, std::size_t n) {
    for (std::size_t at = 0; at < n; at += piece)
      check(MPI_Bcast(p + at, static_cast<int>(std::min(piece, n - at)), MPI_BYTE, root, MPI_COMM_WORLD));
  }
};

mpi_communicator* the_communicator = nullptr;

}  // namespace

std::string mpi_description() {
  char library[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int len = 0;
  MPI_Get_library_version(library, &len);
  std::string text(library, static_cast<std::size_t>(len));
  const std::size_t comma = text.find(',');  // "Open MPI v4.1.4, package: ..."
  if (comma != std::string::npos) text.resize(comma);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text + " (MPI " + std::to_string(MPI_VERSION) + "." + std::to_string(MPI_SUBVERSION) + ")";
}

bool start_mpi(int& argc, char**& argv) {
  if (launched_ranks() <= 1) return false;
  int provided = 0;
  // Only the main thread calls MPI (the parallel passes end before their sums are handed on).
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    std::cerr << "logreg: error: MPI_Init failed\n";
    std::exit(1);
  }
  started = true;
  the_communicator = new mpi_communicator();
  if (the_communicator->size() == 1) return true;  // the launcher's variables without its ranks: one process
  detail::set_world(the_communicator);
  if (the_communicator->rank() != 0) {  // rank 0 speaks for all
    real_stderr = ::dup(2);
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::close(null);
    }
  }
  return true;
}

void finish_mpi() {
  if (!started) return;
  detail::set_world(nullptr);
  MPI_Finalize();
  started = false;
}

bool mpi_started() { return started; }

bool all_ranks_failed() {
  MPI_Request request;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &request) != MPI_SUCCESS) return false;
  for (int waited = 0; waited < 10000; ++waited) {  // 10 s, by the millisecond
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return true;
    ::usleep(1000);
  }
  return false;
}

void fail_alone(const std::string& message, int code) {
  const std::string line = message + "\n";
  const int fd = real_stderr >= 0 ? real_stderr : 2;
  if (::write(fd, line.data(), line.size()) < 0) {
  }
  if (started) MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

#else  // built without MPI

std::string mpi_description() { return ""; }
bool start_mpi(int&, char**&) { return false; }
void finish_mpi() {}
bool mpi_started() { return false; }
bool all_ranks_failed() { return true; }
void fail_alone(const std::string& message, int code) {
  std::cerr << message << "\n";
  std::_Exit(code);
}

#endif

}  // namespace logreg::cli
