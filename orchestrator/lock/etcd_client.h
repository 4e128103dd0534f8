// The few calls of etcd's v3 API a lock needs, over its JSON gateway (HTTP POST, int64 as
// strings, keys and values base64). Every call has a timeout; endpoints are tried in order.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

struct EtcdKv {
  std::string key;
  std::string value;
  int64_t lease = 0;  // 0: none
  int64_t create_revision = 0;
};

/// Errors: kUnreachable when no endpoint answered (connect, TLS, timeout), kFailed when etcd
/// answered with an error (its message included), kInvalid when https is asked of a build
/// without TLS or a reply is not what the API promises.
class EtcdClient {
 public:
  explicit EtcdClient(EtcdLockConfig cfg, Duration timeout = Duration(3000));

  /// A new lease living ttl_s without keepalive; its id.
  Result<int64_t> Grant(int64_t ttl_s);
  /// One keepalive; the lease's remaining TTL in seconds, 0 when it no longer exists.
  Result<int64_t> KeepAlive(int64_t lease);
  /// Ends the lease and deletes its keys. A lease that no longer exists is not an error.
  Status Revoke(int64_t lease);
  /// Puts key=value bound to lease if the key does not exist (create_revision == 0).
  /// nullopt when created; else the key as it stands (who holds it).
  Result<std::optional<EtcdKv>> CreateIfAbsent(const std::string& key, const std::string& value,
                                               int64_t lease);
  /// Every key starting with prefix.
  Result<std::vector<EtcdKv>> RangePrefix(const std::string& prefix);
  /// Puts key=value with no lease (it outlives its writer).
  Status Put(const std::string& key, const std::string& value);
  /// The key, if it exists.
  Result<std::optional<EtcdKv>> Get(const std::string& key);
  /// Deletes the key (absent is fine).
  Status Delete(const std::string& key);

  const EtcdLockConfig& config() const { return cfg_; }

 private:
  /// POSTs body to path on the first endpoint that answers; the reply's JSON.
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> PostTo(const std::string& endpoint, const std::string& path,
                                const std::string& body);

  EtcdLockConfig cfg_;
  Duration timeout_;
};

/// Reads an int64 the gateway sends as a string (or number); 0 when absent or malformed.
int64_t EtcdInt(const nlohmann::json& obj, const char* key);

}  // namespace shardctl
