#include "lock/run_leases.h"

namespace shardctl {

RunLeases::RunLeases(Transport& transport, const Inventory& inv, Clock& clock, NodeLeaseConfig cfg,
                     LeaseHolder me)
    : nodes_(transport, inv, clock, cfg, me), clock_(clock), node_ttl_(cfg.policy.ttl) {
  if (inv.etcd_lock) {
    etcd_ = std::make_unique<EtcdLock>(EtcdClient(*inv.etcd_lock), inv.network, me);
  }
}

RunLeases::~RunLeases() { Release(); }

Status RunLeases::Acquire(const std::vector<int>& shards, std::vector<std::string>* notes) {
  if (etcd_) SHARDCTL_RETURN_IF_ERROR(etcd_->Acquire());
  for (int shard : shards) {
    Status st = nodes_.Acquire(shard, notes);
    if (!st.ok()) {
      Release();
      return st;
    }
  }
  return Status::Ok();
}

void RunLeases::Keep(std::function<void(const std::string& why)> on_lost) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    on_lost_ = std::move(on_lost);
  }
  auto lost = [this](const std::string& why) { Lost(why); };
  if (etcd_) {
    Duration ttl(int64_t{etcd_->ttl_s()} * 1000);
    etcd_keeper_ = std::make_unique<LeaseKeeper>(
        clock_, ttl / 3, ttl / 2, [this] { return etcd_->Renew(); },
        [lost](const std::string& why) { lost("etcd lease lost: " + why); });
    etcd_keeper_->Start();
  }
  if (!nodes_.shards().empty()) {
    // Renew decides loss itself from each node's last known expiry; silence alone is not loss.
    node_keeper_ = std::make_unique<LeaseKeeper>(
        clock_, node_ttl_ / 3, Duration::max(), [this] { return nodes_.Renew(); },
        [lost](const std::string& why) { lost("node lease lost: " + why); });
    node_keeper_->Start();
  }
}

void RunLeases::Lost(const std::string& why) {
  std::function<void(const std::string&)> tell;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!lost_reason_.empty()) return;
    lost_reason_ = why;
    tell = on_lost_;
  }
  if (tell) tell(why);
}

void RunLeases::Release() {
  if (etcd_keeper_) etcd_keeper_->Stop();
  if (node_keeper_) node_keeper_->Stop();
  nodes_.Release();
  if (etcd_) (void)etcd_->Release();  // on failure the key expires with its lease
}

bool RunLeases::lost() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !lost_reason_.empty();
}

std::string RunLeases::lost_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lost_reason_;
}

}  // namespace shardctl
