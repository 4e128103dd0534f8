// shardctl lock status | break: who holds the network (node leases, etcd), and removing a lease
// whose run cannot release it.
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/transport_factory.h"
#include "lock/lease_holder.h"
#include "lock/lock_status.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

const char* kUsage =
    "shardctl lock status -i INVENTORY [-p PLAYBOOK] [--output json]\n"
    "       shardctl lock break -i INVENTORY [-p PLAYBOOK] RUN_ID --reason \"WHY\"";

HelpText Help() {
  return {kUsage,
          "Every run that changes nodes holds a lease on more than half of each shard's nodes\n"
          "it touches (a file per node, path from the playbook's lease.path) and, when the\n"
          "inventory has a lock.etcd section, an etcd key for the network. `status` shows every\n"
          "holder on both (read-only; takes no lease). `break` removes the leases of RUN_ID on\n"
          "every node and its etcd key, for a run that died on a machine nobody can reach; the\n"
          "break and its reason are journaled before anything is removed. A run whose lease\n"
          "was broken starts no new node. Without -p the default lease path is used.",
          "  shardctl lock status -i inventory.json -p playbooks/harmony-recover.json\n"
          "  shardctl lock break -i inventory.json 20261125T031245Z-3fa9c1 \\\n"
          "      --reason \"laptop of alice died mid-run; ok by J.D.\"\n"};
}

NodeLeaseConfig LeaseConfig(const CommonOptions& o, const Playbook* pb) {
  NodeLeaseConfig cfg;
  if (pb) cfg.policy = pb->lease;
  cfg.command_timeout = Duration(static_cast<int64_t>(o.connect_timeout_s * 1000) + 10000);
  return cfg;
}

int ShowStatus(const CommonOptions& o, const Inventory& inv, const Playbook* pb) {
  auto transport = MakeTransport(o);
  LockStatus s = ReadLockStatus(*transport, inv, LeaseConfig(o, pb));
  transport->CloseAll();
  std::cout << (o.json() ? JsonLine(LockStatusToJson(s)) : RenderLockStatusText(s));
  return s.complete() ? kExitOk : kExitFailed;
}

int Break(const CommonOptions& o, const Inventory& inv, const Playbook* pb,
          const std::string& run_id, const std::string& reason) {
  RealClock clock;
  auto journal = Journal::Open(o.state_dir, NewRunId(clock.UnixMillis()), clock);
  if (!journal.ok()) {
    PrintError(journal.status());
    return kExitInternal;
  }
  Status logged =
      (*journal)->Record(-1, "", Step::kLockBreak, Outcome::kBegin,
                         "run " + run_id + " by " + LocalOperator() + "; reason: " + reason);
  if (!logged.ok()) {
    PrintError(logged);
    return kExitInternal;
  }
  auto transport = MakeTransport(o);
  BreakResult r = BreakLocks(*transport, inv, LeaseConfig(o, pb), run_id);
  transport->CloseAll();
  std::string detail;
  for (const std::string& line : r.lines) {
    std::cout << line << "\n";
    detail += (detail.empty() ? "" : "; ") + line;
  }
  (*journal)->Note(-1, "", Step::kLockBreak, r.found ? Outcome::kOk : Outcome::kNotFound, detail);
  if (!r.found) PrintError("run " + run_id + " holds no lease that could be reached");
  std::cerr << "shardctl: journal: " << (*journal)->path() << "\n";
  return r.found && r.complete ? kExitOk : kExitFailed;
}

int RunLock(const std::vector<std::string>& args) {
  CommonOptions o;
  std::string action, run_id, reason;
  po::options_description d("Options");
  d.add_options()("action", po::value(&action)->value_name("status|break"), "what to do")(
      "run", po::value(&run_id)->value_name("RUN_ID"), "break: the run whose leases to remove")(
      "reason", po::value(&reason)->value_name("WHY"), "break: why (journaled; required)");
  AddInventoryOption(&d, &o);
  d.add_options()("playbook,p", po::value(&o.playbook)->value_name("FILE"),
                  "playbook whose lease.path and lease.ttl_s apply (default: the built-in ones)")(
      "state-dir", po::value(&o.state_dir)->value_name("DIR"),
      "break: where the journal goes (default: $XDG_STATE_HOME/shardctl)");
  AddSshOptions(&d, &o);
  AddOutputOptions(&d, &o);
  po::positional_options_description pos;
  pos.add("action", 1).add("run", 1);
  int code = kExitOk;
  if (!ParseCommandLine(args, d, &pos, Help(), &o, &code)) return code;
  bool is_break = action == "break";
  if ((action != "status" && !is_break) || (is_break && (run_id.empty() || reason.empty())) ||
      (!is_break && !run_id.empty())) {
    PrintError(std::string("usage: ") + kUsage);
    return kExitUsage;
  }
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return ExitCodeFor(inv.status());
  std::optional<Playbook> pb;
  if (!o.playbook.empty()) {
    auto loaded = LoadPlaybookOrReport(o, *inv);
    if (!loaded.ok()) return ExitCodeFor(loaded.status());
    pb = std::move(*loaded);
  }
  const Playbook* p = pb ? &*pb : nullptr;
  return is_break ? Break(o, *inv, p, run_id, reason) : ShowStatus(o, *inv, p);
}

RegisterCommand register_lock({"lock",
                               "who holds the network (status); remove a dead run's lease (break)",
                               &RunLock});

}  // namespace
}  // namespace shardctl::cli
