// The subset of OpenSSH's ssh_config(5) that shardctl honours, read per host.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace shardctl {

/// The settings of one host after every matching block was applied, first value wins (as in
/// OpenSSH). Unset fields were not in the config. Paths are ~- and %-expanded.
struct SshConfigEntry {
  std::optional<std::string> hostname;
  std::optional<std::string> user;
  std::optional<int> port;
  std::optional<std::string> identity_file;  // the first IdentityFile
  std::optional<std::string> known_hosts;    // the first UserKnownHostsFile
  std::optional<std::string> proxy_jump;     // as written; "none" is reported as unset
  std::optional<int> connect_timeout_s;
  std::optional<int> server_alive_interval_s;
};

/// A parsed ssh_config: Host blocks (patterns with *, ?, !negation, several per line), Include
/// (globs, relative to ~/.ssh), `Match all`; other Match blocks never match. Keywords outside
/// the subset above (StrictHostKeyChecking among them: host keys are always checked) are ignored.
class SshConfig {
 public:
  /// Reads path. Errors name the file and line (kInvalid) or say it is unreadable (kNotFound).
  static Result<SshConfig> Load(const std::string& path);
  /// Parses text as if read from path (for tests and Include).
  static Result<SshConfig> Parse(const std::string& text, const std::string& path);

  /// The settings for host as written in the inventory (Host patterns match it).
  SshConfigEntry Lookup(const std::string& host) const;

 private:
  struct Setting {
    std::string keyword;  // lower case
    std::string value;
  };
  struct Block {
    std::vector<std::string> patterns;  // empty: applies to every host
    bool never = false;                 // a Match block we do not evaluate
    std::vector<Setting> settings;
  };
  Status ParseInto(const std::string& text, const std::string& path, int depth);
  Status Include(const std::string& arg, const std::string& path, int line, int depth);

  std::vector<Block> blocks_;
};

/// True when host matches the space-separated OpenSSH pattern list (any positive pattern
/// matches and no negated one does).
bool SshHostMatches(const std::vector<std::string>& patterns, const std::string& host);

/// [user@]host[:port] or ssh://[user@]host[:port]: one jump host. Port 0 when absent.
struct JumpSpec {
  std::string user;
  std::string host;
  int port = 0;
};
/// Parses a jump spec; `where` prefixes errors. Several hops (a,b) are refused.
Result<JumpSpec> ParseJumpSpec(const std::string& spec, const std::string& where);

}  // namespace shardctl
