#include "support/shardctl_cli.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "support/sshd_fixture.h"
#include "support/test_util.h"

namespace shardctl::testing {

using nlohmann::json;

int Shardctl(const std::vector<std::string>& args, const std::string& err_file, std::string* out,
             int limit_s) {
  std::vector<std::string> argv = {"sh", "-c",
                                   "exec timeout -k 10 " + std::to_string(limit_s) +
                                       " \"$0\" \"$@\" </dev/null 2>>'" + err_file + "'",
                                   ShardctlBin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, out);
}

int ShardctlOutput(const TempDir& dir, const std::vector<std::string>& args, std::string* out,
                   int limit_s) {
  std::string err = dir.path() + "/stderr.txt";
  std::remove(err.c_str());
  int rc = Shardctl(args, err, out, limit_s);
  *out += ReadFile(err);
  return rc;
}

std::string UnreachableInventory(const TempDir& dir, int nodes) {
  json list = json::array();
  for (int i = 0; i < nodes; ++i) {
    list.push_back({{"name", "s0-n" + std::to_string(i)},
                    {"host", "127.0.0.1"},
                    {"vars", {{"dir", "/nonexistent"}, {"rpc_port", 1}}}});
  }
  json inv = {{"network", "unreachable"},
              {"defaults",
               {{"ssh",
                 {{"user", "root"},
                  {"port", FreePort()},
                  {"identity_file", dir.path() + "/id"},
                  {"known_hosts", dir.path() + "/kh"}}}}},
              {"shards", {{{"id", 0}, {"nodes", list}}}}};
  return dir.WriteFile("inv.json", inv.dump());
}

std::string SshdInventory(const LocalSshd& sshd, const json& vars) {
  json node = {{"name", "s0-n0"}, {"host", "127.0.0.1"}};
  if (!vars.empty()) node["vars"] = vars;
  json inv = {{"network", "sshd"},
              {"defaults",
               {{"ssh",
                 {{"user", "root"},
                  {"port", sshd.port()},
                  {"identity_file", sshd.identity_file()},
                  {"known_hosts", sshd.known_hosts()}}}}},
              {"shards", {{{"id", 0}, {"nodes", {node}}}}}};
  return sshd.temp().WriteFile("inv.json", inv.dump());
}

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) lines.push_back(j);
  }
  return lines;
}

json FinalReport(const std::string& out) {
  json report;
  for (const json& j : JsonLines(out)) {
    if (j.value("event", "") == "report") report = j["report"];
  }
  return report;
}

std::vector<json> JournalLines(const std::string& state_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(state_dir + "/runs", ec)) {
    files.push_back(f.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<json> lines;
  for (const std::string& f : files) {
    for (json& j : JsonLines(ReadFile(f))) lines.push_back(std::move(j));
  }
  return lines;
}

ShardctlProcess::ShardctlProcess(const std::vector<std::string>& args,
                                 const std::string& out_file) {
  std::string bin = BinDir() + "/shardctl";
  std::vector<char*> argv = {bin.data()};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ != 0) return;
  int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int null = open("/dev/null", O_RDONLY);
  if (out < 0 || null < 0) _exit(127);
  dup2(out, 1);
  dup2(out, 2);
  dup2(null, 0);
  execv(bin.c_str(), argv.data());
  _exit(127);
}

ShardctlProcess::~ShardctlProcess() {
  if (pid_ <= 0 || reaped_) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

void ShardctlProcess::Signal(int sig) const {
  if (pid_ > 0 && !reaped_) kill(pid_, sig);
}

int ShardctlProcess::Wait(std::chrono::milliseconds timeout) {
  int status = 0;
  if (!WaitFor([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout)) return -1;
  reaped_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace shardctl::testing
