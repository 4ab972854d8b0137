// Labelled training data, loaded from CSV.
//
// Orientation, once for the whole project: X is d x n, one COLUMN per observation (per CSV row).
// A row of the file is then contiguous in memory: parsing writes sequentially, and a block of
// observations is a contiguous column block for BLAS (X_b' w, X_b r, SYRK of X_b).
#pragma once
#include <armadillo>
#include <memory>
#include <cstdint>
#include <string>
#include <vector>

#include "data/column_selection.hpp"
#include "data/design.hpp"
#include "io/csv_reader.hpp"
#include "data/row_encoder.hpp"
#include "logreg/progress.hpp"

namespace logreg {

// How feature cells become numbers (encoding.hpp).
struct encoding_options {
  std::vector<std::string> categorical;  // columns whose values are levels even when they are numbers
  missing_mode missing = missing_mode::error;
  std::vector<std::string> na_values = default_na_values();
  bool drop_first = false;               // categorical: the first level is the reference (no term)
};

struct labelled_data {
  std::string source;
  std::string target_name;
  std::vector<std::string> feature_names;    // the terms (encoding.term_names())
  feature_encoding encoding;                 // input columns -> terms, learnt from this file
  // The terms, d x n (d = number of terms): a file of numbers fills X; a file with categorical
  // columns fills `compact` with a categorical design (its numeric block and one level index per
  // categorical cell, never the indicators), libsvm input with a sparse one; X is empty then.
  arma::mat X;
  std::unique_ptr<design> compact;
  std::string input_format = "csv";          // "libsvm": features are the indices "1".."d", the target "label"
  std::vector<std::string> labels;           // distinct target texts, in order of first appearance
  buffer<std::uint32_t> label_index;         // per observation: index into labels (buffer: cached out of core)
  arma::vec weights;                         // per observation, from column_selection::weight (else empty)
  std::vector<std::string> fold_labels;      // column_selection::fold: its distinct values, first appearance first
  buffer<std::uint32_t> fold_index;          // ... and per observation, an index into them (else empty)
  std::size_t bytes = 0;                     // size of the input read
  std::size_t rows_dropped = 0;              // --missing drop: rows left out for a missing cell ...
  std::string first_dropped;                 // ... and the place of the first such cell
  std::size_t first_dropped_row = 0;         // (the parallel reader's: its record in the range read,
  std::size_t first_dropped_field = 0;       //  and its field in the header)
  std::vector<std::string> warnings;         // e.g. a column read as categorical that looks numeric
  std::vector<std::string> notes;            // e.g. which columns were read as categorical
  // Split among MPI ranks (load_labelled_csv_part): the rows are this rank's chunks of shard.total.
  detail::shard shard;

  arma::uword n_rows() const { return compact ? compact->n_obs() : X.n_cols; }
  // The rows of every rank (split among MPI ranks), else n_rows().
  arma::uword total_rows() const { return shard.active ? static_cast<arma::uword>(shard.total) : n_rows(); }
  // The terms as a dense matrix: X, or the compact design expanded (for tests and small data: it
  // may be many times the size of the file).
  arma::mat dense_terms() const;
  // The terms as a design, moved out (X or `compact`).
  std::unique_ptr<design> take_design();
};

// Reads a headered CSV. Throws data_error naming file, line, column and cause for bad cells,
// unknown column names, an empty file or a header without rows.
// A feature column is categorical when listed in encoding.categorical or when a cell that is
// neither a number nor missing appears in it; each categorical column becomes one term per level.
// Missing cells (empty, or one of encoding.na_values) follow encoding.missing.
// Numeric files without missing cells are parsed by thread_count() threads
// (parallel_csv_loader.hpp) unless allow_parallel is false; the result is the same either way, bit
// for bit. Standard input is copied to a temporary file first (a categorical column found late
// needs a second pass).
labelled_data load_labelled_csv(const std::string& path, const column_selection& columns,
                                csv_dialect dialect = {}, const progress_callbacks& progress = {},
                                bool allow_parallel = true, const encoding_options& encoding = {},
                                const std::string& display = "");  // the input's name in messages, when not path

// One rank's part of CSV files when a fit is split among MPI ranks (base/communicator.hpp: world()
// is set; every rank calls it, at the same time), or, without MPI, several files as one process
// reads them. The files are regular files every rank can read, with the same header. Each rank
// holds a contiguous run of the fixed chunks of all the rows (chunking.hpp; `shard` says which);
// the labels and categorical levels are agreed (first appearance over the whole); with --missing
// drop the kept rows are cut among the ranks again.
// One file under mpirun is cut by bytes at line ends, so that each rank parses only the rows it
// holds; several files under mpirun are split by files (each rank reads whole files, then rows move
// to the ranks that hold them); one process reads several files in order. A file the parallel fast
// paths do not take (a line break inside quotes, a blank line with --missing drop, text after the
// first 10,000 rows of a column, a bad cell) is read whole by one rank with the sequential reader,
// which also names a bad cell by its file and line: the first in file order is every rank's error.
labelled_data load_labelled_csv_part(const std::vector<std::string>& paths, const column_selection& columns,
                                     csv_dialect dialect, const progress_callbacks& progress,
                                     const encoding_options& encoding);

}  // namespace logreg
