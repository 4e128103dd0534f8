// The playbook's "watch" section (or `shardctl watch --policy FILE`): how often `watch` looks,
// when a shard counts as halted, how long a verdict must hold before anything is done, and the
// guardrails on acting (docs/watch.md, "Policy"). Every key has a safe default.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace shardctl {

struct WatchPolicy {
  Duration interval{5000};             // every node is probed this often
  Duration halt_after{60000};          // no new block for this long: halted
  Duration confirm_for{30000};         // `for_s`: a verdict must hold this long, then a fresh
                                       // probe round must repeat it, before any action
  int max_recoveries = 2;              // recovery runs per shard within window ...
  Duration window{3600000};            // ... after which the shard is gave-up
  int max_shards_at_once = 1;          // shards recovering at once, over the whole network
  int correlated_shards = 1;           // more shards than this halting within ...
  Duration correlated_window{600000};  // ... this long: page and wait for approval
  Duration after_deploy{3600000};      // a version change seen this recently: approval first
  Duration alert_repeat{60000};        // firing alerts (and the Watchdog) are re-sent this often
  bool present = false;                // read from a playbook section or a policy file
};

/// Parses a watch object. pointer is where it sits in file ("/watch" in a playbook, "" for a
/// --policy file); errors read "FILE:POINTER/key: expected X, found Y". Unknown keys are errors.
Result<WatchPolicy> ParseWatchPolicy(const nlohmann::json& watch, const std::string& file,
                                     const std::string& pointer);
/// Reads a --policy file: a JSON object with the keys of the playbook's watch section.
Result<WatchPolicy> LoadWatchPolicy(const std::string& path);

/// The policy as JSON with its keys (for `watch --dry-run` output and the journal's start line).
nlohmann::json WatchPolicyToJson(const WatchPolicy& p);

}  // namespace shardctl
