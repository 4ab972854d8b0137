// logreg: a dispatcher. Exit codes: 0 success, 1 data or runtime error, 2 usage error.

#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "base/communicator.hpp"
#include "cli/commands.hpp"
#include "cli/mpi_world.hpp"
#include "cli/signals.hpp"
#include "logreg/error.hpp"
#include "base/spelling.hpp"
#include "logreg/threads.hpp"
#include "logreg/versions.hpp"

namespace {

void print_usage(std::ostream& out) {
  out << "usage: logreg COMMAND [DATA] [options]\n\n"
         "Logistic regression on CSV data.\n\ncommands:\n";
  for (const auto& c : logreg::cli::commands) {
    std::string name = c.name;
    name.resize(10, ' ');
    out << "  " << name << c.summary << "\n";
  }
  out << "  help      show this help, or 'logreg help COMMAND' for one command\n"
         "\n'logreg COMMAND --help' shows a command's options; 'logreg --version' the library versions.\n"
         "Exit status: 0 success, 1 data or runtime error, 2 usage error.\n";
}

int dispatch(const std::vector<std::string>& argv) {
  using namespace logreg::cli;
  if (argv.empty()) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string& name = argv[0];
  if (name == "--version" || name == "version") {
    logreg::apply_thread_policy();  // OpenBLAS single-threaded before reporting it
    const std::string mpi = logreg::cli::mpi_description();
    std::cout << "logreg " << logreg::logreg_version() << "\n"
              << "Armadillo " << logreg::armadillo_version() << "\n"
              << "BLAS: " << logreg::blas_description() << "\n"
              << "MPI: " << (mpi.empty() ? "not built (one process only; see docs/scale-out.md)" : mpi) << "\n";
    return 0;
  }
  if (logreg::detail::world_size() > 1 && name != "train" && name != "help" && name != "--help" && name != "-h")
    throw logreg::usage_error(
        "'" + name + "' does not run under mpirun (started as one of " + std::to_string(logreg::detail::world_size()) +
        " ranks): only 'train' splits its work among ranks. Run '" + name +
        "' without mpirun; to share predictions among processes, cut the input with 'logreg split' or by files "
        "(docs/scale-out.md)");
  if (name == "help" || name == "--help" || name == "-h") {
    if (argv.size() > 1) {
      for (const auto& c : commands)
        if (argv[1] == c.name) return c.run({"--help"});
      return dispatch({argv[1]});  // the unknown-command message
    }
    print_usage(std::cout);
    return 0;
  }
  const std::vector<std::string> rest(argv.begin() + 1, argv.end());
  for (const auto& c : commands)
    if (name == c.name) return c.run(rest);
  std::vector<std::string> names{"help"};
  for (const auto& c : commands) names.push_back(c.name);
  std::string msg = "logreg: unknown command '" + name + "'";
  const std::string near = logreg::nearest_name(name, names);
  if (!near.empty()) msg += " (did you mean '" + near + "'?)";
  std::cerr << msg << "; run 'logreg help' for the list of commands\n";
  return 2;
}

}  // namespace

// Data written to stdout must arrive: a full disk or a closed pipe is an error, not a success.
static int check_stdout(int code) {
  std::cout.flush();
  if (code == 0 && (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout))) {
    std::cerr << "logreg: error: cannot write to standard output\n";
    return 1;
  }
  return code;
}

// The exit code, after MPI ends (when it runs): every rank reaches here, or a failure of one rank
// alone ends them all (agree_on_failure).
static int finish(int code) {
  logreg::cli::finish_mpi();
  return code;
}

// Under MPI, an error that every rank meets (a bad cell: the loader agrees on it; anything in the
// fit, which every rank computes alike) ends every rank normally, with rank 0's message. One that
// only this rank meets (its disk, its memory) would leave the others waiting in the next
// collective: when the others do not report a failure within a few seconds, this rank prints its
// message and aborts them all.
static int failed(const std::string& message, int code) {
  if (logreg::cli::mpi_started() && !logreg::cli::all_ranks_failed()) logreg::cli::fail_alone(message, code);
  std::cerr << message << "\n";
  return finish(code);
}

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  logreg::cli::start_mpi(argc, argv);  // only under mpirun with several ranks (mpi_world.hpp)
  logreg::apply_thread_policy();  // first: OpenBLAS's idle workers stop spinning now (threads.cpp)
  logreg::cli::install_signal_policy();  // a signal removes temporary outputs (signals.hpp)
  // glibc's malloc keeps its default, dynamic mmap threshold. A fixed 1 MB threshold (tried) gave
  // nothing back in peak RSS once the fits kept their scratch blocks, and it made every vector of
  // d >= 131,072 doubles an mmap, a page fault per 4 kB and an munmap: 200k x 200k sparse trained
  // in 5.3-6.5 s instead of 3.2-3.6 s.
  try {
    return finish(check_stdout(dispatch(std::vector<std::string>(argv + 1, argv + argc))));
  } catch (const logreg::usage_error& e) {
    return failed(std::string("logreg: ") + e.what(), 2);
  } catch (const logreg::data_error& e) {
    return failed(std::string("logreg: error: ") + e.what(), 1);
  } catch (const std::bad_alloc&) {
    return failed("logreg: error: out of memory", 1);
  } catch (const std::exception& e) {
    return failed(std::string("logreg: error: ") + e.what(), 1);
  }
}
