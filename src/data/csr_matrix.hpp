// Sparse data, one row per observation: what the libsvm reader produces and sparse_design reads.
// (The n x d file in compressed rows is X, d x n, in compressed columns: logreg's orientation.)
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/buffer.hpp"

namespace logreg {

// n_rows observations x n_cols features; row i's non-zeros are col/val[row_ptr[i], row_ptr[i + 1]),
// with increasing 0-based column indices.
struct csr_matrix {
  std::size_t n_rows = 0, n_cols = 0;
  buffer<std::size_t> row_ptr{0};  // buffer: in the cache file out of core (cache_memory.hpp)
  buffer<std::uint32_t> col;
  buffer<double> val;
  std::size_t nnz() const { return col.size(); }
};

}  // namespace logreg
