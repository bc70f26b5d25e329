#include "pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NZ_PAUSE() _mm_pause()
#else
#define NZ_PAUSE() std::this_thread::yield()
#endif

namespace nz {
namespace {

constexpr int kTaskBits = 18;
constexpr uint64_t kTaskMask = (uint64_t(1) << kTaskBits) - 1;
constexpr int kMaxTasks = (int)kTaskMask;
inline uint64_t generation(uint64_t v) { return v >> (2 * kTaskBits); }
inline uint64_t task_count(uint64_t v) { return (v >> kTaskBits) & kTaskMask; }
inline uint64_t next_task(uint64_t v) { return v & kTaskMask; }

struct Pool {
  std::vector<std::thread> workers;
  std::mutex mu;
  std::condition_variable cv;
  const std::function<void(int, int)>* job = nullptr;
  // generation (28 bits) | task count (18) | next task (18), in one word: a worker checks
  // the next task against the count of the job it claims from. (With the count in a
  // separate field, a worker holding a finished job's ticket could read the next job's
  // larger count, claim a task index the finished job never had, and run it, or count it
  // as done for the next job: a use-after-free when jobs come back to back.)
  std::atomic<uint64_t> ticket{0};
  std::atomic<int> done{0};
  bool stop = false;

  // Claims and runs tasks of generation `gen` until none are left.
  void work(uint64_t gen, int thread) {
    for (;;) {
      uint64_t v = ticket.load(std::memory_order_acquire);
      if (generation(v) != gen || next_task(v) >= task_count(v)) return;
      if (!ticket.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel)) continue;
      (*job)((int)next_task(v), thread);
      done.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  void loop(int thread) {
    uint64_t seen = 0;
    for (;;) {
      // Spin ~200 us for the next job before sleeping: kernels come back to back.
      auto t0 = std::chrono::steady_clock::now();
      while (generation(ticket.load(std::memory_order_acquire)) == seen && !stop) {
        NZ_PAUSE();
        if (std::chrono::steady_clock::now() - t0 > std::chrono::microseconds(200)) {
          std::unique_lock<std::mutex> lk(mu);
          cv.wait(lk, [&] { return generation(ticket.load()) != seen || stop; });
        }
      }
      if (stop) return;
      seen = generation(ticket.load(std::memory_order_acquire));
      work(seen, thread);
    }
  }

  void start(int n) {
    for (int i = 1; i < n; i++) workers.emplace_back([this, i] { loop(i); });
  }

  void shutdown() {
    {
      std::lock_guard<std::mutex> lk(mu);
      stop = true;
    }
    cv.notify_all();
    for (auto& w : workers) w.join();
    workers.clear();
    stop = false;
  }
};

Pool* g_pool = nullptr;
int g_threads = 1;

int default_threads() {
  if (const char* env = std::getenv("NEUROZOO_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  int hw = (int)std::thread::hardware_concurrency();
  return hw < 1 ? 1 : (hw > 8 ? 8 : hw);
}

}  // namespace

int pool_threads() {
  if (!g_pool) pool_resize(0);
  return g_threads;
}

void pool_resize(int n) {
  if (n <= 0) n = default_threads();
  if (g_pool) {
    g_pool->shutdown();
    delete g_pool;
  }
  g_pool = new Pool();
  g_threads = n;
  g_pool->start(n);
}

void parallel_for(int tasks, const std::function<void(int, int)>& fn) {
  if (!g_pool) pool_resize(0);
  if (tasks <= 0) return;
  if (tasks == 1 || g_threads == 1) {
    for (int t = 0; t < tasks; t++) fn(t, 0);
    return;
  }
  if (tasks > kMaxTasks) {
    // More tasks than the ticket holds: rounds of kMaxTasks.
    for (int base = 0; base < tasks; base += kMaxTasks) {
      parallel_for(std::min(kMaxTasks, tasks - base), [&](int t, int thread) { fn(base + t, thread); });
    }
    return;
  }
  Pool& p = *g_pool;
  p.job = &fn;
  p.done.store(0);
  const uint64_t gen = (generation(p.ticket.load()) + 1) & ((uint64_t(1) << (64 - 2 * kTaskBits)) - 1);
  {
    std::lock_guard<std::mutex> lk(p.mu);
    p.ticket.store((gen << (2 * kTaskBits)) | ((uint64_t)tasks << kTaskBits), std::memory_order_release);
  }
  p.cv.notify_all();
  // The JS thread works too, and only waits for tasks a worker has claimed: a worker
  // descheduled by other load costs nothing unless it is mid-task.
  p.work(gen, 0);
  while (p.done.load(std::memory_order_acquire) != tasks) NZ_PAUSE();
}

}  // namespace nz
