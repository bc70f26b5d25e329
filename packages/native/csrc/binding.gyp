{
  "targets": [
    {
      "target_name": "neurozoo_native",
      "sources": ["addon.cc", "pool.cc", "gemm.cc", "conv.cc", "eltwise.cc", "lstm.cc", "unary.cc", "binary.cc", "reduce.cc"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++14", "-std=gnu++1y"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-fno-trapping-math", "-pthread"],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
