// Watches a sandbox's shards from outside while shardctl works on them: polls every node's
// hmyv2_blockNumber (one thread and one kept-alive HTTP connection per node) and records, per
// shard, each moment the top height rose. Stalls are the gaps between rises.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "support/sandbox_fixture.h"

namespace shardctl::testing {

class HeightMonitor {
 public:
  using WallTime = std::chrono::system_clock::time_point;  // comparable with journal unix_ms
  struct Rise {
    WallTime at;
    int64_t height;
  };
  struct Stall {
    WallTime from, to;  // last rise before, first rise after
    std::chrono::milliseconds length() const {
      return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
    }
  };

  /// Starts polling at once, every `period`.
  HeightMonitor(const std::vector<SandboxNode>& nodes, std::chrono::milliseconds period);
  ~HeightMonitor();
  HeightMonitor(const HeightMonitor&) = delete;
  HeightMonitor& operator=(const HeightMonitor&) = delete;

  /// Stops polling; adds a final gap from the last rise to now, so a halt at the end counts.
  void Stop();
  std::vector<Rise> Rises(int shard) const;
  /// Every gap between consecutive rises (and to the moment Stop was called).
  std::vector<Stall> Stalls(int shard) const;

 private:
  void Poll(const SandboxNode& node, std::chrono::milliseconds period);

  const std::vector<SandboxNode> nodes_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::map<int, std::vector<Rise>> rises_;
  WallTime stopped_at_;
  std::vector<std::thread> threads_;
};

}  // namespace shardctl::testing
