// A private etcd (Debian's etcd-server) for tests: one member on two free loopback ports with
// its data in a temp dir, killed and reaped when the object dies (also when a test fails).
#pragma once

#include <sys/types.h>

#include <string>

#include "support/test_util.h"

namespace shardctl::testing {

class LocalEtcd {
 public:
  /// Starts etcd and waits (up to 20 s) until it answers /health. Check ok() before use. With
  /// cert_file and key_file it serves clients over https with that certificate.
  explicit LocalEtcd(const std::string& cert_file = "", const std::string& key_file = "");
  ~LocalEtcd();
  LocalEtcd(const LocalEtcd&) = delete;
  LocalEtcd& operator=(const LocalEtcd&) = delete;

  bool ok() const { return ok_; }
  /// Why it did not start, with the tail of its log.
  const std::string& error() const { return error_; }
  /// "http://127.0.0.1:PORT" (https with a certificate).
  std::string endpoint() const {
    return (tls_ ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(client_port_);
  }
  /// SIGKILL and reap now (the destructor then does nothing).
  void Kill();

 private:
  TempDir temp_;
  pid_t pid_ = -1;
  int client_port_ = 0;
  int peer_port_ = 0;
  bool tls_ = false;
  bool ok_ = false;
  std::string error_;
};

/// Writes out_path: the inventory at inventory_path with a lock.etcd section naming etcd (TTL
/// ttl_s). Returns out_path.
std::string WithEtcdLock(const std::string& inventory_path, const std::string& out_path,
                         const LocalEtcd& etcd, int ttl_s);

}  // namespace shardctl::testing
