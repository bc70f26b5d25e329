// Argument helpers shared by the N-API entry points: typed-array views (null when the
// value is absent or of another type, so callers throw one clear message) and function
// registration.
#pragma once
#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace nz {

// The data of a typed array of `want` type, or null (null/undefined/other type). `len` gets its length.
inline void* typed_data(napi_env env, napi_value v, napi_typedarray_type want, size_t* len = nullptr) {
  napi_valuetype vt;
  if (napi_typeof(env, v, &vt) != napi_ok || vt == napi_null || vt == napi_undefined) return nullptr;
  napi_typedarray_type type;
  size_t n = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &n, &data, nullptr, nullptr) != napi_ok || type != want) return nullptr;
  if (len) *len = n;
  return data;
}

inline float* f32(napi_env env, napi_value v, size_t* len = nullptr) {
  return static_cast<float*>(typed_data(env, v, napi_float32_array, len));
}

inline const int32_t* i32s(napi_env env, napi_value v, size_t* len = nullptr) {
  return static_cast<const int32_t*>(typed_data(env, v, napi_int32_array, len));
}

inline int32_t i32(napi_env env, napi_value v) {
  int32_t x = 0;
  napi_get_value_int32(env, v, &x);
  return x;
}

inline void define(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

}  // namespace nz
