// Single-precision GEMM: C = op(A) * op(B) (+ C), row-major, with a fused epilogue
// (bias along columns, then an activation). Blocked and packed (BLIS-style loops) with
// an AVX2/FMA 6x16 micro-kernel chosen at run time, and a portable one otherwise.
#pragma once

namespace nz {

enum Act { ACT_LINEAR = 0, ACT_RELU = 1, ACT_RELU6 = 2, ACT_SIGMOID = 3, ACT_ELU = 4, ACT_LEAKY = 5, ACT_TANH = 6 };

struct Gemm {
  int M, N, K;
  const float* A; int lda; bool transA;  // A(i,k) = transA ? A[k*lda+i] : A[i*lda+k]
  const float* B; int ldb; bool transB;  // B(k,j) = transB ? B[j*ldb+k] : B[k*ldb+j]
  float* C; int ldc;
  bool accumulate;                        // C += product instead of C = product
};

// One GEMM of rows [m0,m1) and columns [n0,n1) on the calling thread.
void gemm_serial(const Gemm& g, int m0, int m1, int n0, int n1);
// Whole GEMM, split over the pool's threads when it is big enough to pay off.
void gemm_parallel(const Gemm& g);
// bias (length N, may be null) then activation over rows [m0,m1) of C.
void epilogue(float* C, int ldc, int m0, int m1, int N, const float* bias, int act, float alpha);
// Name of the micro-kernel in use ("avx2-fma" or "scalar").
const char* gemm_kernel_name();

}  // namespace nz
