#include "binary.h"

#include <cstdint>

#include "napi_util.h"
#include "pool.h"

namespace nz {
namespace {

// Op codes: the order of NATIVE_BINARY_OPS in src/kernels/eltwise.ts.
enum Op { ADD, SUB, MUL, DIV, MAX, MIN, SQDIFF };

#define NZ_CLONES __attribute__((target_clones("avx2", "default")))

struct Dims {
  int64_t n[3];  // sizes, outermost first
  int64_t a[3];  // a's element strides (0 = broadcast)
  int64_t b[3];
};

// Rows [r0, r1) of the flattened (n2 x n1) outer loop; each row is n0 elements of out.
template <typename F>
inline void rows(F f, const float* A, const float* B, float* out, const Dims& d, int64_t r0, int64_t r1) {
  const int64_t n0 = d.n[2], a0 = d.a[2], b0 = d.b[2];
  for (int64_t r = r0; r < r1; r++) {
    const int64_t i2 = r / d.n[1], i1 = r % d.n[1];
    const float* pa = A + i2 * d.a[0] + i1 * d.a[1];
    const float* pb = B + i2 * d.b[0] + i1 * d.b[1];
    float* o = out + r * n0;
    if (a0 == 1 && b0 == 1) {
      for (int64_t i = 0; i < n0; i++) o[i] = f(pa[i], pb[i]);
    } else if (a0 == 1 && b0 == 0) {
      const float bv = pb[0];
      for (int64_t i = 0; i < n0; i++) o[i] = f(pa[i], bv);
    } else if (a0 == 0 && b0 == 1) {
      const float av = pa[0];
      for (int64_t i = 0; i < n0; i++) o[i] = f(av, pb[i]);
    } else {
      for (int64_t i = 0; i < n0; i++) o[i] = f(pa[i * a0], pb[i * b0]);
    }
  }
}

// tfjs's semantics: Maximum/Minimum return a when it is NaN.
NZ_CLONES void run(int op, const float* A, const float* B, float* out, const Dims& d, int64_t r0, int64_t r1) {
  switch (op) {
    case ADD: rows([](float a, float b) { return a + b; }, A, B, out, d, r0, r1); break;
    case SUB: rows([](float a, float b) { return a - b; }, A, B, out, d, r0, r1); break;
    case MUL: rows([](float a, float b) { return a * b; }, A, B, out, d, r0, r1); break;
    case DIV: rows([](float a, float b) { return a / b; }, A, B, out, d, r0, r1); break;
    case MAX: rows([](float a, float b) { return (a > b || a != a) ? a : b; }, A, B, out, d, r0, r1); break;
    case MIN: rows([](float a, float b) { return (a < b || a != a) ? a : b; }, A, B, out, d, r0, r1); break;
    case SQDIFF: rows([](float a, float b) { return (a - b) * (a - b); }, A, B, out, d, r0, r1); break;
  }
}

// binary(op, a, b, out, dims Int32Array[n2, n1, n0, a2, a1, a0, b2, b1, b0])
napi_value Binary(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value v[5];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  const int32_t op = i32(env, v[0]);
  size_t na = 0, nb = 0, no = 0, nd = 0;
  const float* A = f32(env, v[1], &na);
  const float* B = f32(env, v[2], &nb);
  float* out = f32(env, v[3], &no);
  const int32_t* dd = i32s(env, v[4], &nd);
  if (!A || !B || !out || !dd || nd != 9 || op < ADD || op > SQDIFF) {
    napi_throw_type_error(env, nullptr, "neurozoo native binary: expected an op code, three Float32Arrays and 9 dims");
    return nullptr;
  }
  Dims d{{dd[0], dd[1], dd[2]}, {dd[3], dd[4], dd[5]}, {dd[6], dd[7], dd[8]}};
  const int64_t rows_total = d.n[0] * d.n[1];
  if ((size_t)(rows_total * d.n[2]) != no) {
    napi_throw_range_error(env, nullptr, "neurozoo native binary: dims do not match the output length");
    return nullptr;
  }
  // ~32k elements per task; small ops stay on the calling thread.
  const int64_t per = d.n[2] >= (1 << 15) ? 1 : ((1 << 15) + d.n[2] - 1) / d.n[2];
  const int tasks = (int)((rows_total + per - 1) / per);
  if (tasks <= 1) {
    run(op, A, B, out, d, 0, rows_total);
  } else {
    parallel_for(tasks, [&](int t, int) {
      const int64_t r0 = (int64_t)t * per, r1 = r0 + per < rows_total ? r0 + per : rows_total;
      run(op, A, B, out, d, r0, r1);
    });
  }
  return nullptr;
}

}  // namespace

void register_binary(napi_env env, napi_value exports) {
  define(env, exports, "binary", Binary);
}

}  // namespace nz
