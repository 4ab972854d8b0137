#include "logreg/versions.hpp"

#include <armadillo>

extern "C" char* openblas_get_config(void);
extern "C" int openblas_get_num_threads(void);

namespace logreg {

std::string logreg_version() { return LOGREG_VERSION; }

std::string armadillo_version() { return arma::arma_version::as_string(); }

std::string blas_description() {
  std::string config = openblas_get_config();
  while (!config.empty() && config.back() == ' ') config.pop_back();
  return config + " (" + std::to_string(openblas_get_num_threads()) + " threads)";
}

}  // namespace logreg
