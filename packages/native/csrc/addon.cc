// N-API entry points. Every function works on Float32Arrays that the JS side owns (the
// tfjs cpu backend's storage); shapes come in one Int32Array so a call costs a handful
// of N-API round trips. Argument checking is done in TypeScript (src/addon.ts).
#include <node_api.h>

#include <algorithm>
#include <cstdint>

#include "binary.h"
#include "conv.h"
#include "eltwise.h"
#include "gemm.h"
#include "lstm.h"
#include "pool.h"
#include "reduce.h"
#include "unary.h"

namespace {

template <typename T>
T* typed(napi_env env, napi_value v, size_t* len = nullptr) {
  napi_valuetype vt;
  napi_typeof(env, v, &vt);
  if (vt == napi_null || vt == napi_undefined) return nullptr;
  napi_typedarray_type type;
  size_t length;
  void* data;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok) {
    napi_throw_type_error(env, nullptr, "neurozoo native: expected a typed array");
    return nullptr;
  }
  if (len) *len = length;
  return static_cast<T*>(data);
}

double number(napi_env env, napi_value v) {
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d;
}

struct Args {
  napi_value v[12];
  size_t n = 12;
  Args(napi_env env, napi_callback_info info) { napi_get_cb_info(env, info, &n, v, nullptr, nullptr); }
};

// gemm(a, b, c, bias|null, dims[batch, batchA, batchB, M, N, K, transA, transB, act, accumulate], alpha)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const float* A = typed<float>(env, a.v[0]);
  const float* B = typed<float>(env, a.v[1]);
  float* C = typed<float>(env, a.v[2]);
  const float* bias = typed<float>(env, a.v[3]);
  const int32_t* d = typed<int32_t>(env, a.v[4]);
  float alpha = (float)number(env, a.v[5]);
  if (!A || !B || !C || !d) return nullptr;
  const int batch = d[0], batchA = d[1], batchB = d[2], M = d[3], N = d[4], K = d[5], act = d[8];
  const bool tA = d[6], tB = d[7], accumulate = d[9];
  auto item = [&](int i) {
    return nz::Gemm{M, N, K, A + (size_t)(i % batchA) * M * K, tA ? M : K, tA,
                    B + (size_t)(i % batchB) * K * N, tB ? K : N, tB, C + (size_t)i * M * N, N, accumulate};
  };
  const double macs = (double)M * N * K;
  if (batch >= 2 * nz::pool_threads() && macs < 2e6) {
    // Many small products (attention heads, per-step gradients): one per task.
    nz::parallel_for(batch, [&](int i, int) {
      nz::Gemm g = item(i);
      nz::gemm_serial(g, 0, M, 0, N);
      nz::epilogue(g.C, N, 0, M, N, bias, act, alpha);
    });
  } else {
    for (int i = 0; i < batch; i++) {
      nz::Gemm g = item(i);
      nz::gemm_parallel(g);
      nz::epilogue(g.C, N, 0, M, N, bias, act, alpha);
    }
  }
  return nullptr;
}

nz::ConvShape conv_shape(const int32_t* d) {
  return nz::ConvShape{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14]};
}

// conv2d(x, w, y, bias|null, dims[N,H,W,C,KH,KW,OC,OH,OW,SH,SW,DH,DW,PT,PL,act], alpha)
napi_value Conv2D(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const float* x = typed<float>(env, a.v[0]);
  const float* w = typed<float>(env, a.v[1]);
  float* y = typed<float>(env, a.v[2]);
  const float* bias = typed<float>(env, a.v[3]);
  const int32_t* d = typed<int32_t>(env, a.v[4]);
  if (!x || !w || !y || !d) return nullptr;
  nz::conv2d(conv_shape(d), x, w, y, bias, d[15], (float)number(env, a.v[5]));
  return nullptr;
}

// conv2dBackpropInput(dy, w, dx, dims) / conv2dBackpropFilter(x, dy, dw, dims)
napi_value Conv2DBackpropInput(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const float* dy = typed<float>(env, a.v[0]);
  const float* w = typed<float>(env, a.v[1]);
  float* dx = typed<float>(env, a.v[2]);
  const int32_t* d = typed<int32_t>(env, a.v[3]);
  if (dy && w && dx && d) nz::conv2d_backprop_input(conv_shape(d), dy, w, dx);
  return nullptr;
}

napi_value Conv2DBackpropFilter(napi_env env, napi_callback_info info) {
  Args a(env, info);
  const float* x = typed<float>(env, a.v[0]);
  const float* dy = typed<float>(env, a.v[1]);
  float* dw = typed<float>(env, a.v[2]);
  const int32_t* d = typed<int32_t>(env, a.v[3]);
  if (x && dy && dw && d) nz::conv2d_backprop_filter(conv_shape(d), x, dy, dw);
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a(env, info);
  nz::pool_resize((int)number(env, a.v[0]));
  napi_value out;
  napi_create_int32(env, nz::pool_threads(), &out);
  return out;
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value obj, threads, kernel;
  napi_create_object(env, &obj);
  napi_create_int32(env, nz::pool_threads(), &threads);
  napi_create_string_utf8(env, nz::gemm_kernel_name(), NAPI_AUTO_LENGTH, &kernel);
  napi_set_named_property(env, obj, "threads", threads);
  napi_set_named_property(env, obj, "kernel", kernel);
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2D, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2DBackpropInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2DBackpropFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  nz::register_eltwise(env, exports);
  nz::register_lstm(env, exports);
  nz::register_unary(env, exports);
  nz::register_binary(env, exports);
  nz::register_reduce(env, exports);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
