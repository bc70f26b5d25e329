#include "eltwise.h"

#include <cmath>
#include <cstdint>

#include "napi_util.h"
#include "pool.h"

namespace nz {
namespace {

// One chunk of the Adam update. __restrict: the outputs are fresh arrays, so GCC may
// vectorise without alias checks (7 pointers defeat its runtime versioning).
__attribute__((target_clones("avx2", "default"))) void adam_chunk(const float* __restrict x, const float* __restrict g,
                                                                  const float* __restrict m, const float* __restrict v,
                                                                  float* __restrict xo, float* __restrict mo, float* __restrict vo,
                                                                  size_t n, float lr, float b1, float b2, float eps, float c1, float c2) {
  for (size_t i = 0; i < n; i++) {
    const float mi = b1 * m[i] + (1.f - b1) * g[i];
    const float vi = b2 * v[i] + (1.f - b2) * g[i] * g[i];
    mo[i] = mi;
    vo[i] = vi;
    xo[i] = x[i] - lr * (mi / c1) / (std::sqrt(vi / c2) + eps);
  }
}

// adam(x, g, m, v, xOut, mOut, vOut, params[lr, beta1, beta2, eps, 1-beta1^t, 1-beta2^t])
// One pass for what tfjs's Adam does in ~12 ops: m' = b1 m + (1-b1) g,
// v' = b2 v + (1-b2) g^2, x' = x - lr * (m'/(1-b1^t)) / (sqrt(v'/(1-b2^t)) + eps).
napi_value Adam(napi_env env, napi_callback_info info) {
  size_t argc = 8, n = 0, k = 0;
  napi_value a[8];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  const float* x = f32(env, a[0], &n);
  const float* g = f32(env, a[1], &k);
  const float* m = f32(env, a[2], &k);
  const float* v = f32(env, a[3], &k);
  float* xo = f32(env, a[4], &k);
  float* mo = f32(env, a[5], &k);
  float* vo = f32(env, a[6], &k);
  const float* p = f32(env, a[7], &k);
  if (!x || !g || !m || !v || !xo || !mo || !vo || !p) {
    napi_throw_type_error(env, nullptr, "neurozoo native adam: expected Float32Arrays");
    return nullptr;
  }
  const float lr = p[0], b1 = p[1], b2 = p[2], eps = p[3], c1 = p[4], c2 = p[5];
  const int chunk = 1 << 15;
  const int tasks = (int)((n + chunk - 1) / chunk);
  parallel_for(tasks, [&](int t, int) {
    const size_t i0 = (size_t)t * chunk, i1 = i0 + chunk < n ? i0 + chunk : n;
    adam_chunk(x + i0, g + i0, m + i0, v + i0, xo + i0, mo + i0, vo + i0, i1 - i0, lr, b1, b2, eps, c1, c2);
  });
  return nullptr;
}

}  // namespace

void register_eltwise(napi_env env, napi_value exports) {
  define(env, exports, "adam", Adam);
}

}  // namespace nz
