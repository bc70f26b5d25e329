// Elementwise unary float32 ops (activations and their gradients' helpers) exposed to JS.
#pragma once
#include <node_api.h>

namespace nz {
void register_unary(napi_env env, napi_value exports);
}
