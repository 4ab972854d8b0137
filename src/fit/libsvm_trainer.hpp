// Training from libsvm / svmlight input (libsvm_reader.hpp): the data stay sparse from the file
// to the solver (sparse_fit.hpp). The model is an ordinary model whose features are the indices
// "1", "2", ..., "d" (d = the largest index in the file) and whose input_format is "libsvm".
#pragma once
#include "logreg/progress.hpp"
#include "fit/trainer.hpp"
#include "io/libsvm_reader.hpp"

namespace logreg {

// Throws usage_error for the options that do not apply to libsvm input: --target, --features,
// --ignore, --weight, --delimiter (the input has no columns).
void check_libsvm_request(const train_request& request);

// train_from_csv for request.format == libsvm: the positive class, class weights and the fit report
// as for CSV. Throws data_error for bad lines, a single label, and more than two labels (not
// supported yet).
train_outcome train_from_libsvm(const train_request& request, const progress_callbacks& progress = {});

// The fit of train_from_libsvm once the data are loaded (also the public fit() of a sparse matrix).
// names: the features' names (empty: "1", ..., "d").
train_outcome train_sparse_labelled(labelled_sparse_data& data, const train_request& request,
                                    const progress_callbacks& progress = {}, std::vector<std::string> names = {});

}  // namespace logreg
