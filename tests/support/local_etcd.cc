#include "support/local_etcd.h"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

namespace shardctl::testing {
namespace {

bool Healthy(int port, bool tls) {
  httplib::Client c((tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port));
  c.enable_server_certificate_verification(false);
  c.set_connection_timeout(0, 300000);
  c.set_read_timeout(1, 0);
  auto res = c.Get("/health");
  return res && res->status == 200 && res->body.find("true") != std::string::npos;
}

pid_t Spawn(const std::vector<std::string>& argv, const std::string& log) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    dup2(fd, 1);
    dup2(fd, 2);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  _exit(127);
}

}  // namespace

LocalEtcd::LocalEtcd(const std::string& cert_file, const std::string& key_file)
    : tls_(!cert_file.empty()) {
  client_port_ = FreePort();
  peer_port_ = FreePort();
  std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
  std::string log = temp_.path() + "/etcd.log";
  std::vector<std::string> argv = {"etcd",
                                   "--name",
                                   "t",
                                   "--data-dir",
                                   temp_.path() + "/data",
                                   "--listen-client-urls",
                                   endpoint(),
                                   "--advertise-client-urls",
                                   endpoint(),
                                   "--listen-peer-urls",
                                   peer,
                                   "--initial-advertise-peer-urls",
                                   peer,
                                   "--initial-cluster",
                                   "t=" + peer,
                                   "--log-level",
                                   "warn"};
  if (tls_) argv.insert(argv.end(), {"--cert-file", cert_file, "--key-file", key_file});
  pid_ = Spawn(argv, log);
  if (pid_ < 0) {
    error_ = "fork failed";
    return;
  }
  auto exited = [&] {
    if (pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
    return pid_ < 0;
  };
  ok_ = WaitFor([&] { return exited() || Healthy(client_port_, tls_); }, std::chrono::seconds(20),
                std::chrono::milliseconds(100)) &&
        !exited();
  if (!ok_) {
    std::string text = ReadFile(log);
    error_ = "etcd did not become healthy on " + endpoint() + "; log tail:\n" +
             text.substr(text.size() > 2000 ? text.size() - 2000 : 0);
  }
}

LocalEtcd::~LocalEtcd() { Kill(); }

void LocalEtcd::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string WithEtcdLock(const std::string& inventory_path, const std::string& out_path,
                         const LocalEtcd& etcd, int ttl_s) {
  nlohmann::json inv = nlohmann::json::parse(ReadFile(inventory_path));
  inv["lock"] = {{"etcd", {{"endpoints", {etcd.endpoint()}}, {"ttl_s", ttl_s}}}};
  std::ofstream(out_path) << inv.dump(2);
  return out_path;
}

}  // namespace shardctl::testing
