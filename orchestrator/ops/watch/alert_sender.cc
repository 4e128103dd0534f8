#include "ops/watch/alert_sender.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "model/json_text.h"

namespace shardctl {
namespace {

// At most this many alerts wait for delivery; the oldest are dropped beyond (a receiver down
// for hours must not grow the watcher without bound).
constexpr size_t kMaxQueued = 1000;

struct UrlParts {
  std::string origin;  // "http://host:port"
  std::string path;    // "/x" or ""
};

std::optional<UrlParts> SplitUrl(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return std::nullopt;
  std::string s = url.substr(0, scheme);
  if (s != "http" && s != "https") return std::nullopt;
  size_t slash = url.find('/', scheme + 3);
  UrlParts p{url.substr(0, slash), slash == std::string::npos ? "" : url.substr(slash)};
  if (p.origin.size() <= scheme + 3) return std::nullopt;
  return p;
}

}  // namespace

Status CheckAlertUrl(const std::string& flag, const std::string& url) {
  auto parts = SplitUrl(url);
  if (!parts || !httplib::Client(parts->origin).is_valid()) {
    return Status::Invalid(flag + " " + url + ": expected http(s)://HOST[:PORT][/PATH]");
  }
  return Status::Ok();
}

AlertSender::AlertSender(AlertTargets targets) : targets_(std::move(targets)) {
  thread_ = std::thread([this] { Loop(); });
}

AlertSender::~AlertSender() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AlertSender::Send(const std::vector<Alert>& alerts) {
  if (alerts.empty()) return;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (const Alert& a : alerts) queue_[{a.name, a.shard}] = a;
    ++sends_;
    while (queue_.size() > kMaxQueued) queue_.erase(queue_.begin());
  }
  wake_.notify_all();
}

int AlertSender::failures() const {
  std::lock_guard<std::mutex> l(mu_);
  return failures_;
}

std::string AlertSender::last_error() const {
  std::lock_guard<std::mutex> l(mu_);
  return last_error_;
}

void AlertSender::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  while (true) {
    wake_.wait(l, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping with nothing left
    std::map<Key, Alert> batch;
    batch.swap(queue_);
    bool last = stopping_;
    l.unlock();
    std::vector<Alert> alerts;
    for (auto& [key, a] : batch) alerts.push_back(std::move(a));
    bool ok = Deliver(alerts);
    l.lock();
    if (last) return;
    if (ok) continue;
    // Retried with the next Send; a newer state queued meanwhile wins.
    for (Alert& a : alerts) queue_.emplace(Key{a.name, a.shard}, std::move(a));
    uint64_t seen = sends_;
    wake_.wait(l, [&] { return stopping_ || sends_ != seen; });  // the next Send, or stop
  }
}

bool AlertSender::Deliver(const std::vector<Alert>& alerts) {
  std::vector<Status> failed;
  if (!targets_.alertmanager.empty()) {
    nlohmann::json body = nlohmann::json::array();
    for (const Alert& a : alerts) {
      body.push_back(AlertToApiJson(a, targets_.network, targets_.generator_url));
    }
    Status s = Post(targets_.alertmanager + "/api/v2/alerts", ToJsonText(body));
    if (!s.ok()) failed.push_back(s);
  }
  for (const Alert& a : alerts) {
    if (targets_.webhook.empty()) break;
    auto payload = AlertToWebhookJson(a, targets_.network, targets_.generator_url);
    Status s = Post(targets_.webhook, ToJsonText(payload));
    if (!s.ok()) {
      failed.push_back(s);
      break;  // the receiver is down: the rest waits for the retry, not a timeout each
    }
  }
  std::lock_guard<std::mutex> l(mu_);
  failures_ += static_cast<int>(failed.size());
  if (!failed.empty()) last_error_ = failed.back().message();
  return failed.empty();
}

Status AlertSender::Post(const std::string& url, const std::string& body) {
  auto parts = SplitUrl(url);
  if (!parts) return Status::Invalid("bad alert URL " + url);
  httplib::Client client(parts->origin);
  time_t s = static_cast<time_t>(targets_.timeout.count() / 1000);
  time_t us = static_cast<time_t>(targets_.timeout.count() % 1000 * 1000);
  client.set_connection_timeout(s, us);
  client.set_read_timeout(s, us);
  client.set_write_timeout(s, us);
  auto res = client.Post(parts->path.empty() ? "/" : parts->path.c_str(), body, "application/json");
  if (!res) return Status::Unreachable("alert to " + url + ": " + httplib::to_string(res.error()));
  if (res->status / 100 != 2) {
    return Status::Failed("alert to " + url + ": HTTP " + std::to_string(res->status));
  }
  return Status::Ok();
}

}  // namespace shardctl
