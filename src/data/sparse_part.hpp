// libsvm input split among MPI ranks, or several libsvm files read as one: one file is cut by bytes
// (each rank reads the lines of a nominal 1/P of them), several files by files (each rank reads
// whole files: detail::file_owners), and the rows are then cut among the ranks at the fixed chunks
// of the sparse design (sparse_design::chunks_of, which depend on the whole data's rows, non-zeros
// and largest index), so that every sum runs as the one-process sums of the files' concatenation do
// (docs/scale-out.md). Without MPI (several files), one rank.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "base/chunking.hpp"
#include "io/libsvm_reader.hpp"

namespace logreg {

struct libsvm_part {
  labelled_sparse_data data;  // this rank's rows; the labels (and n_cols) of the whole file
  detail::shard shard;        // which rows of the whole they are
  std::size_t total_nnz = 0;  // the whole file's non-zeros
  std::size_t total_bytes = 0;
};

// Every rank of detail::world() (when there is one) calls it at the same time. A bad line anywhere
// stops every rank with the one-process message naming its file and line (several files: the first
// in file order, from the rank that read it; one file: rank 0 reads it as one process does); too
// few rows for the ranks is a usage_error.
libsvm_part load_labelled_libsvm_part(const std::vector<std::string>& paths, const progress_callbacks& progress);

}  // namespace logreg
