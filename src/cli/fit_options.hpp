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

// --memory-limit SIZE (bytes: 512M, 4G, ...; usage_error below 1M or unreadable).
std::size_t parse_size(const std::string& flag_name, const std::string& text);
// Out of core (base/cache_memory.hpp): on with --memory-limit (--cache-dir: where), or when the
// data would not fit in the memory available, which it says; never with --memory-limit off. Call
// before the load.
void start_out_of_core(const parsed_args& a, const train_request& req, const reporter& out);
// With --verbose: the peak resident memory, the cache's size and how often its pages were dropped.
void report_out_of_core(const reporter& out);

}  // namespace logreg::cli
