// The cross-operator lock step of every command that changes nodes: node leases on the shards
// it touches and, with lock.etcd in the inventory, the network's etcd key (docs/operations.md,
// "One run at a time").
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/common.h"
#include "lock/run_leases.h"
#include "run/journal.h"

namespace shardctl::cli {

/// What the step needs from the run.
struct LeaseRequest {
  std::vector<int> shards;  // the shards the run may touch
  std::string run_id;
  std::string command;  // "shardctl rolling-restart"
};

/// Takes the leases through transport (keep it for the run: renewals and the release use it).
/// On refusal prints the holder (run id, operator, start time) and returns nullptr with
/// *exit_code kExitLocked; other failures exit kExitInternal. Prints a line for every expired
/// lease it took over and adds it to *notes. Runs before the journal exists, so a refused run
/// leaves none.
std::unique_ptr<RunLeases> TakeLeases(Transport& transport, const Inventory& inv,
                                      const Playbook& pb, Clock& clock, const LeaseRequest& r,
                                      std::vector<std::string>* notes, int* exit_code);

/// Journals what is held and the takeovers in notes, then renews in the background. On loss
/// prints it, journals it and calls on_lost (once, from a renewing thread): the run must start
/// no new node from then on. journal must outlive leases' renewal (Release stops it).
void KeepLeases(RunLeases& leases, const LeaseRequest& r, const Inventory& inv,
                const std::vector<std::string>& notes, Journal* journal,
                std::function<void(const std::string& why)> on_lost);

/// The shards of the named nodes, ascending and unique.
std::vector<int> ShardsOf(const Inventory& inv, const std::vector<std::string>& nodes);

}  // namespace shardctl::cli
