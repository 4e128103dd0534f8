// A toy network behind a FakeTransport, for engine tests: nodes that run or not, shards that
// produce blocks only after enough whole-shard restarts, and the failure modes the engine must
// handle (unreachable hosts, stops that do not stop, bad binaries). Commands are the test
// playbook's "VERB NODE [ARG]" lines (see TestPlaybook(), UpgradeTestPlaybook()); a node also
// answers the lease script (always granted, unless leases_lost). Time comes from the clock
// given: a FakeClock for one-thread runs, a RealClock when threads wait side by side (a drill's
// monitor).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "transport/fake_transport.h"

namespace shardctl::testing {

struct FakeNode {
  bool running = true;
  bool reachable = true;
  bool ignores_stop = false;
  bool bad_binary = false;
  bool restore_fixes = true;
  int64_t stored_height = 100;
  int starts = 0;
  // Upgrade model: `stage` keeps a release (by sha256), `swap` installs it (node stopped),
  // `rollback` puts the previous version back, `version` prints "validator VERSION".
  std::string version = "v1";
  std::string previous;
  std::string staged;  // sha256 of the staged release
  int stage_sends = 0;
  bool stage_fails = false;
};

struct FakeShard {
  int restarts_needed = 1;  // whole-shard starts until it produces blocks; 0: healthy already
  bool stuck_in_view_change = true;  // when not healthy: ViewChanging on different views
  int whole_starts = 0;
  bool all_were_down = false;
  bool healthy = false;
  TimePoint healthy_since;
  int64_t base_height = 100;
  /// Rolling-restart model: commits whenever more than 2/3 of its nodes run (instead of only
  /// after whole-shard restarts).
  bool quorum_live = false;
};

/// Builds an inventory of `shards` shards with `nodes` nodes each (power 1), named sS-N.
inline Inventory MakeInventory(int shards, int nodes) {
  Inventory inv;
  inv.path = "test-inventory.json";
  inv.network = "testnet";
  for (int s = 0; s < shards; ++s) {
    Shard shard;
    shard.id = s;
    for (int n = 0; n < nodes; ++n) {
      Node node;
      node.name = "s" + std::to_string(s) + "-" + std::to_string(n);
      node.shard = s;
      node.ssh.host = "127.0.0.1";
      node.vars = {{"node.name", node.name},
                   {"node.host", "127.0.0.1"},
                   {"shard.id", std::to_string(s)},
                   {"dir", "/srv/" + node.name}};
      shard.nodes.push_back(node);
    }
    inv.shards.push_back(shard);
  }
  return inv;
}

/// The playbook the fake understands, with small sandbox-like timings.
inline Playbook TestPlaybook() {
  nlohmann::json j = {
      {"name", "test"},
      {"commands",
       {{"stop", "stop {{node.name}}"},
        {"start", "start {{node.name}}"},
        {"is_running", "is-running {{node.name}}"},
        {"verify_binary", "verify {{node.name}}"},
        {"restore_binary", "restore {{node.name}}"},
        {"db_height", "db-height {{node.name}}"},
        {"probe", "probe {{node.name}}"}}},
      {"probe",
       {{"height", "/result/current-block-number"},
        {"view_id", "/result/consensus/viewId"},
        {"view_change_id", "/result/consensus/viewChangeId"},
        {"mode", "/result/consensus/mode"},
        {"leader", "/result/is-leader"}}},
      {"gate", {{"min_new_blocks", 5}, {"within_s", 30}, {"max_lag", 3}, {"poll_interval_s", 1}}},
      {"stuck", {{"after_s", 10}}},
      {"escalation", {{"max_shard_restarts", 3}, {"backoff_s", 2}, {"backoff_factor", 2}}},
      {"timeouts", {{"stop_confirm_s", 5}, {"confirm_poll_s", 0.5}}},
      {"sync", {{"max_behind", 50}}}};
  return std::move(ParsePlaybook(j, "test-playbook.json").value());
}

/// TestPlaybook plus the upgrade commands and section the fake understands (canary 1, a short
/// soak).
inline Playbook UpgradeTestPlaybook() {
  Playbook pb = TestPlaybook();
  pb.commands.stage = "stage {{node.name}} {{artifact_sha256}}";
  pb.commands.swap = "swap {{node.name}} {{artifact_sha256}}";
  pb.commands.rollback = "rollback {{node.name}}";
  pb.commands.version = "version {{node.name}}";
  pb.commands.verify_staged = "staged {{node.name}} {{artifact_sha256}}";
  pb.upgrade.present = true;
  pb.upgrade.canary = 1;
  pb.upgrade.soak = Duration(2000);
  pb.upgrade.soak_blocks = 3;
  pb.upgrade.format = "any";
  pb.upgrade.paths = {"{{dir}}/bin/v", "{{dir}}/bin/v.staged", "{{dir}}/bin/v.rollback"};
  pb.rolling.node_timeout = Duration(20000);
  return pb;
}

class FakeShards {
 public:
  FakeShards(const Inventory& inv, Clock& clock) : clock_(clock), transport_(&clock) {
    for (const Shard& s : inv.shards) {
      shards_[s.id];
      for (const Node& n : s.nodes) {
        nodes_[n.name];
        shard_of_[n.name] = s.id;
        members_[s.id].push_back(n.name);
      }
    }
    transport_.SetFallback(
        [this](const Node& node, const std::string& command) { return Handle(node, command); });
  }

  FakeTransport& transport() { return transport_; }
  FakeNode& node(const std::string& name) { return nodes_.at(name); }
  FakeShard& shard(int id) { return shards_.at(id); }

  /// Makes shard id healthy now (producing blocks) or halted with every node running.
  void SetHealthy(int id, bool healthy) {
    std::lock_guard<std::mutex> l(mu_);
    shards_.at(id).healthy = healthy;
    shards_.at(id).healthy_since = clock_.Now();
  }
  void StopNode(const std::string& name) { nodes_.at(name).running = false; }

  /// Called (outside the lock) before a command runs: tests use it to block or to peek.
  std::function<void(const std::string& verb, const std::string& node)> before;

  /// The version a release (by sha256) installs with `swap`.
  void AddRelease(const std::string& sha256, const std::string& version) {
    std::lock_guard<std::mutex> l(mu_);
    releases_[sha256] = version;
  }
  /// Nodes running this version fail to start (a bad release).
  void FailsToStart(const std::string& version) {
    std::lock_guard<std::mutex> l(mu_);
    bad_versions_.insert(version);
  }
  /// Every lease renewal answers "lost" from now on.
  std::atomic<bool> leases_lost{false};

  int64_t Height(int id) {
    std::lock_guard<std::mutex> l(mu_);
    return HeightLocked(id);
  }

 private:
  int64_t HeightLocked(int id) {
    FakeShard& s = shards_.at(id);
    if (!s.healthy) return s.base_height;
    return s.base_height + (clock_.Now() - s.healthy_since).count() / 200;
  }

  ExecResult Handle(const Node& node, const std::string& command) {
    if (command.find(" shardctl-lease ") != std::string::npos) return Lease(node, command);
    std::istringstream words(command);
    std::string verb, name, arg;
    words >> verb >> name >> arg;
    if (before) before(verb, name);
    std::lock_guard<std::mutex> l(mu_);
    FakeNode& n = nodes_.at(name);
    if (!n.reachable) {
      return FakeTransport::Failure(ExecResult::Outcome::kUnreachable, "connection refused");
    }
    int id = shard_of_.at(name);
    if (verb == "stop") return Stop(id, n);
    if (verb == "start") return Start(id, n);
    if (verb == "is-running") return FakeTransport::Exited(n.running ? 0 : 3);
    if (verb == "verify") return FakeTransport::Exited(n.bad_binary ? 1 : 0, "", "sha256 mismatch");
    if (verb == "restore") {
      if (n.restore_fixes) n.bad_binary = false;
      return FakeTransport::Ok();
    }
    if (verb == "db-height") return FakeTransport::Ok(std::to_string(n.stored_height) + "\n");
    if (verb == "probe") return Probe(id, name, n);
    return Upgrade(verb, arg, n);
  }

  ExecResult Upgrade(const std::string& verb, const std::string& sha, FakeNode& n) {
    if (verb == "stage") {
      n.stage_sends++;
      if (n.stage_fails) return FakeTransport::Exited(1, "", "sha256sum: WARNING: did NOT match");
      n.staged = sha;
      return FakeTransport::Ok();
    }
    if (verb == "staged") return FakeTransport::Exited(n.staged == sha ? 0 : 1);
    if (verb == "swap" && (n.running || n.staged != sha)) {
      return FakeTransport::Exited(1, "", n.running ? "node running" : "not staged");
    }
    if (verb == "swap") {
      n.previous = n.version;
      n.version = releases_.count(sha) ? releases_[sha] : "unknown";
      return FakeTransport::Ok();
    }
    if (verb == "rollback" && !n.previous.empty() && !n.running) {
      n.version = n.previous;
      return FakeTransport::Ok();
    }
    if (verb == "version") return FakeTransport::Ok("validator " + n.version + "\n");
    return FakeTransport::Exited(127, "", "unknown verb " + verb);
  }

  // The lease script's answers: every lease granted and renewed (lost once leases_lost).
  ExecResult Lease(const Node&, const std::string& command) {
    std::string now = "now=" + std::to_string(clock_.UnixMillis() / 1000) + "\n";
    for (const char* op : {"acquire", "release", "read"}) {
      if (command.find(std::string(" shardctl-lease '") + op + "'") == std::string::npos &&
          command.find(std::string(" shardctl-lease ") + op + " ") == std::string::npos)
        continue;
      std::string answer = op == std::string("acquire")   ? "acquired"
                           : op == std::string("release") ? "released"
                                                          : "free";
      return FakeTransport::Ok(answer + "\n" + now);
    }
    return FakeTransport::Ok((leases_lost ? "lost\n" : "renewed\n") + now);
  }

  // quorum_live shards: live exactly while more than 2/3 of their nodes run.
  void UpdateLive(int id) {
    FakeShard& s = shards_.at(id);
    size_t up = 0;
    for (const std::string& m : members_[id]) up += nodes_[m].running ? 1 : 0;
    bool live = 3 * up > 2 * members_[id].size();
    if (live == s.healthy) return;
    s.base_height = HeightLocked(id);
    s.healthy = live;
    s.healthy_since = clock_.Now();
  }

  ExecResult Stop(int id, FakeNode& n) {
    if (n.ignores_stop) return FakeTransport::Ok();
    FakeShard& s = shards_.at(id);
    if (s.quorum_live) {
      n.running = false;
      UpdateLive(id);
      return FakeTransport::Ok();
    }
    s.base_height = HeightLocked(id);
    s.healthy = false;
    n.running = false;
    bool all_down = true;
    for (const std::string& m : members_[id]) {
      all_down = all_down && (!nodes_[m].running || !nodes_[m].reachable);
    }
    if (all_down) s.all_were_down = true;
    return FakeTransport::Ok();
  }

  ExecResult Start(int id, FakeNode& n) {
    if (n.bad_binary || bad_versions_.count(n.version))
      return FakeTransport::Exited(1, "", "exec format error");
    n.running = true;
    n.starts++;
    FakeShard& s = shards_.at(id);
    if (s.quorum_live) {
      UpdateLive(id);
      return FakeTransport::Ok();
    }
    bool all_up = true;
    for (const std::string& m : members_[id]) {
      all_up = all_up && (nodes_[m].running || !nodes_[m].reachable);
    }
    if (all_up && s.all_were_down) {
      s.all_were_down = false;
      s.whole_starts++;
      if (s.whole_starts >= s.restarts_needed) {
        s.healthy = true;
        s.healthy_since = clock_.Now();
      }
    }
    return FakeTransport::Ok();
  }

  ExecResult Probe(int id, const std::string& name, const FakeNode& n) {
    if (!n.running) return FakeTransport::Exited(7, "", "curl: (7) Failed to connect");
    FakeShard& s = shards_.at(id);
    int index = 0;
    while (members_[id][index] != name) ++index;
    bool stuck = !s.healthy && s.stuck_in_view_change;
    int64_t view = stuck ? 20 + index : 10;
    nlohmann::json out = {{"result",
                           {{"current-block-number", HeightLocked(id)},
                            {"is-leader", index == 0},
                            {"consensus",
                             {{"viewId", view},
                              {"viewChangeId", stuck ? view + 3 : view},
                              {"mode", stuck ? "ViewChanging" : "Normal"}}}}}};
    return FakeTransport::Ok(out.dump());
  }

  Clock& clock_;
  FakeTransport transport_;
  std::mutex mu_;
  std::map<std::string, FakeNode> nodes_;
  std::map<std::string, int> shard_of_;
  std::map<int, std::vector<std::string>> members_;
  std::map<int, FakeShard> shards_;
  std::map<std::string, std::string> releases_;  // sha256 -> version
  std::set<std::string> bad_versions_;
};

}  // namespace shardctl::testing
