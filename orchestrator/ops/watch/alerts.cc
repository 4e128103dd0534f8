#include "ops/watch/alerts.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/text.h"

namespace shardctl {
namespace {

using nlohmann::json;

// Alertmanager's zero time: what a webhook says for endsAt while an alert fires.
constexpr const char* kZeroTime = "0001-01-01T00:00:00Z";

// A stable id of a label set (FNV-1a 64 over the sorted labels), as Alertmanager's webhook
// carries one.
std::string Fingerprint(const std::map<std::string, std::string>& labels) {
  uint64_t h = 1469598103934665603ull;
  for (const auto& [k, v] : labels) {
    for (const std::string* s : {&k, &v}) {
      for (unsigned char c : *s) h = (h ^ c) * 1099511628211ull;
      h = (h ^ 0xff) * 1099511628211ull;
    }
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

}  // namespace

const char* AlertSeverity(AlertName name) {
  switch (name) {
    case AlertName::kShardHalted:
    case AlertName::kShardStuck:
    case AlertName::kGaveUp:
    case AlertName::kApprovalNeeded:
      return "critical";
    case AlertName::kRecoveryStarted:
    case AlertName::kWatchPaused:
      return "warning";
    case AlertName::kWatchdog:
      return "none";
  }
  return "warning";
}

std::map<std::string, std::string> AlertLabels(const Alert& a, const std::string& network) {
  std::map<std::string, std::string> labels = {{"alertname", AlertNameText(a.name)},
                                               {"network", network},
                                               {"severity", AlertSeverity(a.name)}};
  if (a.shard >= 0) labels["shard"] = std::to_string(a.shard);
  return labels;
}

json AlertToApiJson(const Alert& a, const std::string& network, const std::string& generator_url) {
  json j = {{"labels", AlertLabels(a, network)},
            {"annotations", a.annotations},
            {"startsAt", FormatUtc(a.starts_unix_ms)}};
  if (a.resolved()) j["endsAt"] = FormatUtc(a.ends_unix_ms);
  if (!generator_url.empty()) j["generatorURL"] = generator_url;
  return j;
}

json AlertToWebhookJson(const Alert& a, const std::string& network,
                        const std::string& generator_url) {
  auto labels = AlertLabels(a, network);
  std::map<std::string, std::string> group = {{"alertname", labels["alertname"]}};
  if (a.shard >= 0) group["shard"] = labels["shard"];
  std::string status = a.resolved() ? "resolved" : "firing";
  json alert = {{"status", status},
                {"labels", labels},
                {"annotations", a.annotations},
                {"startsAt", FormatUtc(a.starts_unix_ms)},
                {"endsAt", a.resolved() ? FormatUtc(a.ends_unix_ms) : kZeroTime},
                {"generatorURL", generator_url},
                {"fingerprint", Fingerprint(labels)}};
  std::string key = "{}:{alertname=\"" + labels["alertname"] + "\"" +
                    (a.shard >= 0 ? ", shard=\"" + labels["shard"] + "\"" : "") + "}";
  return {{"version", "4"},
          {"groupKey", key},
          {"truncatedAlerts", 0},
          {"status", status},
          {"receiver", "shardctl-watch"},
          {"groupLabels", group},
          {"commonLabels", labels},
          {"commonAnnotations", a.annotations},
          {"externalURL", generator_url},
          {"alerts", json::array({alert})}};
}

bool AlertBook::Fire(AlertName name, int shard, std::map<std::string, std::string> annotations) {
  auto it = alerts_.find({name, shard});
  if (it != alerts_.end() && !it->second.alert.resolved()) {
    if (it->second.alert.annotations != annotations) {
      it->second.alert.annotations = std::move(annotations);
      it->second.changed = true;
    }
    return false;
  }
  Entry e;
  e.alert = Alert{name, shard, std::move(annotations), clock_.UnixMillis(), 0};
  alerts_[{name, shard}] = std::move(e);
  return true;
}

bool AlertBook::Resolve(AlertName name, int shard, const std::string& resolution) {
  auto it = alerts_.find({name, shard});
  if (it == alerts_.end() || it->second.alert.resolved()) return false;
  it->second.alert.ends_unix_ms = clock_.UnixMillis();
  it->second.alert.annotations["resolution"] = resolution;
  it->second.changed = true;
  return true;
}

void AlertBook::Annotate(AlertName name, int shard, const std::string& key,
                         const std::string& value) {
  auto it = alerts_.find({name, shard});
  if (it == alerts_.end() || it->second.alert.resolved()) return;
  std::string& v = it->second.alert.annotations[key];
  if (v == value) return;
  v = value;
  it->second.changed = true;
}

bool AlertBook::Firing(AlertName name, int shard) const {
  auto it = alerts_.find({name, shard});
  return it != alerts_.end() && !it->second.alert.resolved();
}

std::vector<Alert> AlertBook::FiringAlerts() const {
  std::vector<Alert> out;
  for (const auto& [key, e] : alerts_) {
    if (!e.alert.resolved()) out.push_back(e.alert);
  }
  return out;
}

std::vector<Alert> AlertBook::Due() {
  std::vector<Alert> out;
  TimePoint now = clock_.Now();
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    Entry& e = it->second;
    if (e.changed || now - e.sent_at >= repeat_) {
      out.push_back(e.alert);
      e.changed = false;
      e.sent_at = now;
    }
    it = e.alert.resolved() ? alerts_.erase(it) : std::next(it);
  }
  return out;
}

}  // namespace shardctl
