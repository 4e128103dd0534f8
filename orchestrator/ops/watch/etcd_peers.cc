#include "ops/watch/etcd_peers.h"

namespace shardctl {

EtcdPeers::EtcdPeers(const EtcdLockConfig& cfg, const std::string& network, Clock& clock,
                     Duration tick)
    : client_(cfg),
      key_(InFlightRecoveryKey(cfg, network)),
      election_(client_, network,
                LeaseHolder{"watch", LocalOperator(), "shardctl watch --act",
                            clock.UnixMillis() / 1000, 0},
                clock, tick) {
  election_.Start();
}

Status EtcdPeers::SaveInFlight(const std::string& record) {
  return record.empty() ? client_.Delete(key_) : client_.Put(key_, record);
}

Result<std::string> EtcdPeers::LoadInFlight() {
  auto kv = client_.Get(key_);
  if (!kv.ok()) return kv.status();
  return *kv ? (*kv)->value : std::string();
}

}  // namespace shardctl
