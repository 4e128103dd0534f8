#include "cli/lease_step.h"

#include <set>

#include "cli/command.h"

namespace shardctl::cli {
namespace {

std::string ShardList(const std::vector<int>& shards) {
  std::string out;
  for (int s : shards) out += (out.empty() ? "" : ",") + std::to_string(s);
  return out;
}

}  // namespace

std::vector<int> ShardsOf(const Inventory& inv, const std::vector<std::string>& nodes) {
  std::set<int> shards;
  for (const std::string& name : nodes) {
    if (const Node* n = inv.FindNode(name)) shards.insert(n->shard);
  }
  return {shards.begin(), shards.end()};
}

std::unique_ptr<RunLeases> TakeLeases(Transport& transport, const Inventory& inv,
                                      const Playbook& pb, Clock& clock, const LeaseRequest& r,
                                      std::vector<std::string>* notes, int* exit_code) {
  NodeLeaseConfig cfg;
  cfg.policy = pb.lease;
  cfg.command_timeout = pb.timeouts.command;
  LeaseHolder me{r.run_id, LocalOperator(), r.command, clock.UnixMillis() / 1000, 0};
  auto leases = std::make_unique<RunLeases>(transport, inv, clock, cfg, me);
  Status st = leases->Acquire(r.shards, notes);
  if (!st.ok()) {
    PrintError(r.command + " refused: " + st.message() +
               ". Nothing was touched; `shardctl lock status` shows every holder.");
    *exit_code = st.code() == Status::Code::kFailed ? kExitLocked : kExitInternal;
    return nullptr;
  }
  for (const std::string& note : *notes) PrintError("note: " + note);
  return leases;
}

void KeepLeases(RunLeases& leases, const LeaseRequest& r, const Inventory& inv,
                const std::vector<std::string>& notes, Journal* journal,
                std::function<void(const std::string& why)> on_lost) {
  for (const std::string& note : notes)
    journal->Note(-1, "", Step::kLease, Outcome::kTookOver, note);
  journal->Note(-1, "", Step::kLease, Outcome::kHeld,
                "node leases on shard(s) " + ShardList(r.shards) +
                    (inv.etcd_lock ? " and the etcd key of network " + inv.network : ""));
  leases.Keep([journal, on_lost](const std::string& why) {
    PrintError("LEASE LOST: " + why + ". Starting no new node; steps in flight finish.");
    journal->Note(-1, "", Step::kLease, Outcome::kLost, why);
    if (on_lost) on_lost(why);
  });
}

}  // namespace shardctl::cli
