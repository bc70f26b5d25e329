#include "reduce.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "fastmath.h"
#include "napi_util.h"
#include "pool.h"

namespace nz {
namespace {

enum How { SUM, MEAN, MAX };

#define NZ_CLONES __attribute__((target_clones("avx2", "default")))

struct Arrays {
  std::vector<float*> f;
  const int32_t* dims = nullptr;
  size_t ndims = 0;
  bool ok = true;
};

// Reads `nf` Float32Arrays, then one Int32Array of dims, starting at argument `first`.
Arrays read(napi_env env, napi_value* v, int first, int nf) {
  Arrays a;
  for (int k = 0; k < nf; k++) {
    a.f.push_back(f32(env, v[first + k]));
    a.ok = a.ok && a.f.back() != nullptr;
  }
  a.dims = i32s(env, v[first + nf], &a.ndims);
  a.ok = a.ok && a.dims != nullptr;
  return a;
}

// x viewed as [outer, r, inner]; out [outer, inner]. Accumulates in double, like the TS path.
NZ_CLONES void reduce_block(int how, const float* x, float* out, int64_t o0, int64_t o1, int64_t r, int64_t inner, int64_t j0, int64_t j1) {
  std::vector<double> acc(j1 - j0);
  for (int64_t o = o0; o < o1; o++) {
    std::fill(acc.begin(), acc.end(), how == MAX ? -INFINITY : 0.0);
    for (int64_t k = 0; k < r; k++) {
      const float* row = x + (o * r + k) * inner + j0;
      if (how == MAX) {
        for (int64_t j = 0; j < j1 - j0; j++) {
          const double v = row[j];
          acc[j] = (v > acc[j] || v != v) ? v : acc[j];
        }
      } else {
        for (int64_t j = 0; j < j1 - j0; j++) acc[j] += row[j];
      }
    }
    const double scale = how == MEAN ? 1.0 / (double)r : 1.0;
    for (int64_t j = 0; j < j1 - j0; j++) out[o * inner + j0 + j] = (float)(acc[j] * scale);
  }
}

NZ_CLONES void row_reduce(int how, const float* x, float* out, int64_t o0, int64_t o1, int64_t r) {
  for (int64_t o = o0; o < o1; o++) {
    const float* row = x + o * r;
    if (how == MAX) {
      float m = -INFINITY;
      bool nan = false;
      for (int64_t k = 0; k < r; k++) {
        m = row[k] > m ? row[k] : m;
        nan = nan || row[k] != row[k];
      }
      out[o] = nan ? NAN : m;
    } else {
      double s = 0;
      for (int64_t k = 0; k < r; k++) s += row[k];
      out[o] = (float)(how == MEAN ? s / (double)r : s);
    }
  }
}

// reduce(how, x, out, dims[outer, r, inner])
napi_value Reduce(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value v[4];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  const int32_t how = i32(env, v[0]);
  Arrays a = read(env, v, 1, 2);
  if (!a.ok || a.ndims != 3 || how < SUM || how > MAX) {
    napi_throw_type_error(env, nullptr, "neurozoo native reduce: expected a mode, two Float32Arrays and [outer, r, inner]");
    return nullptr;
  }
  const float* x = a.f[0];
  float* out = a.f[1];
  const int64_t outer = a.dims[0], r = a.dims[1], inner = a.dims[2];
  const int64_t work = outer * r * inner;
  const int threads = work < (1 << 16) ? 1 : pool_threads();
  if (inner == 1) {
    const int64_t per = (outer + threads - 1) / threads;
    parallel_for(threads, [&](int t, int) {
      const int64_t o0 = t * per, o1 = std::min(outer, o0 + per);
      if (o0 < o1) row_reduce(how, x, out, o0, o1, r);
    });
  } else if (outer >= threads) {
    const int64_t per = (outer + threads - 1) / threads;
    parallel_for(threads, [&](int t, int) {
      const int64_t o0 = t * per, o1 = std::min(outer, o0 + per);
      if (o0 < o1) reduce_block(how, x, out, o0, o1, r, inner, 0, inner);
    });
  } else {
    // Few outer rows (column sums such as bias gradients): split the columns.
    const int64_t per = (inner + threads - 1) / threads;
    parallel_for(threads, [&](int t, int) {
      const int64_t j0 = t * per, j1 = std::min(inner, j0 + per);
      if (j0 < j1) reduce_block(how, x, out, 0, outer, r, inner, j0, j1);
    });
  }
  return nullptr;
}

NZ_CLONES void softmax_rows(const float* x, float* out, int64_t r0, int64_t r1, int64_t n) {
  for (int64_t r = r0; r < r1; r++) {
    const float* row = x + r * n;
    float* o = out + r * n;
    float m = -INFINITY;
    bool nan = false;
    for (int64_t j = 0; j < n; j++) {
      m = row[j] > m ? row[j] : m;
      nan = nan || row[j] != row[j];
    }
    if (nan) m = NAN;
    double sum = 0;
    for (int64_t j = 0; j < n; j++) {
      o[j] = fast_exp(row[j] - m);
      sum += o[j];
    }
    const float inv = (float)(1.0 / sum);
    for (int64_t j = 0; j < n; j++) o[j] *= inv;
  }
}

// softmax(x, out, dims[rows, n])
napi_value Softmax(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value v[3];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  Arrays a = read(env, v, 0, 2);
  if (!a.ok || a.ndims != 2) {
    napi_throw_type_error(env, nullptr, "neurozoo native softmax: expected two Float32Arrays and [rows, n]");
    return nullptr;
  }
  const int64_t rows = a.dims[0], n = a.dims[1];
  const int threads = rows * n < (1 << 15) ? 1 : pool_threads();
  const int64_t per = (rows + threads - 1) / threads;
  parallel_for(threads, [&](int t, int) {
    const int64_t r0 = t * per, r1 = std::min(rows, r0 + per);
    if (r0 < r1) softmax_rows(a.f[0], a.f[1], r0, r1, n);
  });
  return nullptr;
}

struct PoolDims {
  int N, H, W, C, OH, OW, sh, sw, fh, fw, dh, dw, top, left;
};

// For image n: visit(outIndex, inIndexOfMax or -1, max) for every output, the first maximum
// of each window winning (as in tfjs's cpu kernel).
template <typename Visit>
void argmax_windows(const PoolDims& p, const float* x, int n, std::vector<float>& best, std::vector<int64_t>& where, Visit visit) {
  for (int oy = 0; oy < p.OH; oy++)
    for (int ox = 0; ox < p.OW; ox++) {
      std::fill(best.begin(), best.end(), -INFINITY);
      std::fill(where.begin(), where.end(), -1);
      for (int ky = 0; ky < p.fh; ky++) {
        const int iy = oy * p.sh - p.top + ky * p.dh;
        if (iy < 0 || iy >= p.H) continue;
        for (int kx = 0; kx < p.fw; kx++) {
          const int ix = ox * p.sw - p.left + kx * p.dw;
          if (ix < 0 || ix >= p.W) continue;
          const int64_t base = (((int64_t)n * p.H + iy) * p.W + ix) * p.C;
          for (int c = 0; c < p.C; c++) {
            const float v = x[base + c];
            if (v > best[c] || where[c] < 0) {
              best[c] = v;
              where[c] = base + c;
            }
          }
        }
      }
      const int64_t o = (((int64_t)n * p.OH + oy) * p.OW + ox) * p.C;
      for (int c = 0; c < p.C; c++) visit(o + c, where[c], best[c]);
    }
}

// maxPool(x, y, dims) / maxPoolGrad(x, dy, dx, dims); dims [N,H,W,C,OH,OW,sh,sw,fh,fw,dh,dw,top,left].
// Images are split over threads (windows of one image may overlap, different images never).
napi_value MaxPoolImpl(napi_env env, napi_callback_info info, bool grad) {
  size_t argc = 4;
  napi_value v[4];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  const int nf = grad ? 3 : 2;
  Arrays a = read(env, v, 0, nf);
  if (!a.ok || a.ndims != 14) {
    napi_throw_type_error(env, nullptr, "neurozoo native maxPool: expected Float32Arrays and 14 dims");
    return nullptr;
  }
  const int32_t* d = a.dims;
  const PoolDims p{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13]};
  const float* x = a.f[0];
  parallel_for(p.N, [&](int n, int) {
    std::vector<float> best(p.C);
    std::vector<int64_t> where(p.C);
    if (grad) {
      const float* dy = a.f[1];
      float* dx = a.f[2];
      std::fill(dx + (int64_t)n * p.H * p.W * p.C, dx + (int64_t)(n + 1) * p.H * p.W * p.C, 0.0f);
      argmax_windows(p, x, n, best, where, [&](int64_t o, int64_t i, float) {
        if (i >= 0) dx[i] += dy[o];
      });
    } else {
      float* y = a.f[1];
      argmax_windows(p, x, n, best, where, [&](int64_t o, int64_t i, float m) { y[o] = i < 0 ? 0.0f : m; });
    }
  });
  return nullptr;
}

napi_value MaxPool(napi_env env, napi_callback_info info) { return MaxPoolImpl(env, info, false); }
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) { return MaxPoolImpl(env, info, true); }

}  // namespace

void register_reduce(napi_env env, napi_value exports) {
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"reduce", Reduce}, {"softmax", Softmax}, {"maxPool", MaxPool}, {"maxPoolGrad", MaxPoolGrad}};
  for (const auto& f : fns) define(env, exports, f.name, f.fn);
}

}  // namespace nz
