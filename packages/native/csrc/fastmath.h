// Branch-free float math that the compiler vectorises (libm's expf does not).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace nz {

// exp by range reduction and a degree-7 polynomial: relative error below 1e-7 on
// [-87, 88.7]; +inf above, NaN for NaN, ~1.6e-38 below -87 (no denormals). No selects
// after the polynomial: they cost GCC's vectoriser a factor of 6 here. Overflow comes from
// the exponent bits (2^(n-1), times 2), NaN propagates through the arithmetic.
inline float fast_exp(float x) {
  // Ternaries, not std::min/max: those block GCC's if-conversion (no vectorisation).
  const float xc = x < -87.0f ? -87.0f : (x > 89.0f ? 89.0f : x);
  const float t = xc * 1.44269504088896341f;
  // Round to nearest by truncation (a plain conversion, which vectorises; nearbyint is a libm call).
  const float n = static_cast<float>(static_cast<int32_t>(t + (t >= 0.0f ? 0.5f : -0.5f)));
  const float f = (xc - n * 0.693145751953125f) - n * 1.42860682030941723212e-6f;
  const float p =
      1.0f + f * (1.0f + f * (0.5f + f * (1.0f / 6 + f * (1.0f / 24 + f * (1.0f / 120 + f * (1.0f / 720 + f * (1.0f / 5040)))))));
  const int32_t bits = (static_cast<int32_t>(n) + 126) << 23;
  float half_scale;
  std::memcpy(&half_scale, &bits, sizeof half_scale);
  return p * half_scale * 2.0f;
}

// exp(x) - 1 without the cancellation near 0 (a Taylor series below |x| = 0.25).
inline float fast_expm1(float x) {
  const float series = x * (1.0f + x * (0.5f + x * (1.0f / 6 + x * (1.0f / 24 + x * (1.0f / 120 + x * (1.0f / 720))))));
  return std::fabs(x) < 0.25f ? series : fast_exp(x) - 1.0f;
}

inline float fast_sigmoid(float z) { return 1.0f / (1.0f + fast_exp(-z)); }
// Absolute error ~1e-7 (relative error grows for |z| < 1e-3: use std::tanh where that matters).
inline float fast_tanh(float z) { return 1.0f - 2.0f / (fast_exp(2.0f * z) + 1.0f); }

}  // namespace nz
