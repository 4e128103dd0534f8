// A private OpenSSH sshd on 127.0.0.1 for tests (tools/local-sshd), stopped when the object dies.
#pragma once

#include <memory>
#include <string>

#include "model/inventory.h"
#include "support/test_util.h"

namespace shardctl::testing {

/// Starts `tools/local-sshd start --dir <temp>/ssh --port <FreePort()>` in the constructor and
/// `stop` in the destructor (also when a test fails). Check ok() before use: a failed start
/// leaves ok() false and error() holding the script's output. Not copyable.
class LocalSshd {
 public:
  /// log_level is sshd's LogLevel for sshd.log ("INFO" logs every accepted login).
  explicit LocalSshd(const std::string& log_level = "ERROR");
  ~LocalSshd();
  LocalSshd(const LocalSshd&) = delete;
  LocalSshd& operator=(const LocalSshd&) = delete;

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  /// The sshd's directory: id_ed25519 (authorized client key), known_hosts, host_ed25519.pub,
  /// sshd.log.
  const std::string& dir() const { return dir_; }
  std::string identity_file() const { return dir_ + "/id_ed25519"; }
  std::string known_hosts() const { return dir_ + "/known_hosts"; }
  /// A scratch directory owned by this fixture (removed with it).
  const TempDir& temp() const { return temp_; }

  /// A node reaching this sshd as root with its key and known_hosts.
  Node MakeNode(const std::string& name, int shard = 0) const;

  /// How many logins sshd.log records as accepted (needs log level INFO or more).
  int AcceptedLogins() const;
  /// How many sessions sshd started a process for (a command, a shell): log level VERBOSE.
  int StartedSessions() const;
  /// How many processes run under this sshd now (connection handlers and what they started).
  int Descendants() const;

  /// Stops sshd early (the destructor then does nothing). Returns true once it is gone.
  bool Stop();

 private:
  TempDir temp_;
  std::string dir_;
  int port_ = 0;
  bool ok_ = false;
  bool running_ = false;
  std::string error_;
};

}  // namespace shardctl::testing
