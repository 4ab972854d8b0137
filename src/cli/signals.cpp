#include "cli/signals.hpp"

#include <signal.h>

#include "base/temp_files.hpp"

namespace logreg::cli {

namespace {

extern "C" void on_fatal_signal(int sig) {
  logreg::detail::remove_temp_files();
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // delivered when the handler returns: the process ends by this signal
}

void clean_up_on(int sig) {
  struct sigaction previous {};
  if (::sigaction(sig, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) return;
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaddset(&action.sa_mask, s);
  ::sigaction(sig, &action, nullptr);
}

}  // namespace

void install_signal_policy() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) clean_up_on(sig);
  ::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace logreg::cli
