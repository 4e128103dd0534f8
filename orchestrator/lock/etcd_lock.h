// One run's lock in etcd: a lease kept alive and the key PREFIX+NETWORK bound to it, created
// only if absent. The key's value says who holds it; when the lease ends (revoked, or not kept
// alive for its TTL) etcd deletes the key and the next run may take it.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "lock/etcd_client.h"
#include "lock/lease_holder.h"

namespace shardctl {

/// PREFIX + network ("default" when the inventory names none).
std::string EtcdLockKey(const EtcdLockConfig& cfg, const std::string& network);

/// The key's value: JSON {run_id, operator, command, start_unix_s}.
std::string EncodeEtcdHolder(const LeaseHolder& h);
/// Unreadable values give a holder whose run_id says so (status still shows the key).
LeaseHolder DecodeEtcdHolder(const std::string& value);

class EtcdLock {
 public:
  EtcdLock(EtcdClient client, std::string network, LeaseHolder me);
  /// A lock on an exact key (watch's actor election uses EtcdLockKey(...) + "/watch-actor").
  EtcdLock(EtcdClient client, LeaseHolder me, std::string key);

  /// Grants a lease of the configured TTL and creates the key bound to it. kFailed naming the
  /// holder (run id, operator, start) when the key exists; the new lease is revoked then.
  Status Acquire();
  /// One keepalive. kFailed when etcd says the lease is gone (revoked by `lock break`, or
  /// expired); kUnreachable (and others) when etcd did not answer.
  Status Renew();
  /// Revokes the lease, which deletes the key. Idempotent.
  Status Release();

  const std::string& key() const { return key_; }
  int ttl_s() const { return client_.config().ttl_s; }

 private:
  EtcdClient client_;
  const std::string key_;
  const LeaseHolder me_;

  std::mutex mu_;  // guards lease_
  int64_t lease_ = 0;
};

struct EtcdHolder {
  std::string key;
  int64_t lease = 0;
  LeaseHolder holder;
};

/// Every lock key under the configured prefix.
Result<std::vector<EtcdHolder>> ReadEtcdHolders(EtcdClient& client);
/// Revokes the lease of the key held by run_id (its holder sees it lost). kNotFound when no key
/// under the prefix names run_id.
Result<EtcdHolder> BreakEtcdLock(EtcdClient& client, const std::string& run_id);

}  // namespace shardctl
