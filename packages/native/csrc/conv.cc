#include "conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "pool.h"

namespace nz {
namespace {

thread_local std::vector<float> t_col;

float* col_buffer(size_t n) {
  if (t_col.size() < n) t_col.resize(n);
  return t_col.data();
}

// col[r][(ky*KW+kx)*C + c] = x[iy][ix][c] for output position r (zero outside the image).
void im2col(const ConvShape& s, const float* x, float* col) {
  const int KK = s.KH * s.KW * s.C;
  for (int oy = 0; oy < s.OH; oy++)
    for (int ox = 0; ox < s.OW; ox++) {
      float* row = col + (size_t)(oy * s.OW + ox) * KK;
      for (int ky = 0; ky < s.KH; ky++) {
        int iy = oy * s.SH - s.PT + ky * s.DH;
        for (int kx = 0; kx < s.KW; kx++) {
          int ix = ox * s.SW - s.PL + kx * s.DW;
          float* dst = row + (ky * s.KW + kx) * s.C;
          if (iy < 0 || iy >= s.H || ix < 0 || ix >= s.W) std::memset(dst, 0, s.C * sizeof(float));
          else std::memcpy(dst, x + ((size_t)iy * s.W + ix) * s.C, s.C * sizeof(float));
        }
      }
    }
}

// The adjoint of im2col: dx[iy][ix][c] += col[r][(ky*KW+kx)*C + c].
void col2im(const ConvShape& s, const float* col, float* dx) {
  const int KK = s.KH * s.KW * s.C;
  for (int oy = 0; oy < s.OH; oy++)
    for (int ox = 0; ox < s.OW; ox++) {
      const float* row = col + (size_t)(oy * s.OW + ox) * KK;
      for (int ky = 0; ky < s.KH; ky++) {
        int iy = oy * s.SH - s.PT + ky * s.DH;
        if (iy < 0 || iy >= s.H) continue;
        for (int kx = 0; kx < s.KW; kx++) {
          int ix = ox * s.SW - s.PL + kx * s.DW;
          if (ix < 0 || ix >= s.W) continue;
          const float* src = row + (ky * s.KW + kx) * s.C;
          float* dst = dx + ((size_t)iy * s.W + ix) * s.C;
          for (int c = 0; c < s.C; c++) dst[c] += src[c];
        }
      }
    }
}

// 1x1, stride 1, no padding: the image itself is the column matrix.
bool is_pointwise(const ConvShape& s) {
  return s.KH == 1 && s.KW == 1 && s.SH == 1 && s.SW == 1 && s.PT == 0 && s.PL == 0 && s.OH == s.H && s.OW == s.W;
}

// Runs fn(image, thread) over the batch: one task per image when there are enough to
// keep every thread busy, else images in turn (each GEMM then uses every thread).
template <typename F>
void over_images(int n, F fn, bool& parallel_gemm) {
  parallel_gemm = n < pool_threads();
  if (parallel_gemm) {
    for (int i = 0; i < n; i++) fn(i, 0);
  } else {
    parallel_for(n, [&](int i, int t) { fn(i, t); });
  }
}

}  // namespace

void conv2d(const ConvShape& s, const float* x, const float* w, float* y, const float* bias, int act, float alpha) {
  const int R = s.OH * s.OW, KK = s.KH * s.KW * s.C;
  bool par = false;
  over_images(s.N, [&](int n, int) {
    const float* xi = x + (size_t)n * s.H * s.W * s.C;
    float* yi = y + (size_t)n * R * s.OC;
    const float* col = xi;
    if (!is_pointwise(s)) {
      float* buf = col_buffer((size_t)R * KK);
      im2col(s, xi, buf);
      col = buf;
    }
    Gemm g{R, s.OC, KK, col, KK, false, w, s.OC, false, yi, s.OC, false};
    if (par) gemm_parallel(g); else gemm_serial(g, 0, R, 0, s.OC);
    epilogue(yi, s.OC, 0, R, s.OC, bias, act, alpha);
  }, par);
}

void conv2d_backprop_input(const ConvShape& s, const float* dy, const float* w, float* dx) {
  const int R = s.OH * s.OW, KK = s.KH * s.KW * s.C;
  const size_t img = (size_t)s.H * s.W * s.C;
  bool par = false;
  over_images(s.N, [&](int n, int) {
    const float* dyi = dy + (size_t)n * R * s.OC;
    float* dxi = dx + n * img;
    // dcol = dy_i [R, OC] x W^T [OC, KK]; W is stored [KK, OC].
    bool direct = is_pointwise(s);
    float* dcol = direct ? dxi : col_buffer((size_t)R * KK);
    Gemm g{R, KK, s.OC, dyi, s.OC, false, w, s.OC, true, dcol, KK, false};
    if (par) gemm_parallel(g); else gemm_serial(g, 0, R, 0, KK);
    if (!direct) {
      std::memset(dxi, 0, img * sizeof(float));
      col2im(s, dcol, dxi);
    }
  }, par);
}

void conv2d_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dw) {
  const int R = s.OH * s.OW, KK = s.KH * s.KW * s.C;
  const size_t wsize = (size_t)KK * s.OC;
  const int threads = pool_threads();
  // One partial dW per fixed block of images, summed in block order at the end: blocks
  // never share memory, and the sums do not depend on which thread ran which block (the
  // same seed gives the same weights).
  std::vector<float> partial((size_t)(threads - 1) * wsize, 0.f);
  std::memset(dw, 0, wsize * sizeof(float));
  auto one = [&](int n, float* acc, bool par) {
    const float* xi = x + (size_t)n * s.H * s.W * s.C;
    const float* col = xi;
    if (!is_pointwise(s)) {
      float* buf = col_buffer((size_t)R * KK);
      im2col(s, xi, buf);
      col = buf;
    }
    // dW [KK, OC] += col^T [KK, R] x dy_i [R, OC].
    Gemm g{KK, s.OC, R, col, KK, true, dy + (size_t)n * R * s.OC, s.OC, false, acc, s.OC, true};
    if (par) gemm_parallel(g); else gemm_serial(g, 0, KK, 0, s.OC);
  };
  if (s.N < threads) {
    for (int n = 0; n < s.N; n++) one(n, dw, true);
    return;
  }
  parallel_for(threads, [&](int block, int) {
    float* acc = block == 0 ? dw : partial.data() + (size_t)(block - 1) * wsize;
    for (int n = (int)((long)s.N * block / threads); n < (int)((long)s.N * (block + 1) / threads); n++) one(n, acc, false);
  });
  for (int t = 1; t < threads; t++) {
    const float* p = partial.data() + (size_t)(t - 1) * wsize;
    for (size_t i = 0; i < wsize; i++) dw[i] += p[i];
  }
}

}  // namespace nz
