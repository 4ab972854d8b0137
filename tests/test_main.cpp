// The unit tests run under the command line's thread policy (OpenBLAS on one thread), so that their
// results are those of the tool, bit for bit.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest.h>

#include "logreg/threads.hpp"

int main(int argc, char** argv) {
  logreg::apply_thread_policy();
  doctest::Context context(argc, argv);
  return context.run();
}
