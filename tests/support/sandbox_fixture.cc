#include "support/sandbox_fixture.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <stdexcept>

#include "support/test_util.h"

namespace shardctl::testing {
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

// True for a live (not zombie) process: PID 1 in some containers never reaps orphans.
bool ProcessAlive(int pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  auto paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
  char state = stat[paren + 2];
  return state != 'Z' && state != 'X';
}

std::vector<std::string> CmdLine(int pid) {
  std::string raw = ReadFile("/proc/" + std::to_string(pid) + "/cmdline");
  std::vector<std::string> args;
  size_t start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\0') {
      args.push_back(raw.substr(start, i - start));
      start = i + 1;
    }
  }
  return args;
}

}  // namespace

Sandbox::Sandbox() {
  std::string tmpl = (fs::temp_directory_path() / "shardctl-sandbox-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
}

Sandbox::~Sandbox() {
  std::string err;
  if (!Down(&err)) ADD_FAILURE() << "sandbox down failed: " << err;
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  if (test != nullptr && test->result()->Failed()) {
    std::cerr << "sandbox kept for inspection: " << dir_ << " (node logs: " << dir_
              << "/nodes/*/node.log)\n";
    return;
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

bool Sandbox::Up(const SandboxOptions& o, std::string* err) {
  std::vector<std::string> args = {"--shards",
                                   std::to_string(o.shards),
                                   "--nodes",
                                   std::to_string(o.nodes),
                                   "--block-ms",
                                   std::to_string(o.block_ms),
                                   "--phase-timeout-ms",
                                   std::to_string(o.phase_timeout_ms),
                                   "--view-change-ms",
                                   std::to_string(o.view_change_ms),
                                   "--sim",
                                   o.sim.empty() ? BinDir() + "/validator-sim" : o.sim};
  if (!o.voting_power.empty()) {
    std::string list;
    for (int v : o.voting_power) list += (list.empty() ? "" : ",") + std::to_string(v);
    args.insert(args.end(), {"--voting-power", list});
  }
  if (o.up_timeout_s > 0) args.insert(args.end(), {"--timeout", std::to_string(o.up_timeout_s)});
  up_ = true;  // even a failed up may have started something: Down() must run
  std::string out;
  if (Run("up", args, &out) != 0) {
    if (err) *err = "sandbox up failed:\n" + out;
    return false;
  }
  return LoadInventory(err);
}

bool Sandbox::LoadInventory(std::string* err) {
  nlohmann::json inv;
  try {
    inv = nlohmann::json::parse(ReadFile(inventory_path()));
    ssh_port_ = inv.at("defaults").at("ssh").at("port").get<int>();
    nodes_.clear();
    for (const auto& shard : inv.at("shards")) {
      for (const auto& n : shard.at("nodes")) {
        SandboxNode node;
        node.name = n.at("name").get<std::string>();
        node.shard = shard.at("id").get<int>();
        node.index = static_cast<int>(nodes_.size());  // fixed below from the name
        node.voting_power = n.value("voting_power", 1);
        node.dir = n.at("vars").at("dir").get<std::string>();
        node.rpc_port = n.at("vars").at("rpc_port").get<int>();
        node.p2p_port = n.at("vars").at("p2p_port").get<int>();
        node.index = std::stoi(node.name.substr(node.name.find("-n") + 2));
        nodes_.push_back(node);
      }
    }
  } catch (const std::exception& e) {
    if (err) *err = inventory_path() + ": unexpected shape: " + e.what();
    return false;
  }
  return true;
}

bool Sandbox::Down(std::string* err) {
  if (!up_) return true;
  std::string out;
  int rc = Run("down", {}, &out);
  if (rc != 0) {
    if (err) *err = "sandbox down exited " + std::to_string(rc) + ":\n" + out;
    return false;
  }
  up_ = false;
  return true;
}

std::vector<SandboxNode> Sandbox::shard_nodes(int shard) const {
  std::vector<SandboxNode> result;
  for (const auto& n : nodes_) {
    if (n.shard == shard) result.push_back(n);
  }
  return result;
}

std::vector<std::string> Sandbox::shard_node_names(int shard) const {
  std::vector<std::string> names;
  for (const auto& n : shard_nodes(shard)) names.push_back(n.name);
  return names;
}

const SandboxNode& Sandbox::node(const std::string& name) const {
  for (const auto& n : nodes_) {
    if (n.name == name) return n;
  }
  throw std::out_of_range("no sandbox node named " + name);
}

int Sandbox::Run(const std::string& command, const std::vector<std::string>& args,
                 std::string* output) const {
  std::vector<std::string> argv = {SourceDir() + "/tools/sandbox", command, "--dir", dir_};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, output);
}

int Sandbox::Ctl(const std::string& name, const std::string& action, std::string* output) const {
  return RunCommand({node_dir(name) + "/ctl", action}, output);
}

int Sandbox::Ssh(const std::string& command, std::string* output) const {
  return RunCommand({"timeout",
                     "30",
                     "ssh",
                     "-F",
                     "/dev/null",
                     "-o",
                     "BatchMode=yes",
                     "-o",
                     "StrictHostKeyChecking=yes",
                     "-o",
                     "UserKnownHostsFile=" + known_hosts(),
                     "-o",
                     "IdentitiesOnly=yes",
                     "-o",
                     "ConnectTimeout=10",
                     "-i",
                     identity_file(),
                     "-p",
                     std::to_string(ssh_port_),
                     "root@127.0.0.1",
                     command},
                    output);
}

std::optional<nlohmann::json> Sandbox::Rpc(const std::string& name,
                                           const std::string& method) const {
  std::string body = R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":[]})";
  std::string out;
  int rc = RunCommand({"curl", "-s", "--max-time", "1", "-H", "Content-Type: application/json",
                       "-d", body, "http://127.0.0.1:" + std::to_string(node(name).rpc_port) + "/"},
                      &out);
  if (rc != 0) return std::nullopt;
  auto reply = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_object() || !reply.contains("result")) return std::nullopt;
  return reply["result"];
}

std::optional<int64_t> Sandbox::Height(const std::string& name) const {
  auto r = Rpc(name, "hmyv2_blockNumber");
  if (!r || !r->is_number_integer()) return std::nullopt;
  return r->get<int64_t>();
}

std::optional<nlohmann::json> Sandbox::Metadata(const std::string& name) const {
  auto r = Rpc(name, "hmyv2_getNodeMetadata");
  if (!r || !r->is_object()) return std::nullopt;
  return r;
}

std::optional<int64_t> Sandbox::ShardHeight(int shard) const {
  std::optional<int64_t> top;
  for (const auto& n : shard_nodes(shard)) {
    auto h = Height(n.name);
    if (h && (!top || *h > *top)) top = h;
  }
  return top;
}

bool Sandbox::WaitForShardHeight(int shard, int64_t min_height, milliseconds timeout) const {
  return WaitFor(
      [&] {
        auto h = ShardHeight(shard);
        return h && *h >= min_height;
      },
      timeout, milliseconds(200));
}

bool Sandbox::WaitForHalt(int shard, milliseconds stable, milliseconds timeout,
                          int64_t* height) const {
  std::optional<int64_t> last;
  auto since = steady_clock::now();
  return WaitFor(
      [&] {
        auto h = ShardHeight(shard);
        auto now = steady_clock::now();
        if (h != last) {
          last = h;
          since = now;
          return false;
        }
        if (height && h) *height = *h;
        return now - since >= stable;
      },
      timeout, milliseconds(250));
}

bool Sandbox::WaitForAllHalted(milliseconds stable, milliseconds timeout) const {
  std::map<int, std::optional<int64_t>> last;  // per shard: top height seen, and since when
  std::map<int, steady_clock::time_point> since;
  for (const auto& n : nodes_) since.emplace(n.shard, steady_clock::time_point{});
  return WaitFor(
      [&] {
        auto now = steady_clock::now();
        bool all = true;
        for (auto& [shard, t] : since) {
          auto h = ShardHeight(shard);
          if (t == steady_clock::time_point{} || h != last[shard]) {
            last[shard] = h;
            t = now;
          }
          all = all && now - t >= stable;
        }
        return all;
      },
      timeout, milliseconds(250));
}

std::vector<int> Sandbox::LivePids() const {
  std::vector<int> pids;
  const std::string prefix = dir_ + "/nodes/";
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string pid_text = entry.path().filename().string();
    if (pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    int pid = std::stoi(pid_text);
    for (const auto& arg : CmdLine(pid)) {
      if (arg.rfind(prefix, 0) == 0 && ProcessAlive(pid)) {
        pids.push_back(pid);
        break;
      }
    }
  }
  std::string sshd_pid = ReadFile(dir_ + "/ssh/sshd.pid");
  if (!sshd_pid.empty()) {
    int pid = std::atoi(sshd_pid.c_str());
    if (pid > 0 && ProcessAlive(pid)) pids.push_back(pid);
  }
  return pids;
}

}  // namespace shardctl::testing
