#include "support/etcd_fixture.h"

#include <httplib.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <thread>

namespace shardctl::testing {
namespace {

using nlohmann::json;

std::string EtcdMemberScript() { return SourceDir() + "/tools/etcd-member"; }

}  // namespace

EtcdClusters::~EtcdClusters() { StopAll(); }

bool EtcdClusters::Up(int clusters, int members, std::string* err,
                      std::chrono::milliseconds timeout) {
  if (!sshd_.ok()) {
    *err = "sshd: " + sshd_.error();
    return false;
  }
  for (int c = 0; c < clusters; ++c) {
    if (!StartCluster(c, members, err)) return false;
  }
  WriteInventory(clusters);
  std::string waiting;
  std::set<std::string> known;  // members whose id is in ids_
  bool up = WaitFor(
      [&] {
        for (const EtcdMember& m : members_) {
          auto st = known.count(m.name) ? std::optional<json>() : Status(m);
          if (!st || !(*st)["header"]["member_id"].is_string()) continue;
          ids_[(*st)["header"]["member_id"].get<std::string>()] = m.name;
          known.insert(m.name);
        }
        for (const EtcdMember& m : members_) {
          if (LeaderSeenBy(m).empty()) {
            waiting = m.name;
            return false;
          }
        }
        return true;
      },
      timeout, std::chrono::milliseconds(100));
  if (!up) *err = waiting + " saw no leader within the wait; see " + dir();
  return up;
}

bool EtcdClusters::StartCluster(int cluster, int members, std::string* err) {
  std::vector<EtcdMember> added;
  std::string initial;
  for (int i = 0; i < members; ++i) {
    EtcdMember m;
    m.name = "c" + std::to_string(cluster) + "-m" + std::to_string(i);
    m.cluster = cluster;
    m.dir = dir() + "/" + m.name;
    m.client_port = FreePort();
    m.peer_port = FreePort();
    initial +=
        (initial.empty() ? "" : ",") + m.name + "=http://127.0.0.1:" + std::to_string(m.peer_port);
    added.push_back(m);
  }
  for (const EtcdMember& m : added) {
    std::string out;
    if (RunCommand({EtcdMemberScript(), "init", "--dir", m.dir, "--name", m.name, "--client-port",
                    std::to_string(m.client_port), "--peer-port", std::to_string(m.peer_port),
                    "--cluster", initial, "--token", "cluster-" + std::to_string(cluster)},
                   &out) != 0) {
      *err = "etcd-member init " + m.name + ": " + out;
      return false;
    }
    members_.push_back(m);  // from here on the destructor stops it
  }
  // Members of a new cluster wait for each other, so start them together.
  std::vector<std::pair<std::string, std::string>> outputs(added.size());
  std::vector<std::thread> starts;
  std::vector<int> rcs(added.size());
  for (size_t i = 0; i < added.size(); ++i) {
    starts.emplace_back([&, i] {
      rcs[i] = RunCommand({EtcdMemberScript(), "start", "--dir", added[i].dir}, &outputs[i].second);
    });
  }
  for (std::thread& t : starts) t.join();
  for (size_t i = 0; i < added.size(); ++i) {
    if (rcs[i] != 0) {
      *err = "etcd-member start " + added[i].name + ": " + outputs[i].second;
      return false;
    }
  }
  return true;
}

void EtcdClusters::WriteInventory(int clusters) const {
  json shards = json::array();
  for (int c = 0; c < clusters; ++c) {
    json nodes = json::array();
    for (const EtcdMember& m : members_) {
      if (m.cluster != c) continue;
      nodes.push_back(
          {{"name", m.name},
           {"host", "127.0.0.1"},
           {"vars", {{"dir", m.dir}, {"client_port", m.client_port}, {"peer_port", m.peer_port}}}});
    }
    shards.push_back({{"id", c}, {"nodes", nodes}});
  }
  json inv = {{"network", "etcd-test"},
              {"defaults",
               {{"ssh",
                 {{"user", "root"},
                  {"port", sshd_.port()},
                  {"identity_file", sshd_.identity_file()},
                  {"known_hosts", sshd_.known_hosts()}}},
                {"vars", {{"etcd_member", EtcdMemberScript()}}}}},
              {"shards", shards}};
  std::ofstream(inventory_path()) << inv.dump(2);
}

std::vector<EtcdEndpoints> EtcdClusters::endpoints() const {
  std::vector<EtcdEndpoints> out;
  for (const EtcdMember& m : members_) {
    if (static_cast<int>(out.size()) <= m.cluster) out.resize(m.cluster + 1);
    out[m.cluster].push_back(m.endpoint());
  }
  return out;
}

int EtcdClusters::Starts(const EtcdMember& m) const {
  const std::string log = ReadFile(m.dir + "/etcd.log"), mark = "=== etcd-member: start";
  int count = 0;
  for (size_t at = log.find(mark); at != std::string::npos; at = log.find(mark, at + 1)) ++count;
  return count;
}

bool EtcdClusters::IsRunning(const EtcdMember& m) const {
  return RunCommand({EtcdMemberScript(), "status", "--dir", m.dir}) == 0;
}

std::optional<json> EtcdClusters::Status(const EtcdMember& m) const {
  httplib::Client cli("http://" + m.endpoint());
  cli.set_connection_timeout(std::chrono::milliseconds(200));
  cli.set_read_timeout(std::chrono::milliseconds(500));
  auto res = cli.Post("/v3/maintenance/status", "{}", "application/json");
  if (!res || res->status != 200) return std::nullopt;
  json j = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  return j;
}

std::string EtcdClusters::LeaderSeenBy(const EtcdMember& m) const {
  auto st = Status(m);
  if (!st || !(*st)["leader"].is_string()) return "";
  auto it = ids_.find((*st)["leader"].get<std::string>());
  return it == ids_.end() ? "" : it->second;
}

void EtcdClusters::StopAll() {
  std::vector<std::thread> stops;
  for (const EtcdMember& m : members_) {
    stops.emplace_back([&m] {
      RunCommand({EtcdMemberScript(), "stop", "--dir", m.dir, "--timeout", "5"});
    });
  }
  for (std::thread& t : stops) t.join();
  for (const EtcdMember& m : members_) {  // the sure path, if the script could not stop one
    const int pid = std::atoi(ReadFile(m.dir + "/etcd.pid").c_str());
    const std::string cmdline =
        pid > 0 ? ReadFile("/proc/" + std::to_string(pid) + "/cmdline") : "";
    if (cmdline.find(m.dir + "/etcd.conf.yml") != std::string::npos) kill(pid, SIGKILL);
  }
  members_.clear();
}

}  // namespace shardctl::testing
