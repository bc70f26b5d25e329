#include "unary.h"

#include <cmath>
#include <cstdint>

#include "fastmath.h"
#include "napi_util.h"
#include "pool.h"

namespace nz {
namespace {

// Op codes: the order of UNARY_OPS in src/kernels/unary.ts.
enum Op { RELU, RELU6, STEP, SIGMOID, TANH, EXP, LOG, SQRT, RSQRT, SQUARE, NEG, ABS, FLOOR, ELU, LEAKY_RELU, RECIPROCAL };

#define NZ_CLONES __attribute__((target_clones("avx2", "default")))

// One loop per op, no branches inside, so each vectorises. Semantics follow tfjs's cpu
// kernels, NaN included (relu(NaN) = NaN, step(NaN) = NaN).
NZ_CLONES void apply(int op, const float* x, float* y, size_t n, float alpha) {
  switch (op) {
    case RELU: for (size_t i = 0; i < n; i++) y[i] = x[i] < 0.0f ? 0.0f : x[i]; break;
    case RELU6: for (size_t i = 0; i < n; i++) y[i] = x[i] < 0.0f ? 0.0f : (x[i] > 6.0f ? 6.0f : x[i]); break;
    case STEP: for (size_t i = 0; i < n; i++) y[i] = x[i] != x[i] ? x[i] : (x[i] > 0.0f ? 1.0f : alpha); break;
    case SIGMOID: for (size_t i = 0; i < n; i++) y[i] = fast_sigmoid(x[i]); break;
    case TANH: for (size_t i = 0; i < n; i++) y[i] = std::tanh(x[i]); break;
    case EXP: for (size_t i = 0; i < n; i++) y[i] = fast_exp(x[i]); break;
    case LOG: for (size_t i = 0; i < n; i++) y[i] = std::log(x[i]); break;
    case SQRT: for (size_t i = 0; i < n; i++) y[i] = std::sqrt(x[i]); break;
    case RSQRT: for (size_t i = 0; i < n; i++) y[i] = 1.0f / std::sqrt(x[i]); break;
    case SQUARE: for (size_t i = 0; i < n; i++) y[i] = x[i] * x[i]; break;
    case NEG: for (size_t i = 0; i < n; i++) y[i] = -x[i]; break;
    case ABS: for (size_t i = 0; i < n; i++) y[i] = std::fabs(x[i]); break;
    case FLOOR: for (size_t i = 0; i < n; i++) y[i] = std::floor(x[i]); break;
    case ELU: for (size_t i = 0; i < n; i++) y[i] = x[i] >= 0.0f ? x[i] : fast_expm1(x[i]); break;
    case LEAKY_RELU: for (size_t i = 0; i < n; i++) y[i] = x[i] < 0.0f ? alpha * x[i] : x[i]; break;
    case RECIPROCAL: for (size_t i = 0; i < n; i++) y[i] = 1.0f / x[i]; break;
  }
}

// unary(op, x, y, alpha)
napi_value Unary(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value v[4];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  const int32_t op = i32(env, v[0]);
  double alpha = 0;
  napi_get_value_double(env, v[3], &alpha);
  size_t nx = 0, ny = 0;
  const float* x = f32(env, v[1], &nx);
  float* y = f32(env, v[2], &ny);
  if (!x || !y || nx != ny || op < RELU || op > RECIPROCAL) {
    napi_throw_type_error(env, nullptr, "neurozoo native unary: expected an op code and two Float32Arrays of one length");
    return nullptr;
  }
  const size_t chunk = 1 << 15;
  const int tasks = (int)((nx + chunk - 1) / chunk);
  if (tasks <= 1) {
    apply(op, x, y, nx, (float)alpha);
  } else {
    parallel_for(tasks, [&](int t, int) {
      const size_t i0 = (size_t)t * chunk, n = i0 + chunk < nx ? chunk : nx - i0;
      apply(op, x + i0, y + i0, n, (float)alpha);
    });
  }
  return nullptr;
}

}  // namespace

void register_unary(napi_env env, napi_value exports) {
  define(env, exports, "unary", Unary);
}

}  // namespace nz
