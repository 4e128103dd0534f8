#include "support/alert_receiver.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;

bool IsResolved(const json& a) {
  if (a.value("status", "") == "resolved") return true;
  return a.contains("endsAt") && a["endsAt"].is_string() &&
         a["endsAt"].get<std::string>().rfind("0001-", 0) != 0;
}

}  // namespace

AlertReceiver::AlertReceiver() {
  server_.svr().Post("/api/v2/alerts", [this](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, false);
    std::lock_guard<std::mutex> l(mu_);
    if (body.is_array()) {
      for (const json& a : body) alerts_.push_back(a);
    }
    res.status = body.is_array() ? 200 : 400;
  });
  server_.svr().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, false);
    std::lock_guard<std::mutex> l(mu_);
    if (body.is_object()) webhooks_.push_back(body);
    res.status = body.is_object() ? 200 : 400;
  });
}

std::vector<json> AlertReceiver::Alerts() const {
  std::lock_guard<std::mutex> l(mu_);
  return alerts_;
}

std::vector<json> AlertReceiver::Webhooks() const {
  std::lock_guard<std::mutex> l(mu_);
  return webhooks_;
}

std::vector<json> AlertReceiver::Matching(const std::string& alertname, int shard,
                                          bool resolved) const {
  std::vector<json> all = Alerts();
  for (const json& w : Webhooks()) {
    for (const json& a : w.value("alerts", json::array())) all.push_back(a);
  }
  std::vector<json> out;
  for (const json& a : all) {
    const json& labels = a.value("labels", json::object());
    if (labels.value("alertname", "") != alertname) continue;
    if (shard >= 0 && labels.value("shard", "") != std::to_string(shard)) continue;
    if (IsResolved(a) == resolved) out.push_back(a);
  }
  return out;
}

std::string AlertReceiver::Describe() const {
  std::string out;
  for (const json& a : Alerts()) {
    const json& labels = a.value("labels", json::object());
    out += labels.value("alertname", "?") + " shard=" + labels.value("shard", "-") +
           (IsResolved(a) ? " resolved" : " firing") + "\n";
  }
  return out.empty() ? "(no alert received)\n" : out;
}

}  // namespace shardctl::testing
