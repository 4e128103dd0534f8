// An HTTP server on 127.0.0.1 for tests that speak HTTP: release downloads, probes (cpp-httplib).
#pragma once

#include <httplib.h>

#include <string>
#include <thread>

namespace shardctl::testing {

/// Listens on a port the kernel picks on 127.0.0.1 from construction (check ok()) until
/// destruction, also when a test fails. Add handlers with svr() before the first request.
class ArtifactServer {
 public:
  ArtifactServer();
  ~ArtifactServer();
  ArtifactServer(const ArtifactServer&) = delete;
  ArtifactServer& operator=(const ArtifactServer&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  httplib::Server& svr() { return svr_; }
  /// "http://127.0.0.1:PORT" + path.
  std::string Url(const std::string& path) const;

  /// Serves body at path with 200 (or status) and content type.
  void Serve(const std::string& path, std::string body, int status = 200,
             const std::string& content_type = "application/octet-stream");
  /// Declares body's full length, sends the first half, then drops the connection.
  void ServeTruncated(const std::string& path, std::string body);

 private:
  httplib::Server svr_;
  int port_ = -1;
  std::thread thread_;
};

}  // namespace shardctl::testing
