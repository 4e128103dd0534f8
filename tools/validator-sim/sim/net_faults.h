// Network faults a drill injects into one running node, read from a small text file in the node's
// dir (`net-faults`, path from the config) that the node re-reads while it runs:
//
//   # comment
//   block s0-n1      drop every datagram to and from peer s0-n1 ("block *": every peer)
//   delay_ms 400     hold every datagram this node sends for 400 ms before it goes out
//
// A missing or empty file means no faults. `tools/sandbox-node` writes and removes it
// (`ctl partition`, `ctl slow`, `ctl heal`).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace vsim {

using shardctl::Duration;
using shardctl::TimePoint;

struct NetFaults {
  bool block_all = false;
  std::set<std::string> blocked;  ///< peer names
  Duration delay{0};

  /// True when datagrams to and from `peer` are dropped.
  bool Blocks(const std::string& peer) const { return block_all || blocked.count(peer) > 0; }
  bool empty() const { return !block_all && blocked.empty() && delay.count() == 0; }
  /// "none", or e.g. "block s0-n1,s0-n2; delay 400 ms".
  std::string Describe() const;
  bool operator==(const NetFaults&) const = default;
};

/// Parses the file's text; errors name `source`, the line and what was expected.
shardctl::Result<NetFaults> ParseNetFaults(const std::string& text, const std::string& source);

/// The net-faults file of one node, re-read when its size or modification time changes.
class NetFaultsFile {
 public:
  explicit NetFaultsFile(std::string path) : path_(std::move(path)) {}

  /// Re-reads the file if it changed. Returns a log line when the faults in force changed or the
  /// file is malformed (then the faults in force stay as they were), else nothing.
  std::optional<std::string> Refresh();
  const NetFaults& current() const { return current_; }

 private:
  std::string path_;
  std::string stamp_;  // size and mtime of the version last read; "" = absent
  NetFaults current_;
};

/// Datagrams held back by a delay fault, released in order of due time.
class DelayQueue {
 public:
  struct Item {
    TimePoint due;
    uint32_t to = 0;
    std::string data;
  };

  void Push(Item item);
  /// Removes and returns every item due at or before now, oldest first.
  std::vector<Item> PopDue(TimePoint now);
  /// The earliest due time, if any item waits.
  std::optional<TimePoint> NextDue() const;
  size_t size() const { return items_.size(); }

 private:
  std::deque<Item> items_;  // sorted by due (delays are pushed with non-decreasing due times)
};

}  // namespace vsim
