// The flags `train` and `cv` share (every setting of a fit, the columns, the encoding, the input),
// and the train_request they make.
#pragma once
#include <vector>

#include "cli/cli_support.hpp"
#include "fit/trainer.hpp"

namespace logreg::cli {

// Every train flag but -m (which each command describes itself).
std::vector<flag> fit_flags();

// The request from parsed flags (DATA included); threads: --threads (0: one per core). Throws
// usage_error for values out of range and flags that contradict each other.
train_request fit_request(const parsed_args& a, int& threads);

}  // namespace logreg::cli
