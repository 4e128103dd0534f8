// `watch --listen ADDR`: /metrics (Prometheus text format), / (the live page), /api/state (what
// the page polls) and POST /approve (the page's button), on cpp-httplib's server in its own
// threads. Loopback by default; listening on anything wider needs a token, which every request
// must then carry (Authorization: Bearer TOKEN, or ?token= for a browser).
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <thread>

#include "base/status.h"

namespace httplib {
class Server;
}

namespace shardctl {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "::1", "0.0.0.0", ...
  int port = 0;      // 0: any free port
  bool loopback = true;
};

/// "127.0.0.1:9109", "localhost:9109", "[::1]:9109", ":9109" (every interface), "0.0.0.0:9109".
Result<ListenAddress> ParseListenAddress(const std::string& text);

struct WebHandlers {
  std::function<std::string()> metrics;   // the Prometheus text
  std::function<nlohmann::json()> state;  // what the page shows
  std::function<std::string()> page;      // the page's HTML
  /// An approval from the page; by says who (the client's address). Journaled by the callee.
  std::function<Status(int shard, const std::string& by)> approve;
};

class WebServer {
 public:
  /// Binds (an error names the address and why) and serves on its own thread. A non-loopback
  /// address without a token is refused.
  static Result<std::unique_ptr<WebServer>> Start(const ListenAddress& addr,
                                                  const std::string& token, WebHandlers handlers);
  /// Stops serving and joins the thread.
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  int port() const { return port_; }

 private:
  WebServer() = default;
  void Route();

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string token_;
  WebHandlers handlers_;
  int port_ = 0;
};

}  // namespace shardctl
