// The CLI's signal policy (the library sets none): SIGINT, SIGTERM, SIGHUP and SIGPIPE remove the
// temporary output files in progress (base/temp_files.hpp) and then end the process as the signal
// would have (the exit status says which); the previous model or output file stays as it was.
// SIGXFSZ (a file size limit, ulimit -f) is ignored, so that the write fails with EFBIG and the
// command reports it ("File too large"), removes its temporary file and exits 1. A signal that was
// ignored when logreg started (nohup, a background job) stays ignored.
#pragma once

namespace logreg::cli {

void install_signal_policy();

}  // namespace logreg::cli
