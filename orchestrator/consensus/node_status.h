// What one look at a node says: reachable, running, and what its probe reported.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "model/playbook.h"

namespace shardctl {

/// The consensus fields a probe reports, read through a playbook's ProbeMap.
struct ProbeFields {
  int64_t height = -1;
  std::optional<int64_t> view_id;
  std::optional<int64_t> view_change_id;
  std::string mode;
  std::optional<bool> leader;
  std::optional<std::string> version;  // when ProbeMap::version is set and a string is there
};

/// Reads probe output (JSON text) through map. Errors name the JSON pointer and what was there.
Result<ProbeFields> ParseProbeOutput(const std::string& output, const ProbeMap& map);

struct NodeStatus {
  std::string node;
  int power = 1;
  bool reachable = false;       // the transport ran a command on it
  std::optional<bool> running;  // when asked: true if the probe answered, else is_running's
  bool answered = false;        // the probe ran and its output parsed; fields below are valid
  ProbeFields fields;
  std::string error;  // why something above is missing, for people

  bool IsMode(const std::string& mode) const { return answered && fields.mode == mode; }
};

}  // namespace shardctl
