// Hand-made probe answers for tests of the judgements over them (gate, watch states).
#pragma once

#include <cstdint>
#include <string>

#include "consensus/node_status.h"

namespace shardctl::testing {

/// A node that answered the probe: height, mode, and view (its view-change id the same).
inline NodeStatus Answered(const std::string& name, int64_t height,
                           const std::string& mode = "Normal", int64_t view = 10, int power = 1) {
  NodeStatus n;
  n.node = name;
  n.power = power;
  n.reachable = true;
  n.answered = true;
  n.fields.height = height;
  n.fields.mode = mode;
  n.fields.view_id = view;
  n.fields.view_change_id = view;
  return n;
}

/// A node reached over SSH whose probe failed and whose is_running said stopped.
inline NodeStatus Stopped(const std::string& name) {
  NodeStatus n;
  n.node = name;
  n.reachable = true;
  n.running = false;
  n.error = "probe: exit 7";
  return n;
}

/// A node whose probe timed out while is_running said it runs: no evidence either way.
inline NodeStatus TimedOut(const std::string& name) {
  NodeStatus n = Stopped(name);
  n.running = true;
  n.error = "probe: timed out after 2s";
  return n;
}

}  // namespace shardctl::testing
