// 2-D convolution (NHWC input, HWIO filter) and both its gradients, as im2col / col2im
// around the packed GEMM. Images are spread over the pool's threads.
#pragma once

namespace nz {

struct ConvShape {
  int N, H, W, C;      // input
  int KH, KW, OC;      // filter [KH, KW, C, OC]
  int OH, OW;          // output spatial size
  int SH, SW, DH, DW;  // strides, dilations
  int PT, PL;          // top / left padding (bottom / right follow from the sizes)
};

void conv2d(const ConvShape& s, const float* x, const float* w, float* y, const float* bias, int act, float alpha);
void conv2d_backprop_input(const ConvShape& s, const float* dy, const float* w, float* dx);
void conv2d_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dw);

}  // namespace nz
