// Broadcasting binary float32 ops over up to 3 collapsed dims, exposed to JS.
#pragma once
#include <node_api.h>

namespace nz {
void register_binary(napi_env env, napi_value exports);
}
