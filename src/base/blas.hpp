// The few BLAS calls made directly (Armadillo covers the rest). OpenBLAS is linked directly.
#pragma once
#include <cstddef>

extern "C" {
void dsyrk_(const char* uplo, const char* trans, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* beta, double* c, const int* ldc,
            std::size_t uplo_len, std::size_t trans_len);
void dgemv_(const char* trans, const int* m, const int* n, const double* alpha, const double* a,
            const int* lda, const double* x, const int* incx, const double* beta, double* y,
            const int* incy, std::size_t trans_len);
}

namespace logreg::blas {

// C (n x n, lower triangle) += A A' for A n x k, column-major with leading dimension lda.
inline void syrk_lower_add(int n, int k, const double* A, int lda, double* C, int ldc) {
  const double one = 1.0;
  dsyrk_("L", "N", &n, &k, &one, A, &lda, &one, C, &ldc, 1, 1);
}

// C (n x n, lower triangle) += A' A for A k x n, column-major with leading dimension lda.
inline void syrk_lower_add_t(int n, int k, const double* A, int lda, double* C, int ldc) {
  const double one = 1.0;
  dsyrk_("L", "T", &n, &k, &one, A, &lda, &one, C, &ldc, 1, 1);
}

// C (n x n, lower triangle) += alpha A A'.
inline void syrk_lower_add(int n, int k, double alpha, const double* A, int lda, double* C, int ldc) {
  const double one = 1.0;
  dsyrk_("L", "N", &n, &k, &alpha, A, &lda, &one, C, &ldc, 1, 1);
}

// y = alpha * op(A) x + beta * y, A m x n column-major.
inline void gemv(bool transpose, int m, int n, double alpha, const double* A, int lda, const double* x,
                 double beta, double* y) {
  const int inc = 1;
  dgemv_(transpose ? "T" : "N", &m, &n, &alpha, A, &lda, x, &inc, &beta, y, &inc, 1);
}

}  // namespace logreg::blas
