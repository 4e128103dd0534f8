// Real etcd clusters on loopback for integration tests: Debian's etcd run by tools/etcd-member,
// one member directory each, behind a private sshd, with an inventory (one shard per cluster)
// for playbooks/etcd.json.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/etcd_writer.h"
#include "support/sshd_fixture.h"

namespace shardctl::testing {

struct EtcdMember {
  std::string name;  // "c<cluster>-m<index>"
  int cluster = 0;
  std::string dir;  // the member's directory (the inventory's vars.dir)
  int client_port = 0;
  int peer_port = 0;
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(client_port); }
};

/// Owns the clusters, their sshd and a temp dir. The destructor stops every member it started
/// (`etcd-member stop`, then SIGKILL for any etcd still alive), so a failing test leaks nothing.
/// Not thread-safe, except the const status readers.
class EtcdClusters {
 public:
  EtcdClusters() = default;
  ~EtcdClusters();
  EtcdClusters(const EtcdClusters&) = delete;
  EtcdClusters& operator=(const EtcdClusters&) = delete;

  /// Starts `clusters` clusters of `members` members on free loopback ports and waits (up to
  /// `timeout`) until every member sees a leader. False with *err naming what did not come up.
  bool Up(int clusters, int members, std::string* err,
          std::chrono::milliseconds timeout = std::chrono::seconds(30));

  const std::string& dir() const { return sshd_.temp().path(); }
  std::string inventory_path() const { return dir() + "/inventory.json"; }
  const std::vector<EtcdMember>& members() const { return members_; }
  std::vector<EtcdEndpoints> endpoints() const;

  /// How many times tools/etcd-member launched this member (its "=== etcd-member: start" lines).
  int Starts(const EtcdMember& m) const;
  /// `etcd-member status`: true while the member's etcd runs.
  bool IsRunning(const EtcdMember& m) const;
  /// The member's /v3/maintenance/status reply (500 ms limit); nullopt if it does not answer.
  std::optional<nlohmann::json> Status(const EtcdMember& m) const;
  /// The name of the member `m` reports as its cluster's leader; "" if none or no answer.
  /// Thread-safe once Up() returned.
  std::string LeaderSeenBy(const EtcdMember& m) const;

 private:
  bool StartCluster(int cluster, int members, std::string* err);
  void WriteInventory(int clusters) const;
  void StopAll();

  LocalSshd sshd_;
  std::vector<EtcdMember> members_;
  std::map<std::string, std::string> ids_;  // etcd member id -> name; set by Up() only
};

}  // namespace shardctl::testing
