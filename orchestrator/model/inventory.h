// The shard inventory: which nodes exist, how to reach them, how much they vote.
// Format: docs/inventory.md (its core fields are a stable interface).
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/status.h"

namespace shardctl {

/// How to reach a node over SSH. Paths are already ~-expanded.
struct SshTarget {
  std::string host;
  int port = 22;
  std::string user;
  std::string identity_file;  // empty: use ssh-agent
  std::string known_hosts;    // required: host keys are always checked
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

struct Inventory {
  std::string path;  // where it was read from, for messages
  std::string network;
  std::vector<Shard> shards;

  const Shard* FindShard(int id) const;
  const Node* FindNode(const std::string& name) const;
  std::vector<const Node*> AllNodes() const;
};

/// Parses and validates; every error names path, JSON pointer and what was expected.
Result<Inventory> ParseInventory(const nlohmann::json& j, const std::string& path);
/// Reads the file and parses it.
Result<Inventory> LoadInventory(const std::string& path);

/// Expands a leading "~" or "~/" with $HOME.
std::string ExpandHome(const std::string& path);

}  // namespace shardctl
