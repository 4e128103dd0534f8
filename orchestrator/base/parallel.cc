#include "base/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace shardctl {

void ParallelFor(size_t n, int max_parallel, const std::function<void(size_t)>& fn) {
  size_t workers = max_parallel < 1 ? n : std::min(n, static_cast<size_t>(max_parallel));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
}

}  // namespace shardctl
