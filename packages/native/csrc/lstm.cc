#include "lstm.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "fastmath.h"
#include "napi_util.h"
#include "pool.h"

namespace nz {
namespace {

inline float sigmoid(float z) { return fast_sigmoid(z); }
inline float hard_sigmoid(float z) { return std::min(1.0f, std::max(0.0f, 0.2f * z + 0.5f)); }
inline float tanh_(float z) { return fast_tanh(z); }

// Rows per task: enough work per task that the pool's hand-off pays (~4k cells).
int rows_per_task(int B, int H) { return std::max(1, 4096 / std::max(1, H)); }

// Built for AVX2 and for the baseline; the loader picks one at run time.
#define NZ_CLONES __attribute__((target_clones("avx2", "default")))

// Each loop below is one gate block with no branches inside, so the compiler vectorises it.
inline void gate_block(bool hard, const float* zx, const float* zr, float* out, int n) {
  if (hard) {
    for (int j = 0; j < n; j++) out[j] = hard_sigmoid(zx[j] + zr[j]);
  } else {
    for (int j = 0; j < n; j++) out[j] = sigmoid(zx[j] + zr[j]);
  }
}

NZ_CLONES void forward_rows(bool hard, const float* xp, const float* r, const float* c_prev, int H, int b0, int b1, float* h, float* c,
                            float* acts) {
  const int G = 4 * H;
  for (int b = b0; b < b1; b++) {
    const float* zx = xp + (size_t)b * G;
    const float* zr = r + (size_t)b * G;
    float* a = acts + (size_t)b * 5 * H;
    gate_block(hard, zx, zr, a, 2 * H);  // i, f
    for (int j = 2 * H; j < 3 * H; j++) a[j] = tanh_(zx[j] + zr[j]);  // g
    gate_block(hard, zx + 3 * H, zr + 3 * H, a + 3 * H, H);  // o
    const float* cp = c_prev + (size_t)b * H;
    float* cb = c + (size_t)b * H;
    float* hb = h + (size_t)b * H;
    const float *ai = a, *af = a + H, *ag = a + 2 * H, *ao = a + 3 * H;
    float* tc = a + 4 * H;
    for (int j = 0; j < H; j++) {
      const float cn = af[j] * cp[j] + ai[j] * ag[j];
      const float t = tanh_(cn);
      cb[j] = cn;
      tc[j] = t;
      hb[j] = ao[j] * t;
    }
  }
}

// lstmStep(xp, r, cPrev, h, c, acts, [B, H, step, hard])
napi_value Step(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value v[7];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  const float* xp = f32(env, v[0]);
  const float* r = f32(env, v[1]);
  const float* cp = f32(env, v[2]);
  float* h = f32(env, v[3]);
  float* c = f32(env, v[4]);
  float* acts = f32(env, v[5]);
  size_t nd = 0;
  const int32_t* d = i32s(env, v[6], &nd);
  if (!xp || !r || !cp || !h || !c || !acts || !d || nd != 4) {
    napi_throw_type_error(env, nullptr, "neurozoo native lstmStep: expected six Float32Arrays and [B, H, step, hard]");
    return nullptr;
  }
  const int B = d[0], H = d[1], step = d[2];
  const bool hard = d[3] != 0;
  const float* x = xp + (size_t)step * B * 4 * H;
  const int per = rows_per_task(B, H);
  parallel_for((B + per - 1) / per, [&](int t, int) {
    const int b0 = t * per, b1 = std::min(B, b0 + per);
    forward_rows(hard, x, r, cp, H, b0, b1, h, c, acts);
  });
  return nullptr;
}

NZ_CLONES void backward_rows(bool hard, const float* acts, const float* c_prev, const float* d_seq, const float* dh, const float* dc_next,
                             int H, int b0, int b1, float* dz, float* dc_prev) {
  for (int b = b0; b < b1; b++) {
    const float* a = acts + (size_t)b * 5 * H;
    const float *ai = a, *af = a + H, *ag = a + 2 * H, *ao = a + 3 * H, *tc = a + 4 * H;
    const float* cp = c_prev + (size_t)b * H;
    const float* ds = d_seq + (size_t)b * H;
    const float* dcn = dc_next + (size_t)b * H;
    float* z = dz + (size_t)b * 4 * H;
    float *zi = z, *zf = z + H, *zg = z + 2 * H, *zo = z + 3 * H;
    float* dcp = dc_prev + (size_t)b * H;
    // dz_o holds dh (the gradient reaching h) until the gate derivatives are applied.
    if (dh) {
      const float* dhb = dh + (size_t)b * H;
      for (int j = 0; j < H; j++) zo[j] = ds[j] + dhb[j];
    } else {
      for (int j = 0; j < H; j++) zo[j] = ds[j];
    }
    for (int j = 0; j < H; j++) {
      const float dhj = zo[j];
      const float dc = dcn[j] + dhj * ao[j] * (1.0f - tc[j] * tc[j]);
      zi[j] = dc * ag[j];
      zf[j] = dc * cp[j];
      zg[j] = dc * ai[j] * (1.0f - ag[j] * ag[j]);
      zo[j] = dhj * tc[j];
      dcp[j] = dc * af[j];
    }
    // d gate / d z from the gate's value: sigmoid s(1 - s); hardSigmoid 0.2 inside (0, 1).
    const float* gates[3] = {ai, af, ao};
    float* grads[3] = {zi, zf, zo};
    for (int k = 0; k < 3; k++) {
      const float* s = gates[k];
      float* g = grads[k];
      if (hard) {
        for (int j = 0; j < H; j++) g[j] *= (s[j] > 0.0f && s[j] < 1.0f) ? 0.2f : 0.0f;
      } else {
        for (int j = 0; j < H; j++) g[j] *= s[j] * (1.0f - s[j]);
      }
    }
  }
}

// lstmStepGrad(acts, cPrev, dSeq, dh|null, dcNext|null, dz, dcPrev, [S, B, H, step, hard])
// acts [S, B, 5H], cPrev [S, B, H], dSeq [S + 1, B, H]; dcNext null = row S of dSeq.
napi_value StepGrad(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value v[8];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  const float* acts = f32(env, v[0]);
  const float* cp = f32(env, v[1]);
  const float* ds = f32(env, v[2]);
  const float* dh = f32(env, v[3]);
  const float* dcn = f32(env, v[4]);
  float* dz = f32(env, v[5]);
  float* dcp = f32(env, v[6]);
  size_t nd = 0;
  const int32_t* dims = i32s(env, v[7], &nd);
  if (!acts || !cp || !ds || !dz || !dcp || !dims || nd != 5) {
    napi_throw_type_error(env, nullptr, "neurozoo native lstmStepGrad: expected Float32Arrays and [S, B, H, step, hard]");
    return nullptr;
  }
  const int S = dims[0], B = dims[1], H = dims[2], step = dims[3];
  const bool hard = dims[4] != 0;
  const size_t row = (size_t)step * B * H;
  const float* a = acts + row * 5;
  const float* c = cp + row;
  const float* d = ds + row;
  const float* dc = dcn ? dcn : ds + (size_t)S * B * H;
  const int per = rows_per_task(B, H);
  parallel_for((B + per - 1) / per, [&](int t, int) {
    const int b0 = t * per, b1 = std::min(B, b0 + per);
    backward_rows(hard, a, c, d, dh, dc, H, b0, b1, dz, dcp);
  });
  return nullptr;
}

}  // namespace

void register_lstm(napi_env env, napi_value exports) {
  define(env, exports, "lstmStep", Step);
  define(env, exports, "lstmStepGrad", StepGrad);
}

}  // namespace nz
