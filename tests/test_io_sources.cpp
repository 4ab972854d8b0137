// Input read once (spooled_input) and temporary outputs removed on a signal (temp_file_guard).
#include <doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <memory>
#include <thread>
#include <vector>

#include "base/temp_files.hpp"
#include "io/spooled_input.hpp"
#include "logreg/error.hpp"

using namespace logreg;

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
std::string scratch(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/logreg-test-" + std::to_string(::getpid()) + "-" + name;
}
bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}
}  // namespace

TEST_CASE("spooled_input: a regular file is used in place, a FIFO is copied once and readable twice") {
  const std::string file = scratch("plain.csv");
  { std::ofstream(file) << "a,b\n1,2\n"; }
  {
    const detail::spooled_input in(file);
    CHECK_FALSE(in.spooled());
    CHECK(in.path() == file);
    CHECK(in.display() == file);
  }
  CHECK_FALSE(detail::needs_spooling(file));
  CHECK_FALSE(detail::needs_spooling(scratch("missing.csv")));  // the reader says it is missing
  CHECK(detail::needs_spooling("-"));
  CHECK(detail::needs_spooling(""));
  CHECK(detail::needs_spooling("/dev/null"));

  const std::string fifo = scratch("in.fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string big;
  for (int i = 0; i < 200000; ++i) big += std::to_string(i) + "," + std::to_string(i % 7) + "\n";  // > 1 MB: several reads
  std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << "x,y\n" << big; });
  {
    const detail::spooled_input in(fifo);
    writer.join();
    CHECK(in.spooled());
    CHECK(in.display() == fifo);
    CHECK(in.path().rfind("/proc/self/fd/", 0) == 0);
    CHECK(slurp(in.path()) == "x,y\n" + big);
    CHECK(slurp(in.path()) == "x,y\n" + big);  // again: a copy, not the FIFO
  }
  std::remove(fifo.c_str());
  std::remove(file.c_str());
}

TEST_CASE("spooled_input: a copy that cannot be made names the directory") {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", "/nonexistent-logreg-dir", 1);
  CHECK_THROWS_WITH_AS(detail::spooled_input("/dev/null"),
                       "/dev/null: cannot create a temporary file in /nonexistent-logreg-dir to hold the input: "
                       "No such file or directory (set TMPDIR to another directory)",
                       data_error);
  if (old) ::setenv("TMPDIR", saved.c_str(), 1);
  else ::unsetenv("TMPDIR");
}

TEST_CASE("temp_file_guard: remove_temp_files removes what is tracked, and only that") {
  const std::string a = scratch("a.tmp"), b = scratch("b.tmp"), c = scratch("c.tmp");
  for (const std::string& p : {a, b, c}) std::ofstream(p) << "x";
  {
    detail::temp_file_guard ga(a), gb(b);
    gb.release();  // renamed into place, say: no longer the handler's business
    detail::remove_temp_files();
    CHECK_FALSE(exists(a));
    CHECK(exists(b));
    CHECK(exists(c));
  }
  // Destroyed guards no longer track anything.
  std::ofstream(a) << "x";
  detail::remove_temp_files();
  CHECK(exists(a));
  // More guards than slots: the first 64 are tracked, the rest silently not (never a crash).
  {
    std::vector<std::unique_ptr<detail::temp_file_guard>> many;
    for (int i = 0; i < 70; ++i) many.push_back(std::make_unique<detail::temp_file_guard>(scratch("none-" + std::to_string(i))));
    detail::temp_file_guard last(a);  // no slot left
    detail::remove_temp_files();
    CHECK(exists(a));
  }
  detail::temp_file_guard again(a);  // slots free again
  detail::remove_temp_files();
  CHECK_FALSE(exists(a));
  for (const std::string& p : {b, c}) std::remove(p.c_str());
}
