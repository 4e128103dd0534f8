// Small helpers every test folder shares.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace shardctl::testing {

/// A fresh directory under $TMPDIR, removed (recursively) when this object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  /// Writes content to path()/name and returns the full path.
  std::string WriteFile(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

/// A loopback port that was free for both TCP and UDP a moment ago (bind to 0, read, close).
int FreePort();

/// Polls cond every poll until it is true (returns true) or timeout passes (returns false).
bool WaitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout,
             std::chrono::milliseconds poll = std::chrono::milliseconds(50));

/// Runs argv (no shell), returns exit status; stdout+stderr go to *output when given.
int RunCommand(const std::vector<std::string>& argv, std::string* output = nullptr);

std::string ReadFile(const std::string& path);

/// Paths of the source tree and the built binaries (build/bin).
std::string SourceDir();
std::string BinDir();
/// build/bin/shardctl.
std::string ShardctlBin();
/// A playbook shipped in playbooks/, by name ("sandbox", "etcd").
std::string ShippedPlaybook(const std::string& name);

}  // namespace shardctl::testing
