// The shard inventory: which nodes exist, how to reach them, how much they vote.
// Format: docs/inventory.md (its core fields are a stable interface).
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace shardctl {

/// Bits of SshTarget::explicit_fields: which fields the inventory itself set (they beat
/// ssh_config).
enum SshField : unsigned {
  kSshUser = 1,
  kSshPort = 2,
  kSshIdentity = 4,
  kSshKnownHosts = 8,
  kSshJump = 16,
};

/// How to reach a node over SSH. Paths are already ~-expanded.
struct SshTarget {
  std::string host;
  int port = 22;
  std::string user;
  std::string identity_file;  // empty: use ssh-agent
  std::string known_hosts;    // required: host keys are always checked
  std::string config;         // ssh_config file the inventory names ("" : the default)
  std::string jump;           // "[user@]host[:port]" of a bastion; "" or "none": direct
  /// The bastion to tunnel through, filled by ResolveSsh (model/ssh_resolve.h); null: direct.
  std::shared_ptr<const SshTarget> via;
  int connect_timeout_ms = 0;    // from ssh_config ConnectTimeout; 0: the command's default
  int keepalive_ms = 0;          // from ssh_config ServerAliveInterval; 0: the command's default
  unsigned explicit_fields = 0;  // SshField bits
};

/// Template variables: strings or numbers, rendered as strings.
using Vars = std::map<std::string, std::string>;

struct Node {
  std::string name;  // unique across the inventory
  int shard = 0;
  SshTarget ssh;
  int voting_power = 1;
  Vars vars;  // defaults.vars < shard.vars < node.vars, plus node.name, node.host, shard.id
};

struct Shard {
  int id = 0;
  std::vector<Node> nodes;
  int TotalPower() const;
};

/// "lock": {"etcd": {...}}: the etcd cluster every mutating run takes a lease on
/// (docs/inventory.md).
struct EtcdLockConfig {
  std::vector<std::string> endpoints;  // "http://10.0.0.5:2379", "https://etcd-1:2379"
  std::string prefix = "/shardctl/lock/";
  int ttl_s = 30;
  std::string ca_file;    // https: CA bundle to verify the server (empty: the system's)
  std::string cert_file;  // https: client certificate, with key_file
  std::string key_file;
};

struct Inventory {
  std::string path;  // where it was read from, for messages
  std::string network;
  bool drills = false;  // top-level "drills": true: `shardctl drill` may inject faults here
  std::vector<Shard> shards;
  std::optional<EtcdLockConfig> etcd_lock;

  const Shard* FindShard(int id) const;
  const Node* FindNode(const std::string& name) const;
  std::vector<const Node*> AllNodes() const;
};

/// The nodes' names, in order.
std::vector<std::string> NodeNames(const std::vector<const Node*>& nodes);

/// Parses and validates; every error names path, JSON pointer and what was expected.
Result<Inventory> ParseInventory(const nlohmann::json& j, const std::string& path);
/// Reads the file and parses it.
Result<Inventory> LoadInventory(const std::string& path);

/// Expands a leading "~" or "~/" with $HOME.
std::string ExpandHome(const std::string& path);

}  // namespace shardctl
