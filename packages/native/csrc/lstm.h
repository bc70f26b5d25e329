// The elementwise half of an LSTM time step, forward and backward (the contract of
// @neurozoo/core's NeurozooLstmStep / NeurozooLstmStepGrad kernels; layouts there).
#pragma once
#include <node_api.h>

namespace nz {
void register_lstm(napi_env env, napi_value exports);
}
