// A receiver for watch's alerts in tests: Alertmanager's POST /api/v2/alerts and a webhook
// (POST /hook), on 127.0.0.1 (cpp-httplib), recording every alert it is sent.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/artifact_server.h"

namespace shardctl::testing {

class AlertReceiver {
 public:
  AlertReceiver();
  bool ok() const { return server_.ok(); }
  /// For --alertmanager.
  std::string AlertmanagerUrl() const { return server_.Url(""); }
  /// For --webhook.
  std::string WebhookUrl() const { return server_.Url("/hook"); }

  /// Every alert posted to /api/v2/alerts, in arrival order.
  std::vector<nlohmann::json> Alerts() const;
  /// Every webhook payload, in arrival order.
  std::vector<nlohmann::json> Webhooks() const;
  /// Alerts (either endpoint's) named alertname, for shard (-1: any), firing or resolved.
  std::vector<nlohmann::json> Matching(const std::string& alertname, int shard,
                                       bool resolved) const;
  bool Got(const std::string& alertname, int shard, bool resolved) const {
    return !Matching(alertname, shard, resolved).empty();
  }
  /// "ShardctlShardHalted shard=1 firing" per alert received, for failure messages.
  std::string Describe() const;

 private:
  ArtifactServer server_;
  mutable std::mutex mu_;
  std::vector<nlohmann::json> alerts_;    // GUARDED_BY(mu_)
  std::vector<nlohmann::json> webhooks_;  // GUARDED_BY(mu_)
};

}  // namespace shardctl::testing
