// A deterministic in-memory shard for tests and experiments: N Nodes on one FakeClock, messages
// delivered after a fixed delay, "disks" that survive Kill/Start. Time jumps from event to event,
// so minutes of simulated consensus take milliseconds.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "base/clock.h"
#include "sim/node.h"

namespace vsim {

class SimNetwork {
 public:
  /// One node per entry of voting_power; none is running until Start. clock must outlive this.
  SimNetwork(std::vector<uint64_t> voting_power, ConsensusParams params, shardctl::FakeClock* clock,
             Duration delay = Duration(1));

  /// Boots node i from its disk (Syncing first). No-op if it is running.
  void Start(uint32_t i);
  /// Stops node i at once (like kill -9); its disk keeps every block it had appended.
  void Kill(uint32_t i);
  bool running(uint32_t i) const { return nodes_[i] != nullptr; }
  /// The running node i (must be running).
  Node& node(uint32_t i) { return *nodes_[i]; }
  const std::vector<Block>& disk(uint32_t i) const { return disks_[i]; }
  uint32_t size() const { return static_cast<uint32_t>(disks_.size()); }
  /// Highest block on any disk.
  uint64_t MaxHeight() const;

  /// Runs the shard for d of simulated time.
  void RunFor(Duration d);
  /// Runs until pred() holds (checked after every event) or `limit` passes; true if it held.
  bool RunUntil(const std::function<bool()>& pred, Duration limit);

  /// Every log line of every node goes here when set (tests use it to debug).
  std::function<void(uint32_t node, const std::string& line)> on_log;

 private:
  struct InFlight {
    TimePoint at;
    uint32_t to;
    Message msg;
  };
  void Drain(uint32_t i);
  /// Delivers every message due now, then ticks every running node.
  void ProcessNow();
  /// Moves the clock to the next message or deadline (at least 1 ms, at most to end).
  void AdvanceToNextEvent(TimePoint end);

  std::vector<uint64_t> power_;
  ConsensusParams params_;
  shardctl::FakeClock* clock_;
  Duration delay_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::vector<Block>> disks_;
  std::deque<InFlight> in_flight_;  ///< Sorted by time: every message has the same delay.
};

}  // namespace vsim
