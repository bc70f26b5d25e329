// A tiny persistent thread pool. Kernels are called synchronously from the JS thread,
// which takes part as thread 0; workers spin briefly between jobs (training issues
// kernels back to back, and a futex wake-up costs more than a small GEMM) and then sleep.
#pragma once
#include <functional>

namespace nz {

// Number of threads (JS thread included) the pool runs jobs on.
int pool_threads();
// Resizes the pool; n <= 0 picks NEUROZOO_THREADS or the hardware count (at most 8).
void pool_resize(int n);
// Runs fn(task, thread) for task in [0, tasks); returns when all are done. Tasks are
// handed out dynamically, so a core taken by another process only slows its share.
void parallel_for(int tasks, const std::function<void(int task, int thread)>& fn);

}  // namespace nz
