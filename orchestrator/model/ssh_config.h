// The subset of OpenSSH's ssh_config(5) that shardctl honours, read per host.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/read_file.h"
#include "base/status.h"
#include "base/work_budget.h"

namespace shardctl {

/// The settings of one host after every matching block was applied, first value wins (as in
/// OpenSSH). Unset fields were not in the config.
struct SshConfigEntry {
  std::optional<std::string> hostname;  // %h and %% expanded
  std::optional<std::string> user;
  std::optional<int> port;
  std::optional<std::string> identity_file;  // the first IdentityFile, as written (ExpandSshPath)
  std::optional<std::string> known_hosts;    // the first UserKnownHostsFile, as written
  /// ProxyJump, when it comes before any ProxyCommand (whichever comes first wins, as in
  /// OpenSSH); "none" is reported as unset.
  std::optional<std::string> proxy_jump;
  /// "FILE:LINE" of a ProxyCommand (not "none") that comes first: shardctl never runs it.
  std::optional<std::string> proxy_command;
  std::optional<int> connect_timeout_s;
  std::optional<int> server_alive_interval_s;
};

/// What the tokens of IdentityFile and UserKnownHostsFile stand for: the connection as it will
/// be made, after the inventory and the config were both applied.
struct SshTokens {
  std::string host;      // %h: the host dialled (after HostName)
  std::string original;  // %n: the host as the inventory writes it
  int port = 22;         // %p
  std::string user;      // %r: the remote user
};

/// Expands a leading ~ and the tokens %h %n %p %r %u %d %% (the only ones the config may use in
/// paths: checked when it is read).
std::string ExpandSshPath(const std::string& value, const SshTokens& t);

/// A parsed ssh_config: Host blocks (patterns with *, ?, !negation, several per line), Include
/// (globs, relative to ~/.ssh), `Match all`; other Match blocks never match (`Match exec` is
/// never run, with a warning). Keywords outside the subset above (StrictHostKeyChecking among
/// them: host keys are always checked) are ignored. A file and its Includes are read by the
/// rule of base/read_file.h: regular files only, and at most kMaxIncludeBytes and
/// kMaxIncludeEntries in all, however the Includes nest or repeat.
class SshConfig {
 public:
  /// Directories, directory entries and files Include may look at while expanding globs, in
  /// all (a config.d/ of a few dozen files needs a few dozen).
  static constexpr size_t kMaxIncludeEntries = 1000;
  /// Bytes a config and its Includes may hold in all (real ones hold a few KB).
  static constexpr size_t kMaxIncludeBytes = size_t{1} << 20;

  /// Reads path. Errors name the file and line (kInvalid) or say it is unreadable (kNotFound).
  static Result<SshConfig> Load(const std::string& path);
  /// Parses text as if read from path (for tests and Include).
  static Result<SshConfig> Parse(const std::string& text, const std::string& path);

  /// The settings for host as written in the inventory (Host patterns match it).
  SshConfigEntry Lookup(const std::string& host) const;

  /// What was read but never acts ("FILE:LINE: Match exec is never run ..."), in file order.
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Setting {
    std::string keyword;  // lower case
    std::string value;
    std::string where;  // "FILE:LINE"
  };
  struct Block {
    std::vector<std::string> patterns;  // empty: applies to every host
    bool never = false;                 // a Match block we do not evaluate
    std::vector<Setting> settings;
  };
  Status ParseInto(const std::string& text, const std::string& path, int depth);
  Status ParseLine(const std::string& keyword, const std::vector<std::string>& args,
                   const std::string& where, int depth);
  Status Include(const std::string& arg, const std::string& where, int depth);

  std::vector<Block> blocks_;
  std::vector<std::string> warnings_;
  WorkBudget bytes_{kMaxIncludeBytes, "bytes of ssh_config (an Include counts each time)"};
  WorkBudget entries_{kMaxIncludeEntries, "files and directory entries looked at by Include"};
};

/// True when host matches the space-separated OpenSSH pattern list (any positive pattern
/// matches and no negated one does).
bool SshHostMatches(const std::vector<std::string>& patterns, const std::string& host);

/// [user@]host[:port], [user@][v6]:port or ssh://...: one jump host. Port 0 when absent.
struct JumpSpec {
  std::string user;
  std::string host;
  int port = 0;
};
/// Parses a jump spec; `where` prefixes errors. Several hops (a,b), a user holding '@' and a
/// host that is not a host name or IP address (model/host_name.h) are refused.
Result<JumpSpec> ParseJumpSpec(const std::string& spec, const std::string& where);

}  // namespace shardctl
