// Versions of logreg and of the numerical libraries it runs on, for `logreg --version`.
#pragma once
#include <string>

namespace logreg {

std::string logreg_version();
std::string armadillo_version();
std::string blas_description();  // e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... (2 threads)"

}  // namespace logreg
