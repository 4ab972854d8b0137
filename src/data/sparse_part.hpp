// libsvm input split among MPI ranks: each rank reads a byte range of the file, and the rows are
// then cut among the ranks at the fixed chunks of the sparse design (sparse_design::chunks_of, which
// depend on the whole file's rows, non-zeros and largest index), so that every sum runs as the
// one-process sums do (docs/scale-out.md).
#pragma once
#include <cstddef>
#include <string>

#include "base/chunking.hpp"
#include "io/libsvm_reader.hpp"

namespace logreg {

struct libsvm_part {
  labelled_sparse_data data;  // this rank's rows; the labels (and n_cols) of the whole file
  detail::shard shard;        // which rows of the whole they are
  std::size_t total_nnz = 0;  // the whole file's non-zeros
  std::size_t total_bytes = 0;
};

// Every rank of detail::world() calls it at the same time. A bad line anywhere stops every rank
// with the one-process message (rank 0 reads the file as one process does); too few rows for the
// ranks is a usage_error.
libsvm_part load_labelled_libsvm_part(const std::string& path, const progress_callbacks& progress);

}  // namespace logreg
