// MPI for the command line (docs/scale-out.md): when logreg was built with Open MPI (CMake finds
// it; scripts/install-deps installs it) and runs as one of several ranks (mpirun, srun), MPI is
// started and installed as the core's communicator (base/communicator.hpp). Without MPI, or run on
// its own, nothing here does anything.
#pragma once
#include <string>

namespace logreg::cli {

// "Open MPI 4.1.4 (MPI 3.1)" when built with MPI, else "" (logreg --version).
std::string mpi_description();
// The ranks this process was started among, from the launcher's environment (1 without one).
int launched_ranks();
// Starts MPI when launched_ranks() > 1 and logreg was built with it; true then. Ranks other than
// 0 write nothing to stdout or stderr from then on, but for a failure of their own (fail_alone).
bool start_mpi(int& argc, char**& argv);
// Ends MPI (every rank calls it once, at the end).
void finish_mpi();
// After an exception: true when every rank reports one within a few seconds (an error they all
// meet), false when this rank is alone with it. Only under MPI.
bool all_ranks_failed();
// A failure only this rank has (the others may wait in a collective for it): `message` (the whole
// line) on the real stderr, then every rank ends with `code`.
[[noreturn]] void fail_alone(const std::string& message, int code);
bool mpi_started();

}  // namespace logreg::cli
