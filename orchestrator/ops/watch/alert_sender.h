// Delivers alerts to Alertmanager (POST URL/api/v2/alerts) and to a webhook (the Alertmanager
// webhook payload, version "4") from its own thread, so a slow or dead receiver never holds
// the watch loop up: Send only queues. Every request has a connect, read and write timeout; a
// failed delivery is retried with the next Send, newest state of each alert first.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "ops/watch/alerts.h"

namespace shardctl {

struct AlertTargets {
  std::string alertmanager;   // base URL ("http://127.0.0.1:9093"); "" none
  std::string webhook;        // full URL; "" none
  std::string network;        // the network label
  std::string generator_url;  // where the watcher's page is, if it serves one
  Duration timeout{3000};     // per request: connect, read and write each
};

/// Checks a URL is http(s)://HOST[:PORT][/PATH] (https only in a build with TLS); what the
/// flags --alertmanager and --webhook accept.
Status CheckAlertUrl(const std::string& flag, const std::string& url);

class AlertSender {
 public:
  explicit AlertSender(AlertTargets targets);
  /// Stops the thread after one last attempt at what is queued (bounded by the timeouts).
  ~AlertSender();
  AlertSender(const AlertSender&) = delete;
  AlertSender& operator=(const AlertSender&) = delete;

  /// Queues alerts (a newer state of the same alert replaces a queued one). Never blocks on the
  /// network.
  void Send(const std::vector<Alert>& alerts);
  /// Deliveries that failed so far, and the last error ("" none).
  int failures() const;
  std::string last_error() const;

 private:
  using Key = std::pair<AlertName, int>;
  void Loop();
  /// Posts alerts to every target; false (and last_error_) when any post failed.
  bool Deliver(const std::vector<Alert>& alerts);
  Status Post(const std::string& url, const std::string& body);

  const AlertTargets targets_;
  std::thread thread_;

  mutable std::mutex mu_;  // guards the members below
  std::condition_variable wake_;
  std::map<Key, Alert> queue_;
  bool stopping_ = false;
  uint64_t sends_ = 0;  // Send calls so far: a failed delivery waits for the next one
  int failures_ = 0;
  std::string last_error_;
};

}  // namespace shardctl
