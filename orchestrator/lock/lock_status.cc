#include "lock/lock_status.h"

#include <sstream>

namespace shardctl {
namespace {

using nlohmann::json;

json HolderToJson(const LeaseHolder& h) {
  return {{"run_id", h.run_id},
          {"operator", h.operator_name},
          {"command", h.command},
          {"start_unix_s", h.start_unix_s}};
}

json NodeToJson(const NodeLeaseAnswer& a) {
  json j = {{"node", a.node}, {"shard", a.shard}};
  if (!a.answered) {
    j["state"] = "no-answer";
    j["error"] = a.error;
    return j;
  }
  j["state"] = a.reply.state == NodeLeaseState::kLease ? "held" : "free";
  if (a.reply.state != NodeLeaseState::kLease) return j;
  j["holder"] = HolderToJson(a.reply.holder);
  j["expires_in_s"] = a.reply.holder.expiry_unix_s - a.reply.node_now_s;
  return j;
}

std::string NodeLine(const NodeLeaseAnswer& a) {
  if (!a.answered) return "not answering: " + a.error;
  if (a.reply.state != NodeLeaseState::kLease) return "free";
  int64_t left = a.reply.holder.expiry_unix_s - a.reply.node_now_s;
  return DescribeLeaseHolder(a.reply.holder) +
         (left > 0 ? ", expires in " + std::to_string(left) + " s"
                   : ", expired " + std::to_string(-left) + " s ago (the next run takes it over)");
}

}  // namespace

bool LockStatus::complete() const {
  if (etcd_configured && !etcd_error.empty()) return false;
  for (const NodeLeaseAnswer& a : nodes) {
    if (!a.answered) return false;
  }
  return true;
}

LockStatus ReadLockStatus(Transport& transport, const Inventory& inv, const NodeLeaseConfig& cfg) {
  LockStatus s;
  if (inv.etcd_lock) {
    s.etcd_configured = true;
    EtcdClient client(*inv.etcd_lock);
    auto holders = ReadEtcdHolders(client);
    if (holders.ok()) s.etcd = *holders;
    if (!holders.ok()) s.etcd_error = holders.status().message();
  }
  s.nodes = RunNodeLeaseOp(transport, inv, inv.AllNodes(), cfg, NodeLeaseOp::kRead, {});
  return s;
}

json LockStatusToJson(const LockStatus& s) {
  json j = {{"complete", s.complete()}, {"nodes", json::array()}};
  if (s.etcd_configured) {
    j["etcd"] = {{"holders", json::array()}};
    if (!s.etcd_error.empty()) j["etcd"]["error"] = s.etcd_error;
    for (const EtcdHolder& h : s.etcd) {
      j["etcd"]["holders"].push_back(
          {{"key", h.key}, {"lease", h.lease}, {"holder", HolderToJson(h.holder)}});
    }
  }
  for (const NodeLeaseAnswer& a : s.nodes) j["nodes"].push_back(NodeToJson(a));
  return j;
}

std::string RenderLockStatusText(const LockStatus& s) {
  std::ostringstream out;
  if (s.etcd_configured) {
    out << "etcd:";
    if (!s.etcd_error.empty()) out << " cannot read: " << s.etcd_error;
    if (s.etcd_error.empty() && s.etcd.empty()) out << " no lock held";
    out << "\n";
    for (const EtcdHolder& h : s.etcd) {
      out << "  " << h.key << "  " << DescribeLeaseHolder(h.holder) << "\n";
    }
  }
  int shard = -1;
  for (const NodeLeaseAnswer& a : s.nodes) {
    if (a.shard != shard) out << "shard " << (shard = a.shard) << ":\n";
    out << "  " << a.node << "  " << NodeLine(a) << "\n";
  }
  return out.str();
}

BreakResult BreakLocks(Transport& transport, const Inventory& inv, const NodeLeaseConfig& cfg,
                       const std::string& run_id, const std::string& broken_by) {
  BreakResult r;
  if (inv.etcd_lock) {
    EtcdClient client(*inv.etcd_lock);
    auto broke = BreakEtcdLock(client, run_id);
    r.found = broke.ok();
    r.complete = broke.ok() || broke.status().code() == Status::Code::kNotFound;
    r.lines.push_back(
        "etcd: " + (broke.ok() ? "revoked the lease of " + broke->key : broke.status().message()));
  }
  LeaseHolder target;
  target.run_id = run_id;
  for (const NodeLeaseAnswer& a : RunNodeLeaseOp(transport, inv, inv.AllNodes(), cfg,
                                                 NodeLeaseOp::kBreak, target, broken_by)) {
    bool removed = a.answered && a.reply.state == NodeLeaseState::kReleased;
    r.found = r.found || removed;
    r.complete = r.complete && a.answered;
    if (removed) r.lines.push_back(a.node + ": removed the lease of run " + run_id);
    if (!a.answered) r.lines.push_back(a.node + ": not answering (" + a.error + ")");
  }
  return r;
}

}  // namespace shardctl
