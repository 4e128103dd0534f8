// Observers that show a run: plain timestamped lines (logs, CI), JSON events (--output json),
// and a live table for a terminal (one row per shard).
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "run/events.h"

namespace shardctl {

/// "2024-05-01T03:12:45.120Z shard 1 [stop] s1-b: unreachable ...". Progress samples are shown
/// only when verbose (they come every poll interval). Not thread-safe; the engine serialises.
class PlainRenderer : public Observer {
 public:
  explicit PlainRenderer(std::ostream& out, bool verbose = false) : out_(out), verbose_(verbose) {}
  void OnEvent(const Event& e) override;

 private:
  std::ostream& out_;
  bool verbose_;
};

/// One JSON object per line (EventToJson), flushed per event so a reader can follow live.
class JsonEventRenderer : public Observer {
 public:
  explicit JsonEventRenderer(std::ostream& out) : out_(out) {}
  void OnEvent(const Event& e) override;

 private:
  std::ostream& out_;
};

/// A table redrawn in place with ANSI escapes: shard, phase, round, height, nodes up, elapsed,
/// last message. Warnings and node events scroll above it. For TTYs only.
class LiveRenderer : public Observer {
 public:
  explicit LiveRenderer(std::ostream& out) : out_(out) {}
  void OnEvent(const Event& e) override;

  /// The table's current text (no escapes); for tests.
  std::vector<std::string> Rows() const;

 private:
  struct Row {
    std::string phase = "pending";
    int round = 0;
    int64_t height = -1;
    int nodes_up = -1;
    int nodes_total = 0;
    Duration elapsed{0};
    std::string message;
  };
  void Redraw();

  std::ostream& out_;
  std::vector<int> order_;
  std::map<int, Row> rows_;
  int drawn_ = 0;  // lines of the table currently on screen
};

}  // namespace shardctl
