// Fused elementwise training kernels (optimizer updates) exposed to JS.
#pragma once
#include <node_api.h>

namespace nz {
void register_eltwise(napi_env env, napi_value exports);
}
