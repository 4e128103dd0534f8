#include "sim/config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace vsim {
namespace {

using nlohmann::json;
using shardctl::Result;
using shardctl::Status;

/// Reads typed fields of one JSON object, remembering the first error.
class Reader {
 public:
  Reader(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  Status CheckKeys(const std::set<std::string>& known) const {
    for (const auto& [key, value] : obj_.items()) {
      if (!known.count(key)) return Fail(key, "a known key (unknown key; typo?)", nullptr);
    }
    return Status::Ok();
  }
  Status String(const std::string& key, std::string* out, bool required) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) return required ? Missing(key, "a string") : Status::Ok();
    if (!it->is_string() || it->get<std::string>().empty()) {
      return Fail(key, "a non-empty string", &*it);
    }
    *out = it->get<std::string>();
    return Status::Ok();
  }
  Status Uint(const std::string& key, uint64_t lo, uint64_t hi, uint64_t* out,
              bool required) const {
    auto it = obj_.find(key);
    std::string want = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (it == obj_.end()) return required ? Missing(key, want) : Status::Ok();
    if (!it->is_number_unsigned() || it->get<uint64_t>() < lo || it->get<uint64_t>() > hi) {
      return Fail(key, want, &*it);
    }
    *out = it->get<uint64_t>();
    return Status::Ok();
  }
  Status Fail(const std::string& key, const std::string& want, const json* got) const {
    return Status::Invalid(where_ + key + ": expected " + want +
                           (got ? ", got " + got->dump() : std::string()));
  }

 private:
  Status Missing(const std::string& key, const std::string& want) const {
    return Status::Invalid(where_ + key + ": missing (expected " + want + ")");
  }
  const json& obj_;
  std::string where_;
};

template <typename T>
Status ReadUint(const Reader& r, const std::string& key, uint64_t lo, uint64_t hi, T* out,
                bool required) {
  uint64_t v = static_cast<uint64_t>(*out);
  SHARDCTL_RETURN_IF_ERROR(r.Uint(key, lo, hi, &v, required));
  *out = static_cast<T>(v);
  return Status::Ok();
}

Status ReadPeer(const json& j, const std::string& where, PeerConfig* p) {
  if (!j.is_object()) return Status::Invalid(where + ": expected an object, got " + j.dump());
  Reader r(j, where + ".");
  SHARDCTL_RETURN_IF_ERROR(r.CheckKeys({"index", "name", "p2p_port", "voting_power"}));
  SHARDCTL_RETURN_IF_ERROR(ReadUint(r, "index", 0, 9999, &p->index, true));
  SHARDCTL_RETURN_IF_ERROR(r.String("name", &p->name, false));
  SHARDCTL_RETURN_IF_ERROR(ReadUint(r, "p2p_port", 1, 65535, &p->p2p_port, true));
  SHARDCTL_RETURN_IF_ERROR(ReadUint(r, "voting_power", 1, 1'000'000, &p->voting_power, false));
  if (p->name.empty()) p->name = "node-" + std::to_string(p->index);
  return Status::Ok();
}

Status ReadDuration(const Reader& r, const std::string& key, Duration* out) {
  uint64_t ms = static_cast<uint64_t>(out->count());
  SHARDCTL_RETURN_IF_ERROR(r.Uint(key, 1, 3'600'000, &ms, false));
  *out = Duration(static_cast<int64_t>(ms));
  return Status::Ok();
}

Status ReadPeers(const json& root, const std::string& where, SimConfig* c) {
  auto it = root.find("peers");
  if (it == root.end() || !it->is_array() || it->empty()) {
    return Status::Invalid(where + "peers: expected a non-empty array of {index, p2p_port}");
  }
  for (size_t i = 0; i < it->size(); ++i) {
    PeerConfig p;
    SHARDCTL_RETURN_IF_ERROR(ReadPeer((*it)[i], where + "peers[" + std::to_string(i) + "]", &p));
    c->peers.push_back(p);
  }
  std::sort(c->peers.begin(), c->peers.end(),
            [](const PeerConfig& a, const PeerConfig& b) { return a.index < b.index; });
  for (size_t i = 0; i < c->peers.size(); ++i) {
    if (c->peers[i].index != i) {
      return Status::Invalid(where + "peers: expected indices 0.." +
                             std::to_string(c->peers.size() - 1) + " each once");
    }
  }
  if (c->index >= c->peers.size()) {
    return Status::Invalid(where + "index: " + std::to_string(c->index) +
                           " is not among the peers' indices");
  }
  if (c->peers[c->index].p2p_port != c->p2p_port) {
    return Status::Invalid(where + "p2p_port: " + std::to_string(c->p2p_port) +
                           " differs from peers[index " + std::to_string(c->index) + "].p2p_port " +
                           std::to_string(c->peers[c->index].p2p_port));
  }
  return Status::Ok();
}

}  // namespace

std::vector<uint64_t> SimConfig::VotingPower() const {
  std::vector<uint64_t> out;
  for (const PeerConfig& p : peers) out.push_back(p.voting_power);
  return out;
}

Result<SimConfig> ParseConfig(const std::string& text, const std::string& source) {
  std::string where = "config " + source + ": ";
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Status::Invalid(where + "not valid JSON");
  if (!root.is_object()) return Status::Invalid(where + "expected a JSON object at the top");
  Reader r(root, where);
  SHARDCTL_RETURN_IF_ERROR(r.CheckKeys({"name", "shard_id", "index", "data_dir", "rpc_port",
                                        "p2p_port", "peers", "block_ms", "phase_timeout_ms",
                                        "view_change_ms", "sync_wait_ms", "net_faults_file"}));
  SimConfig c;
  SHARDCTL_RETURN_IF_ERROR(r.String("name", &c.name, true));
  SHARDCTL_RETURN_IF_ERROR(ReadUint(r, "shard_id", 0, 1'000'000, &c.shard_id, false));
  SHARDCTL_RETURN_IF_ERROR(ReadUint(r, "index", 0, 9999, &c.index, true));
  SHARDCTL_RETURN_IF_ERROR(r.String("data_dir", &c.data_dir, true));
  SHARDCTL_RETURN_IF_ERROR(ReadUint(r, "rpc_port", 1, 65535, &c.rpc_port, true));
  SHARDCTL_RETURN_IF_ERROR(ReadUint(r, "p2p_port", 1, 65535, &c.p2p_port, true));
  SHARDCTL_RETURN_IF_ERROR(ReadDuration(r, "block_ms", &c.params.block));
  SHARDCTL_RETURN_IF_ERROR(ReadDuration(r, "phase_timeout_ms", &c.params.phase_timeout));
  SHARDCTL_RETURN_IF_ERROR(ReadDuration(r, "view_change_ms", &c.params.view_change));
  SHARDCTL_RETURN_IF_ERROR(ReadDuration(r, "sync_wait_ms", &c.params.sync_wait));
  SHARDCTL_RETURN_IF_ERROR(r.String("net_faults_file", &c.net_faults_file, false));
  SHARDCTL_RETURN_IF_ERROR(ReadPeers(root, where, &c));
  if (c.rpc_port == c.p2p_port) {
    return Status::Invalid(where + "rpc_port: must differ from p2p_port");
  }
  std::filesystem::path config_dir = std::filesystem::absolute(source).parent_path();
  std::filesystem::path dir(c.data_dir);
  if (dir.is_relative()) c.data_dir = (config_dir / dir).lexically_normal();
  std::filesystem::path faults(c.net_faults_file.empty() ? "net-faults" : c.net_faults_file);
  if (faults.is_relative()) c.net_faults_file = (config_dir / faults).lexically_normal();
  return c;
}

Result<SimConfig> LoadConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("config " + path + ": cannot read file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseConfig(ss.str(), path);
}

}  // namespace vsim
