// probe.http: a probe sent as an HTTP request that the node's sshd forwards to a port on the node
// (direct-tcpip over the session shardctl already holds), so probing starts no process there.
// Format: docs/playbooks.md, "probe".
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

/// One request to a port on a node, as seen from the node itself (its loopback by default).
struct HttpRequest {
  std::string host = "127.0.0.1";  // as the node resolves it
  int port = 0;
  std::string method = "POST";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// "POST 127.0.0.1:9500/": how messages and the fake transport's record name the request.
  std::string Describe() const;
};

/// The playbook's template of that request. host, port, path and header values may hold
/// {{placeholders}} over the node's vars, and so may the body's string values; values are
/// substituted as they are (no shell is involved), and a rendered value holding a control
/// character is refused, so a var cannot add a header or a second request.
struct HttpProbe {
  std::string host = "127.0.0.1";
  std::string port;  // "{{rpc_port}}" or digits
  std::string method = "POST";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // JSON text (empty: no body)

  bool empty() const { return port.empty(); }
};

/// Parses probe.http at `pointer` of file; errors read "FILE:/probe/http/port: expected ...".
Result<HttpProbe> ParseHttpProbe(const nlohmann::json& value, const std::string& file,
                                 const std::string& pointer);

/// The request for node; errors name the node and the field.
Result<HttpRequest> RenderHttpProbe(const HttpProbe& probe, const Node& node);

}  // namespace shardctl
