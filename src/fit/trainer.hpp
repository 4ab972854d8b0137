// Training from a CSV file to a model: load, choose the classes, standardise, fit, check, convert
// back to the original scale. The CLI's `train` is a thin wrapper around train_from_csv.
#pragma once
#include <string>
#include <vector>

#include "data/column_selection.hpp"
#include "io/csv_reader.hpp"
#include "data/dataset.hpp"
#include "io/data_format.hpp"
#include "io/libsvm_reader.hpp"
#include "logreg/model.hpp"
#include "logreg/progress.hpp"
#include "logreg/settings.hpp"

namespace logreg {

struct train_request {
  std::string data_path;          // "-" for standard input
  std::vector<std::string> data_paths;  // several CSV files read as one (same header), when not empty
  std::string data_display;       // the name in messages when data_path is a copy of the input (empty: data_path)
  data_format format = data_format::csv;  // libsvm: see libsvm_reader.hpp (the flags of columns do not apply)
  csv_dialect dialect;
  column_selection columns;
  std::string positive;           // empty: see choose_positive_class
  fit_settings settings;
  encoding_options encoding;      // categorical columns, missing cells; drop_first is also implied by --penalty none
  bool robust = false;            // inspect shows HC0 (sandwich) standard errors by default
};

struct train_outcome {
  model fitted;
  std::vector<std::string> warnings;  // for people: non-convergence, constant columns, ...
  std::size_t rows = 0, bytes = 0;
  double load_seconds = 0, fit_seconds = 0;
};

// The data of a request, loaded (CSV or libsvm) as train loads them, with the load's warnings (rows
// dropped, suspicious columns) and time; notes go to progress.on_note.
struct loaded_training_data {
  labelled_data data;
  std::vector<std::string> warnings;
  double seconds = 0;
};
loaded_training_data load_for_training(const train_request& request, const progress_callbacks& progress = {});

// Throws data_error for bad data and for data that admit no trustworthy fit (e.g. separation
// without a penalty); usage_error for settings out of range. A libsvm request goes to
// train_from_libsvm.
train_outcome train_from_csv(const train_request& request, const progress_callbacks& progress = {});

// The classes of loaded labelled data as train sees them: binary (the positive-class rule; y 1 =
// positive) or K > 2 sorted classes, the rows per class, and the row weights (class weight x sample
// weight; for one-vs-rest with "balanced" the sample weights only: each binary problem balances
// itself). Throws data_error for one class, too many classes, --positive with K > 2, and weights
// that leave fewer than two classes.
struct labelled_classes {
  std::vector<std::string> classes;
  std::vector<std::uint32_t> y;  // per observation, in [0, K)
  std::vector<double> counts;    // rows per class
  arma::vec weights;             // per observation (empty: 1)
  std::vector<std::string> warnings;  // e.g. labels that differ only in case or surrounding blanks
};
labelled_classes prepare_classes(const labelled_data& data, const train_request& request);

// The fit of train_from_csv once the data are loaded (also the public fit() of matrices): the
// classes, class weights, the fit (fit.hpp) and the model. The data's terms are used up.
train_outcome train_labelled(labelled_data& data, const train_request& request, const progress_callbacks& progress = {});

// Throws usage_error for the options that do not apply to libsvm input: --target, --features,
// --ignore, --weight, --delimiter, and the CSV encoding flags (the input has no columns).
void check_libsvm_request(const train_request& request);

// Sparse data as labelled data (a sparse design; features "1".."d" unless named, target "label").
labelled_data labelled_from_sparse(labelled_sparse_data&& sparse, std::vector<std::string> names);

// The positive class among two labels: `requested` if given (it must be one of them), else 1, true
// or yes (any case) when present, else the larger when both are numbers (-1/+1 gives +1), else the
// second in text order.
std::string choose_positive_class(const std::vector<std::string>& labels, const std::string& requested,
                                  const std::string& target_name);

}  // namespace logreg
