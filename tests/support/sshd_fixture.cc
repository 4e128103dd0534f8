#include "support/sshd_fixture.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace shardctl::testing {

namespace {
std::string LocalSshdScript() { return SourceDir() + "/tools/local-sshd"; }

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

int LocalSshd::AcceptedLogins() const {
  std::string log = ReadFile(dir_ + "/sshd.log");
  int n = 0;
  for (size_t at = log.find("Accepted publickey"); at != std::string::npos;
       at = log.find("Accepted publickey", at + 1)) {
    ++n;
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
