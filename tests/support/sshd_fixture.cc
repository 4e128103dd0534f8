#include "support/sshd_fixture.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

namespace shardctl::testing {

namespace {
std::string LocalSshdScript() { return SourceDir() + "/tools/local-sshd"; }

int CountInLog(const std::string& dir, const std::string& needle) {
  std::string log = ReadFile(dir + "/sshd.log");
  int n = 0;
  for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
  return n;
}

/// True while pid exists and is not a zombie. The daemonized sshd's parent is init, which may
/// reap it only seconds later, so `kill -0` alone says "alive" long after it exited.
bool Running(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
  return stat[paren + 2] != 'Z' && stat[paren + 2] != 'X';
}
}  // namespace

LocalSshd::LocalSshd(const std::string& log_level) : dir_(temp_.path() + "/ssh") {
  // FreePort can race with another test binding the same port: try a few.
  for (int attempt = 0; attempt < 3 && !ok_; ++attempt) {
    port_ = FreePort();
    std::string output;
    int rc = RunCommand({LocalSshdScript(), "start", "--dir", dir_, "--port", std::to_string(port_),
                         "--private-home", "--log-level", log_level},
                        &output);
    ok_ = rc == 0;
    running_ = ok_;
    if (!ok_) error_ += "local-sshd start (port " + std::to_string(port_) + "): " + output;
  }
}

LocalSshd::~LocalSshd() { Stop(); }

bool LocalSshd::Stop() {
  if (!running_) return true;
  std::string pid_text = ReadFile(dir_ + "/sshd.pid");
  pid_t pid = pid_text.empty() ? 0 : static_cast<pid_t>(std::stol(pid_text));
  if (pid > 0 && kill(pid, SIGTERM) == 0 &&
      WaitFor([&] { return !Running(pid); }, std::chrono::seconds(5),
              std::chrono::milliseconds(5))) {
    std::remove((dir_ + "/sshd.pid").c_str());
    running_ = false;
    return true;
  }
  running_ =
      RunCommand({LocalSshdScript(), "stop", "--dir", dir_}) != 0;  // the script's slow, sure path
  return !running_;
}

int LocalSshd::AcceptedLogins() const { return CountInLog(dir_, "Accepted publickey"); }

int LocalSshd::StartedSessions() const { return CountInLog(dir_, "Starting session: "); }

int LocalSshd::Descendants() const {
  std::string pid_text = ReadFile(dir_ + "/sshd.pid");
  pid_t root = pid_text.empty() ? 0 : static_cast<pid_t>(std::stol(pid_text));
  std::map<pid_t, pid_t> parent;  // pid -> ppid, for every live process
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = ReadFile("/proc/" + name + "/stat");
    size_t paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 4 >= stat.size() || stat[paren + 2] == 'Z') continue;
    parent[std::stoi(name)] = static_cast<pid_t>(std::atol(stat.c_str() + paren + 4));
  }
  auto up = [&](pid_t p) {
    auto it = parent.find(p);
    return it == parent.end() ? pid_t{0} : it->second;
  };
  int n = 0;
  for (const auto& [pid, ppid] : parent) {
    pid_t p = ppid;
    while (p > 1 && p != root) p = up(p);
    if (p == root && root > 0) ++n;
  }
  return n;
}

Node LocalSshd::MakeNode(const std::string& name, int shard) const {
  Node n;
  n.name = name;
  n.shard = shard;
  n.ssh.host = "127.0.0.1";
  n.ssh.port = port_;
  n.ssh.user = "root";
  n.ssh.identity_file = identity_file();
  n.ssh.known_hosts = known_hosts();
  n.vars["node.name"] = name;
  n.vars["node.host"] = "127.0.0.1";
  n.vars["shard.id"] = std::to_string(shard);
  return n;
}

}  // namespace shardctl::testing
