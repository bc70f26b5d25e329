#include "gemm.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "pool.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace nz {
namespace {

constexpr int MR = 6, NR = 16;
constexpr int KC = 256;   // a KC x NR panel of B (16 KiB) stays in L1
constexpr int MC = 72;    // an MC x KC block of A (72 KiB) stays in L2
constexpr int NC = 1024;  // a KC x NC block of B (1 MiB) is the L2/L3 working set

using Ukr = void (*)(int kc, const float* a, const float* b, float* c, int ldc, bool acc, int mr, int nr);

// Writes a full or partial MR x NR tile from a row-major tmp[MR*NR].
inline void store_tile(const float* tmp, float* c, int ldc, bool acc, int mr, int nr) {
  for (int i = 0; i < mr; i++)
    for (int j = 0; j < nr; j++) c[i * ldc + j] = acc ? c[i * ldc + j] + tmp[i * NR + j] : tmp[i * NR + j];
}

void ukr_scalar(int kc, const float* a, const float* b, float* c, int ldc, bool acc, int mr, int nr) {
  float t[MR * NR] = {0};
  for (int p = 0; p < kc; p++, a += MR, b += NR)
    for (int i = 0; i < MR; i++)
      for (int j = 0; j < NR; j++) t[i * NR + j] += a[i] * b[j];
  store_tile(t, c, ldc, acc, mr, nr);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) void ukr_avx2(int kc, const float* a, const float* b, float* c, int ldc, bool acc,
                                                    int mr, int nr) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int p = 0; p < kc; p++, a += MR, b += NR) {
    __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8), x;
    x = _mm256_broadcast_ss(a + 0); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a + 1); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a + 2); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a + 3); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a + 4); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a + 5); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
  }
  __m256 r[12] = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51};
  if (mr == MR && nr == NR) {
    for (int i = 0; i < MR; i++) {
      float* ci = c + i * ldc;
      __m256 v0 = r[2 * i], v1 = r[2 * i + 1];
      if (acc) {
        v0 = _mm256_add_ps(v0, _mm256_loadu_ps(ci));
        v1 = _mm256_add_ps(v1, _mm256_loadu_ps(ci + 8));
      }
      _mm256_storeu_ps(ci, v0);
      _mm256_storeu_ps(ci + 8, v1);
    }
    return;
  }
  alignas(32) float t[MR * NR];
  for (int i = 0; i < MR; i++) {
    _mm256_store_ps(t + i * NR, r[2 * i]);
    _mm256_store_ps(t + i * NR + 8, r[2 * i + 1]);
  }
  store_tile(t, c, ldc, acc, mr, nr);
}
#endif

Ukr pick_ukr() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return ukr_avx2;
#endif
  return ukr_scalar;
}
const Ukr g_ukr = pick_ukr();

// Packs a kc x n block of a matrix into R-wide panels, k-major, zero-padded. Element (p, q) of
// the block is m[(p0 + p) * ld + q0 + q] when `kMajor` (rows of the panel are contiguous: copied
// whole), else m[(q0 + q) * ld + p0 + p]. op(A) is k-major when A is transposed, op(B) when B is not.
template <int R>
void pack_panels(const float* m, int ld, bool kMajor, int q0, int n, int p0, int kc, float* out) {
  for (int qp = 0; qp < n; qp += R) {
    int r = std::min(R, n - qp);
    float* o = out + (size_t)qp * kc;
    if (kMajor) {
      for (int p = 0; p < kc; p++) {
        const float* src = m + (size_t)(p0 + p) * ld + q0 + qp;
        float* op = o + p * R;
        if (r == R) {
          std::memcpy(op, src, R * sizeof(float));
        } else {
          int q = 0;
          for (; q < r; q++) op[q] = src[q];
          for (; q < R; q++) op[q] = 0.f;
        }
      }
    } else {
      for (int q = 0; q < R; q++) {
        if (q >= r) {
          for (int p = 0; p < kc; p++) o[p * R + q] = 0.f;
          continue;
        }
        const float* src = m + (size_t)(q0 + qp + q) * ld + p0;
        for (int p = 0; p < kc; p++) o[p * R + q] = src[p];
      }
    }
  }
}

// Packs rows [i0,i0+mc) x cols [p0,p0+kc) of op(A) into MR-row panels.
void pack_a(const Gemm& g, int i0, int mc, int p0, int kc, float* out) {
  pack_panels<MR>(g.A, g.lda, g.transA, i0, mc, p0, kc, out);
}

// Packs rows [p0,p0+kc) x cols [j0,j0+nc) of op(B) into NR-column panels.
void pack_b(const Gemm& g, int p0, int kc, int j0, int nc, float* out) {
  pack_panels<NR>(g.B, g.ldb, !g.transB, j0, nc, p0, kc, out);
}

// Per-thread packing buffers, 64-byte aligned for the aligned loads of the micro-kernel.
struct Buffers {
  std::vector<float> a, b;
  float* pa() { return align(a, (size_t)MC * KC); }
  float* pb() { return align(b, (size_t)KC * (NC + NR)); }
  static float* align(std::vector<float>& v, size_t n) {
    if (v.size() < n + 16) v.resize(n + 16);
    auto p = reinterpret_cast<uintptr_t>(v.data());
    return reinterpret_cast<float*>((p + 63) & ~uintptr_t(63));
  }
};
thread_local Buffers t_buf;

}  // namespace

const char* gemm_kernel_name() {
#if defined(__x86_64__)
  return g_ukr == ukr_avx2 ? "avx2-fma" : "scalar";
#else
  return "scalar";
#endif
}

void gemm_serial(const Gemm& g, int m0, int m1, int n0, int n1) {
  if (m1 <= m0 || n1 <= n0) return;
  if (g.K == 0) {
    if (!g.accumulate)
      for (int i = m0; i < m1; i++) std::fill(g.C + (size_t)i * g.ldc + n0, g.C + (size_t)i * g.ldc + n1, 0.f);
    return;
  }
  float* pa = t_buf.pa();
  float* pb = t_buf.pb();
  for (int jc = n0; jc < n1; jc += NC) {
    int nc = std::min(NC, n1 - jc);
    for (int pc = 0; pc < g.K; pc += KC) {
      int kc = std::min(KC, g.K - pc);
      bool acc = g.accumulate || pc > 0;
      pack_b(g, pc, kc, jc, nc, pb);
      for (int ic = m0; ic < m1; ic += MC) {
        int mc = std::min(MC, m1 - ic);
        pack_a(g, ic, mc, pc, kc, pa);
        for (int jr = 0; jr < nc; jr += NR)
          for (int ir = 0; ir < mc; ir += MR)
            g_ukr(kc, pa + (size_t)ir * kc, pb + (size_t)jr * kc, g.C + (size_t)(ic + ir) * g.ldc + jc + jr, g.ldc, acc,
                  std::min(MR, mc - ir), std::min(NR, nc - jr));
      }
    }
  }
}

void gemm_parallel(const Gemm& g) {
  const int threads = pool_threads();
  const double macs = (double)g.M * g.N * g.K;
  if (threads == 1 || macs < 64 * 1024) return gemm_serial(g, 0, g.M, 0, g.N);
  // Split the larger side in micro-tile multiples; 2 tasks per thread evens out a busy core.
  const bool split_m = (g.M / MR) >= (g.N / NR);
  const int units = split_m ? (g.M + MR - 1) / MR : (g.N + NR - 1) / NR;
  const int tasks = std::max(1, std::min(units, macs < 4e6 ? threads : 2 * threads));
  parallel_for(tasks, [&](int t, int) {
    int u0 = (int)((long)units * t / tasks), u1 = (int)((long)units * (t + 1) / tasks);
    if (split_m) gemm_serial(g, u0 * MR, std::min(g.M, u1 * MR), 0, g.N);
    else gemm_serial(g, 0, g.M, u0 * NR, std::min(g.N, u1 * NR));
  });
}

void epilogue(float* C, int ldc, int m0, int m1, int N, const float* bias, int act, float alpha) {
  if (!bias && act == ACT_LINEAR) return;
  for (int i = m0; i < m1; i++) {
    float* c = C + (size_t)i * ldc;
    if (bias) for (int j = 0; j < N; j++) c[j] += bias[j];
    switch (act) {
      case ACT_RELU: for (int j = 0; j < N; j++) c[j] = c[j] > 0.f ? c[j] : 0.f; break;
      case ACT_RELU6: for (int j = 0; j < N; j++) c[j] = std::min(std::max(c[j], 0.f), 6.f); break;
      case ACT_SIGMOID: for (int j = 0; j < N; j++) c[j] = 1.f / (1.f + std::exp(-c[j])); break;
      case ACT_ELU: for (int j = 0; j < N; j++) c[j] = c[j] > 0.f ? c[j] : std::expm1(c[j]); break;
      case ACT_LEAKY: for (int j = 0; j < N; j++) c[j] = c[j] > 0.f ? c[j] : alpha * c[j]; break;
      case ACT_TANH: for (int j = 0; j < N; j++) c[j] = std::tanh(c[j]); break;
      default: break;
    }
  }
}

}  // namespace nz
