// A playbook: how to stop, start, check and probe the nodes of one consensus system, and the
// policy for judging and recovering a shard. Everything system-specific (Harmony's RPC, systemd
// unit names, binary paths) lives in the playbook file, none in C++. Format: docs/playbooks.md.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "model/http_probe.h"
#include "model/inventory.h"
#include "model/playbook_faults.h"
#include "model/quorum.h"
#include "model/upgrade_policy.h"
#include "model/watch_policy.h"
#include "model/window.h"

namespace shardctl {

/// The command templates a playbook may define (see model/template.h for the syntax).
enum class CommandId {
  kStop,
  kStart,
  kIsRunning,
  kVerifyBinary,
  kRestoreBinary,
  kDbHeight,
  kProbe,
  kStage,         // upgrade: reads the release on stdin, verifies it, keeps the rollback copy
  kSwap,          // upgrade: installs the staged release (node stopped)
  kRollback,      // upgrade: puts the rollback copy back (node stopped)
  kVersion,       // upgrade: prints the version the running node reports
  kVerifyStaged,  // upgrade, optional: exit 0 when the release is staged already (not sent again)
};

/// The playbook key of a command ("is_running").
const char* CommandKey(CommandId id);
/// The CommandId whose key is `key`, if any.
std::optional<CommandId> CommandFromKey(const std::string& key);
/// Every CommandId but the upgrade ones, in the order recovery uses them.
const std::vector<CommandId>& AllCommands();
/// stage, swap, rollback, version: they also see the upgrade placeholders (model/upgrade_policy.h).
/// verify_staged sees them too but is optional, so it is not in this list.
const std::vector<CommandId>& UpgradeCommandIds();

/// Command templates. stop, start, is_running and probe are required; an empty optional one
/// means the step is skipped (no binary check, no stored-height check).
struct Commands {
  std::string stop;
  std::string start;
  std::string is_running;      // exit code says running or stopped (see Playbook::running_codes)
  std::string verify_binary;   // exit 0: the binary that runs is the known-good one
  std::string restore_binary;  // puts the known-good binary back
  std::string db_height;       // prints the stored chain height (node stopped)
  std::string probe;           // prints JSON read through ProbeMap (or probe.http instead)
  std::string stage;           // upgrade commands: optional, all four needed by `upgrade`
  std::string swap;
  std::string rollback;
  std::string version;
  std::string verify_staged;  // optional: without it, every upgrade sends the release again

  const std::string& Get(CommandId id) const;
};

/// How a node is probed (probe.http, or else commands.probe) and where the JSON it answers holds
/// each field (JSON pointers, RFC 6901).
struct ProbeMap {
  HttpProbe http;              // when set, probes are HTTP requests with no process on the node
  std::string height;          // required; number or decimal/"0x" string
  std::string view_id;         // optional
  std::string view_change_id;  // optional
  std::string mode;            // optional: without it, a node that answers is in normal_mode
  std::string leader;          // optional; boolean
  std::string leader_id;       // optional, instead of leader: the leader's id, and ...
  std::string node_id;         // ... this node's id: it leads when they are equal
  std::string normal_mode = "Normal";
  std::string view_changing_mode = "ViewChanging";
  /// Not a playbook key: upgrade.version_pointer when the `version` command is the probe
  /// command, or there is no `version` command and probe.http is given, so a probe also says
  /// which version runs and the upgrade asks no more.
  std::string version;
};

/// When a shard counts as healthy (docs/playbooks.md, "gate").
struct GatePolicy {
  int min_new_blocks = 3;  // N: the top height must grow by this much ...
  Duration within{60000};  // T: ... within this long after the start
  int max_lag = 5;         // L: "in sync" means within this many blocks of the top
  Duration poll_interval{2000};
  bool present = false;  // the playbook has a "gate" section (`watch` refuses to act without)
};

/// When a shard counts as stuck: halted with answering nodes in view change (or on different
/// view ids) for longer than `after`.
struct StuckPolicy {
  Duration after{30000};
};

/// Whole-shard restarts: at most max_shard_restarts in all; before restart k (k >= 2) wait
/// min(backoff * factor^(k-2), max_backoff).
struct EscalationPolicy {
  int max_shard_restarts = 3;
  Duration backoff{10000};
  double backoff_factor = 2.0;
  Duration max_backoff{120000};

  Duration BackoffBefore(int restart) const;
};

struct Timeouts {
  Duration command{30000};  // any command but the probe
  Duration probe{10000};
  Duration stop_confirm{60000};  // all nodes must report stopped within this after stop
  Duration confirm_poll{1000};   // is_running poll interval while confirming
  Duration start_window{5000};   // starts of one shard should all be sent within this
};

/// Rolling restarts: quorum-safe waves (docs/playbooks.md, "rolling").
struct RollingPolicy {
  double quorum_margin = 0;       // share of total power kept up beyond the quorum during a wave
  int max_wave_size = 0;          // nodes down at once; 0: as many as quorum + margin allow
  int failure_budget = 0;         // node failures tolerated over the whole run before it stops
  int min_new_blocks = 3;         // the shard's top must grow this much after a node's start
  Duration node_timeout{120000};  // from a wave's start command until its nodes are in sync
};

/// Leases on the nodes (docs/playbooks.md "lease"): where the lease file lives on each node
/// (a template like a command's; {{network}} is the inventory's network) and how long it lives
/// without renewal.
struct LeasePolicy {
  std::string path = "~/.shardctl/lease-{{network}}-{{node.name}}";
  Duration ttl{60000};
};

struct Playbook {
  /// True when the playbook can do id: its command is given, or (for version) the probe reads it.
  bool Provides(CommandId id) const;

  std::string path;  // where it was read from, for messages
  std::string name;
  std::string description;
  QuorumRule quorum = QuorumRule::Bft();
  Commands commands;
  std::vector<int> running_codes{0};  // is_running exit codes meaning "running"
  std::vector<int> stopped_codes{3};  // ... and "stopped"; anything else is an error
  ProbeMap probe;
  GatePolicy gate;
  StuckPolicy stuck;
  EscalationPolicy escalation;
  std::vector<int> shard_order;     // shards listed here go first, in this order
  int parallel_shards = 1;          // planned work (rolling, upgrade, drill): shards at once
  int recover_parallel_shards = 0;  // recover: shards at once; 0: every halted shard at once
  int parallel_nodes = 0;           // per step within a shard; 0: all nodes of the shard at once
  int64_t sync_max_behind = 1000;   // a stopped node further behind the shard's best is flagged
  Timeouts timeouts;
  RollingPolicy rolling;
  std::optional<MaintenanceWindow> window;  // planned work (rolling-restart) only inside it
  LeasePolicy lease;
  std::vector<FaultDef> faults;  // what `shardctl drill` may inject (playbook_faults.h)
  UpgradePolicy upgrade;
  WatchPolicy watch;  // `shardctl watch` (model/watch_policy.h); defaults when absent
};

/// Parses and validates; errors read "PATH:/json/pointer: expected X, found Y". Unknown keys,
/// malformed templates and invalid JSON pointers are errors.
Result<Playbook> ParsePlaybook(const nlohmann::json& j, const std::string& path);
/// Reads the file and parses it.
Result<Playbook> LoadPlaybook(const std::string& path);

/// Checks that every command (and fault) renders for every node of inv, so a bad playbook fails
/// before anything is touched. The error names the playbook, the command and the node.
Status CheckPlaybookAgainst(const Playbook& pb, const Inventory& inv);

/// Renders pb.lease.path for node of inv (vars plus {{network}}); errors name the key and node.
Result<std::string> RenderLeasePath(const LeasePolicy& lease, const Inventory& inv,
                                    const Node& node);

/// LoadPlaybook then CheckPlaybookAgainst(inv): what every command needs before acting.
Result<Playbook> LoadPlaybookFor(const std::string& path, const Inventory& inv);

/// Renders command id for node. The caller has run CheckPlaybookAgainst; an error still
/// comes back as a Status naming the command.
Result<std::string> RenderNodeCommand(const Playbook& pb, CommandId id, const Node& node);

/// Shard ids of inv in recovery order: pb.shard_order first (ids not in `selected` skipped),
/// then the rest of `selected` in the order given.
std::vector<int> OrderShards(const Playbook& pb, const std::vector<int>& selected);

}  // namespace shardctl
