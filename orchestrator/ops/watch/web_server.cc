#include "ops/watch/web_server.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "model/json_text.h"

namespace shardctl {
namespace {

// Each connection's reads and writes give up after this: a stalled client holds no thread.
constexpr time_t kIoTimeoutS = 5;

bool IsLoopbackHost(const std::string& host) {
  return host.rfind("127.", 0) == 0 || host == "::1" || host == "localhost";
}

// Compares in time independent of where a guessed token first differs.
bool SameToken(const std::string& given, const std::string& token) {
  if (token.empty() || given.size() != token.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < token.size(); ++i) diff |= given[i] ^ token[i];
  return diff == 0;
}

void Reply(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(ToJsonText(body), "application/json");
}

}  // namespace

Result<ListenAddress> ParseListenAddress(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Status::Invalid("--listen " + text + ": " + why +
                           " (expected HOST:PORT, e.g. 127.0.0.1:9109 or [::1]:9109)");
  };
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) return bad("no port");
  ListenAddress a;
  a.host = text.substr(0, colon);
  auto port = ParseDecimal(text.substr(colon + 1), 0, 65535);
  if (!port) return bad("the port is not a number from 0 to 65535");
  a.port = static_cast<int>(*port);
  if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']') {
    a.host = a.host.substr(1, a.host.size() - 2);
  }
  if (a.host.empty()) a.host = "0.0.0.0";
  if (a.host == "localhost") a.host = "127.0.0.1";
  a.loopback = IsLoopbackHost(a.host);
  return a;
}

Result<std::unique_ptr<WebServer>> WebServer::Start(const ListenAddress& addr,
                                                    const std::string& token,
                                                    WebHandlers handlers) {
  if (!addr.loopback && token.empty()) {
    return Status::Invalid("--listen " + addr.host + ":" + std::to_string(addr.port) +
                           " is reachable from other machines: give --token-file FILE (every "
                           "request must then carry the token), or listen on 127.0.0.1");
  }
  std::unique_ptr<WebServer> w(new WebServer());
  w->server_ = std::make_unique<httplib::Server>();
  w->token_ = token;
  w->handlers_ = std::move(handlers);
  w->server_->set_read_timeout(kIoTimeoutS, 0);
  w->server_->set_write_timeout(kIoTimeoutS, 0);
  w->Route();
  w->port_ = addr.port == 0 ? w->server_->bind_to_any_port(addr.host)
                            : (w->server_->bind_to_port(addr.host, addr.port) ? addr.port : -1);
  if (w->port_ <= 0) {
    return Status::Io("--listen " + addr.host + ":" + std::to_string(addr.port) +
                      ": cannot bind (in use, or not an address of this machine)");
  }
  httplib::Server* server = w->server_.get();
  w->thread_ = std::thread([server] { server->listen_after_bind(); });
  return w;
}

WebServer::~WebServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void WebServer::Route() {
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (token_.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string auth = req.get_header_value("Authorization");
    std::string given =
        auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : req.get_param_value("token");
    if (SameToken(given, token_)) return httplib::Server::HandlerResponse::Unhandled;
    Reply(res, 401, {{"error", "a token is required (Authorization: Bearer TOKEN)"}});
    return httplib::Server::HandlerResponse::Handled;
  });
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        Reply(res, 500, {{"error", "internal error"}});
      });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(handlers_.metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/api/state", [this](const httplib::Request&, httplib::Response& res) {
    Reply(res, 200, handlers_.state());
  });
  server_->Get("/", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(handlers_.page(), "text/html; charset=utf-8");
  });
  server_->Post("/approve", [this](const httplib::Request& req, httplib::Response& res) {
    // A custom header cannot be sent cross-origin without a preflight this server never
    // answers: another site open in the operator's browser cannot approve.
    if (req.get_header_value("X-Shardctl-Approve") != "1") {
      return Reply(res, 403, {{"error", "missing X-Shardctl-Approve: 1"}});
    }
    auto body = ParseJsonText(req.body, "approve request");
    if (!body.ok() || !body->is_object() || !body->contains("shard") ||
        !(*body)["shard"].is_number_integer()) {
      return Reply(res, 400, {{"error", "expected {\"shard\": N}"}});
    }
    Status s = handlers_.approve((*body)["shard"].get<int>(), "page from " + req.remote_addr);
    if (!s.ok()) return Reply(res, 400, {{"error", s.message()}});
    Reply(res, 200, {{"ok", true}});
  });
}

}  // namespace shardctl
