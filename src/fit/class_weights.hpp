// Row weights from --class-weight and --weight, shared by the CSV and libsvm trainers (defined in
// trainer.cpp).
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

namespace logreg::detail {

// Per row: the class weight of the row's class (from `class_weight`: "", "balanced" or
// "LABEL=W,...") times its sample weight (`sample`, may be empty). Empty when neither applies.
arma::vec row_weights(const std::vector<std::uint32_t>& y, const std::vector<std::string>& classes,
                      const std::vector<double>& counts, const std::string& class_weight, const arma::vec& sample);

// Throws data_error when the weights leave fewer than two classes with a positive total weight
// (split: the rows are this rank's part of a fit split among MPI ranks; the totals are of all).
void require_two_weighted_classes(const std::vector<std::uint32_t>& y, std::size_t K, const arma::vec& weights,
                                  const std::vector<std::string>& classes, bool split = false);

}  // namespace logreg::detail
