// `shardctl watch` run the way systemd runs it (the real binary, in the background), for the
// sandbox tests: its --listen port, its metrics and page, its journal, and stopping or killing
// it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/shardctl_cli.h"

namespace shardctl::testing {

/// Every line of STATE_DIR/watch/NETWORK.jsonl (empty when there is none yet).
std::vector<nlohmann::json> WatchLines(const std::string& state_dir,
                                       const std::string& network = "sandbox");
/// The lines matching pred.
std::vector<nlohmann::json> WatchLinesWhere(const std::string& state_dir,
                                            const std::function<bool(const nlohmann::json&)>& pred);
/// Waits until some line matches pred.
bool WaitForWatchLine(const std::string& state_dir,
                      const std::function<bool(const nlohmann::json&)>& pred,
                      std::chrono::milliseconds timeout);
/// A state line for shard entering state ("stuck", "healthy", ...).
std::function<bool(const nlohmann::json&)> EnteredState(int shard, const std::string& state);
/// Wall-clock now in Unix milliseconds (comparable with journal lines).
int64_t NowUnixMs();
/// Waits until every shard of shards entered state `to` at or after since_ms (its latest state
/// line is that one or later).
bool WaitForShardsIn(const std::string& state_dir, const std::vector<int>& shards,
                     const std::string& to, int64_t since_ms, std::chrono::milliseconds timeout);
/// A decision line for shard: acted (guardrail "") or held by guardrail.
std::function<bool(const nlohmann::json&)> Decided(int shard, const std::string& guardrail);

class WatchProcess {
 public:
  /// `shardctl watch -i inventory -p playbook --state-dir state_dir --listen 127.0.0.1:PORT
  /// extra...`, stdout and stderr to out_file.
  WatchProcess(const std::string& inventory, const std::string& playbook,
               const std::string& state_dir, const std::vector<std::string>& extra,
               const std::string& out_file);

  int port() const { return port_; }
  std::string Url(const std::string& path) const;
  /// GET path on --listen; "" when it does not answer 200.
  std::string Get(const std::string& path) const;
  /// Probe rounds done so far (shardctl_probe_duration_seconds_count), -1 unknown.
  int64_t Rounds() const;
  /// Waits until n more probe rounds are done: "for a while" without a sleep.
  bool WaitRounds(int n, std::chrono::milliseconds timeout) const;
  /// SIGTERM and the exit status (130 expected), -1 if it did not end within timeout.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(90));
  void Kill9();
  const std::string& out_file() const { return out_file_; }

 private:
  int port_ = 0;
  std::string out_file_;
  std::unique_ptr<ShardctlProcess> proc_;
};

}  // namespace shardctl::testing
