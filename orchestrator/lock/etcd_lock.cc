#include "lock/etcd_lock.h"

#include <nlohmann/json.hpp>

#include "model/json_text.h"

namespace shardctl {

std::string EtcdLockKey(const EtcdLockConfig& cfg, const std::string& network) {
  return cfg.prefix + (network.empty() ? "default" : network);
}

std::string EncodeEtcdHolder(const LeaseHolder& h) {
  nlohmann::json j = {{"run_id", h.run_id},
                      {"operator", h.operator_name},
                      {"command", h.command},
                      {"start_unix_s", h.start_unix_s}};
  return ToJsonText(j);
}

LeaseHolder DecodeEtcdHolder(const std::string& value) {
  LeaseHolder h;
  auto parsed = ParseJsonText(value, "etcd lock value");
  if (!parsed.ok() || !parsed->is_object()) {
    h.run_id = "(not a shardctl value)";
    return h;
  }
  const nlohmann::json& j = *parsed;
  auto str = [&](const char* k) {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
  };
  h.run_id = str("run_id");
  h.operator_name = str("operator");
  h.command = str("command");
  if (j.contains("start_unix_s") && j["start_unix_s"].is_number_integer()) {
    h.start_unix_s = j["start_unix_s"].get<int64_t>();
  }
  return h;
}

EtcdLock::EtcdLock(EtcdClient client, std::string network, LeaseHolder me)
    : client_(std::move(client)),
      key_(EtcdLockKey(client_.config(), network)),
      me_(std::move(me)) {}

EtcdLock::EtcdLock(EtcdClient client, LeaseHolder me, std::string key)
    : client_(std::move(client)), key_(std::move(key)), me_(std::move(me)) {}

Status EtcdLock::Acquire() {
  auto lease = client_.Grant(client_.config().ttl_s);
  if (!lease.ok()) return lease.status().Annotate("etcd lock: ");
  auto held = client_.CreateIfAbsent(key_, EncodeEtcdHolder(me_), *lease);
  if (!held.ok() || held->has_value()) (void)client_.Revoke(*lease);  // else it expires by TTL
  if (!held.ok()) return held.status().Annotate("etcd lock: ");
  if (held->has_value()) {
    return Status::Failed("etcd key " + key_ + " is held by " +
                          DescribeLeaseHolder(DecodeEtcdHolder((*held)->value)));
  }
  std::lock_guard<std::mutex> lock(mu_);
  lease_ = *lease;
  return Status::Ok();
}

Status EtcdLock::Renew() {
  int64_t lease;
  {
    std::lock_guard<std::mutex> lock(mu_);
    lease = lease_;
  }
  if (lease == 0) return Status::Failed("etcd lock " + key_ + " is not held");
  auto ttl = client_.KeepAlive(lease);
  if (!ttl.ok()) {
    // etcd answered with an error about this lease: it is gone. Anything else may pass.
    if (ttl.status().code() == Status::Code::kFailed) return ttl.status();
    return Status::Unreachable(ttl.status().message());
  }
  if (*ttl <= 0) {
    return Status::Failed("etcd lease of " + key_ + " is gone (expired or broken by `lock break`)");
  }
  return Status::Ok();
}

Status EtcdLock::Release() {
  int64_t lease;
  {
    std::lock_guard<std::mutex> lock(mu_);
    lease = lease_;
    lease_ = 0;
  }
  return lease == 0 ? Status::Ok() : client_.Revoke(lease);
}

Result<std::vector<EtcdHolder>> ReadEtcdHolders(EtcdClient& client) {
  auto kvs = client.RangePrefix(client.config().prefix);
  if (!kvs.ok()) return kvs.status();
  std::vector<EtcdHolder> out;
  for (const EtcdKv& kv : *kvs) out.push_back({kv.key, kv.lease, DecodeEtcdHolder(kv.value)});
  return out;
}

Result<EtcdHolder> BreakEtcdLock(EtcdClient& client, const std::string& run_id) {
  auto holders = ReadEtcdHolders(client);
  if (!holders.ok()) return holders.status();
  for (const EtcdHolder& h : *holders) {
    if (h.holder.run_id != run_id) continue;
    SHARDCTL_RETURN_IF_ERROR(client.Revoke(h.lease));
    return h;
  }
  return Status::NotFound("no etcd lock key under " + client.config().prefix + " is held by run " +
                          run_id);
}

}  // namespace shardctl
