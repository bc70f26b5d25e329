// Reductions over one contiguous block of axes, last-axis softmax, and 2-D max pooling
// (forward and gradient), float32 NHWC, exposed to JS.
#pragma once
#include <node_api.h>

namespace nz {
void register_reduce(napi_env env, napi_value exports);
}
