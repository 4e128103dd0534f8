// What watch pages about, in Alertmanager's terms: an alert is a set of labels (alertname,
// network, shard, severity), annotations with the evidence, startsAt, and endsAt once resolved.
// AlertBook keeps the firing ones and says what to send when: each change at once, and every
// firing alert again every alert_repeat (Alertmanager forgets alerts that are not re-sent).
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "ops/watch/watch_schema.h"

namespace shardctl {

struct Alert {
  AlertName name = AlertName::kWatchdog;
  int shard = -1;                                  // -1: about the whole network (no shard label)
  std::map<std::string, std::string> annotations;  // summary, description, ...
  int64_t starts_unix_ms = 0;
  int64_t ends_unix_ms = 0;  // 0 while firing

  bool resolved() const { return ends_unix_ms != 0; }
};

/// "critical", "warning" or "none" (the Watchdog).
const char* AlertSeverity(AlertName name);
/// The labels Alertmanager groups and routes by.
std::map<std::string, std::string> AlertLabels(const Alert& a, const std::string& network);
/// One element of POST /api/v2/alerts.
nlohmann::json AlertToApiJson(const Alert& a, const std::string& network,
                              const std::string& generator_url);
/// The Alertmanager webhook payload (version "4") carrying one alert.
nlohmann::json AlertToWebhookJson(const Alert& a, const std::string& network,
                                  const std::string& generator_url);

/// Not thread-safe: the watcher's loop owns it.
class AlertBook {
 public:
  /// clock must outlive this object.
  AlertBook(Duration repeat, Clock& clock) : repeat_(repeat), clock_(clock) {}

  /// Fires the alert, or updates its annotations if it fires already. True when it was not
  /// firing before.
  bool Fire(AlertName name, int shard, std::map<std::string, std::string> annotations);
  /// Resolves it (endsAt now), adding a "resolution" annotation. True when it was firing.
  bool Resolve(AlertName name, int shard, const std::string& resolution);
  /// Sets one annotation of a firing alert (re-sent when it changed); nothing when not firing.
  void Annotate(AlertName name, int shard, const std::string& key, const std::string& value);
  bool Firing(AlertName name, int shard) const;
  /// Every alert firing now.
  std::vector<Alert> FiringAlerts() const;
  /// What to send now: every change since the last call, and each firing alert not sent for
  /// `repeat`. Resolved alerts are sent once, then forgotten.
  std::vector<Alert> Due();

 private:
  using Key = std::pair<AlertName, int>;
  struct Entry {
    Alert alert;
    bool changed = true;
    TimePoint sent_at;
  };

  const Duration repeat_;
  Clock& clock_;
  std::map<Key, Entry> alerts_;
};

}  // namespace shardctl
