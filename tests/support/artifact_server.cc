#include "support/artifact_server.h"

#include <chrono>
#include <memory>

#include "support/test_util.h"

namespace shardctl::testing {

ArtifactServer::ArtifactServer() {
  port_ = svr_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) return;
  thread_ = std::thread([this] { svr_.listen_after_bind(); });
  if (!WaitFor([this] { return svr_.is_running(); }, std::chrono::seconds(10))) port_ = -1;
}

ArtifactServer::~ArtifactServer() {
  svr_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string ArtifactServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void ArtifactServer::Serve(const std::string& path, std::string body, int status,
                           const std::string& content_type) {
  auto shared = std::make_shared<const std::string>(std::move(body));
  svr_.Get(path, [shared, status, content_type](const httplib::Request&, httplib::Response& res) {
    res.status = status;
    res.set_content(*shared, content_type.c_str());
  });
}

void ArtifactServer::ServeTruncated(const std::string& path, std::string body) {
  auto shared = std::make_shared<const std::string>(std::move(body));
  svr_.Get(path, [shared](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(shared->size(), "application/octet-stream",
                             [shared](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset > 0) return false;
                               sink.write(shared->data(), shared->size() / 2);
                               return true;
                             });
  });
}

void ArtifactServer::ServeTrickle(const std::string& path, size_t bytes,
                                  std::chrono::milliseconds every,
                                  std::chrono::milliseconds give_up) {
  svr_.Get(path, [bytes, every, give_up](const httplib::Request&, httplib::Response& res) {
    auto until = std::chrono::steady_clock::now() + give_up;
    res.set_content_provider(bytes, "application/octet-stream",
                             [every, until](size_t, size_t, httplib::DataSink& sink) {
                               if (std::chrono::steady_clock::now() > until) return false;
                               // The slow link itself, not a wait for a condition.
                               std::this_thread::sleep_for(every);
                               return sink.is_writable() && sink.write("x", 1);
                             });
  });
}

}  // namespace shardctl::testing
