#include "pool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
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

struct Pool {
  std::vector<std::thread> workers;
  std::mutex mu;
  std::condition_variable cv;
  const std::function<void(int, int)>* job = nullptr;
  int tasks = 0;
  // (generation << 32) | next task: a worker that wakes late can only claim tasks of the
  // job it saw published, never one of a later job.
  std::atomic<uint64_t> ticket{0};
  std::atomic<int> done{0};
  bool stop = false;

  // Claims and runs tasks of generation `gen` until none are left.
  void work(uint64_t gen, int thread) {
    for (;;) {
      uint64_t v = ticket.load(std::memory_order_acquire);
      if ((v >> 32) != gen || (int)(v & 0xffffffffu) >= tasks) return;
      if (!ticket.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel)) continue;
      (*job)((int)(v & 0xffffffffu), thread);
      done.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  void loop(int thread) {
    uint64_t seen = 0;
    for (;;) {
      // Spin ~200 us for the next job before sleeping: kernels come back to back.
      auto t0 = std::chrono::steady_clock::now();
      while ((ticket.load(std::memory_order_acquire) >> 32) == seen && !stop) {
        NZ_PAUSE();
        if (std::chrono::steady_clock::now() - t0 > std::chrono::microseconds(200)) {
          std::unique_lock<std::mutex> lk(mu);
          cv.wait(lk, [&] { return (ticket.load() >> 32) != seen || stop; });
        }
      }
      if (stop) return;
      seen = ticket.load(std::memory_order_acquire) >> 32;
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
  Pool& p = *g_pool;
  p.job = &fn;
  p.tasks = tasks;
  p.done.store(0);
  uint64_t gen = (p.ticket.load() >> 32) + 1;
  {
    std::lock_guard<std::mutex> lk(p.mu);
    p.ticket.store(gen << 32, std::memory_order_release);
  }
  p.cv.notify_all();
  // The JS thread works too, and only waits for tasks a worker has claimed: a worker
  // descheduled by other load costs nothing unless it is mid-task.
  p.work(gen, 0);
  while (p.done.load(std::memory_order_acquire) != tasks) NZ_PAUSE();
}

}  // namespace nz
