// logreg: a dispatcher. Exit codes: 0 success, 1 data or runtime error, 2 usage error.

#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli/commands.hpp"
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
    std::cout << "logreg " << logreg::logreg_version() << "\n"
              << "Armadillo " << logreg::armadillo_version() << "\n"
              << "BLAS: " << logreg::blas_description() << "\n";
    return 0;
  }
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

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  logreg::apply_thread_policy();  // first: OpenBLAS's idle workers stop spinning now (threads.cpp)
  logreg::cli::install_signal_policy();  // a signal removes temporary outputs (signals.hpp)
  // glibc's malloc keeps its default, dynamic mmap threshold. A fixed 1 MB threshold (tried) gave
  // nothing back in peak RSS once the fits kept their scratch blocks, and it made every vector of
  // d >= 131,072 doubles an mmap, a page fault per 4 kB and an munmap: 200k x 200k sparse trained
  // in 5.3-6.5 s instead of 3.2-3.6 s.
  try {
    return check_stdout(dispatch(std::vector<std::string>(argv + 1, argv + argc)));
  } catch (const logreg::usage_error& e) {
    std::cerr << "logreg: " << e.what() << "\n";
    return 2;
  } catch (const logreg::data_error& e) {
    std::cerr << "logreg: error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "logreg: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "logreg: error: " << e.what() << "\n";
    return 1;
  }
}
