// Running a command on a node. The engine and the CLI see only this interface; SshTransport
// (libssh) and FakeTransport (tests) implement it.
#pragma once

#include <memory>
#include <string>

#include "base/cancel.h"
#include "base/clock.h"
#include "model/http_probe.h"
#include "model/inventory.h"

namespace shardctl {

struct ExecOptions {
  Duration timeout{30000};              // whole command, connect included if a connect is needed
  size_t max_output_bytes = 1 << 20;    // per stream; the rest is read and dropped (no deadlock)
  const CancelToken* cancel = nullptr;  // polled; a cancelled command's channel is closed
  /// Not owned; must outlive the call. When set, these bytes are written to the command's stdin,
  /// then EOF is sent (so `cat > FILE` ends). When null, stdin gets no data and no EOF.
  const std::string* stdin_data = nullptr;
};

struct ExecResult {
  enum class Outcome {
    kExited,       // exit_code is valid (0 or not)
    kSignaled,     // signal holds the name ("KILL")
    kTimedOut,     // the command outlived options.timeout; see remote_killed
    kUnreachable,  // could not connect (refused, no route, connect timeout)
    kAuthFailed,
    kHostKeyRejected,  // unknown or changed host key; detail holds the SHA256 fingerprint
    kCancelled,
    kError,  // any other transport failure; detail says what
  };

  Outcome outcome = Outcome::kError;
  int exit_code = -1;
  std::string signal;
  std::string out;
  std::string err;
  bool out_truncated = false;
  bool err_truncated = false;
  Duration duration{0};
  /// kTimedOut / kCancelled: true only when the node confirmed that the command's process
  /// group was killed (its exit arrived after the kill was asked for); false means it may
  /// still be running there.
  bool remote_killed = false;
  std::string detail;  // human-readable reason when outcome is not kExited

  bool ok() const { return outcome == Outcome::kExited && exit_code == 0; }
  /// "exit 3", "killed by signal KILL", "timed out after 5s", "unreachable: ...", etc.
  std::string Reason() const;
};

const char* OutcomeName(ExecResult::Outcome o);

class Transport {
 public:
  virtual ~Transport() = default;
  /// Runs command through the node's login shell. Safe to call from many threads at once for
  /// different nodes; calls for the same node are serialised. A session opened for a node is
  /// kept and reused by later calls in the same run.
  virtual ExecResult Exec(const Node& node, const std::string& command,
                          const ExecOptions& options) = 0;
  /// Sends request to a port on the node (as the node sees it) over the node's kept session, with
  /// no process started there; options.stdin_data is ignored. A 2xx answer is kExited with
  /// exit_code 0 and the body in out; another status is kError saying which (body in out).
  /// Same threading, session and timeout rules as Exec.
  virtual ExecResult Fetch(const Node& node, const HttpRequest& request,
                           const ExecOptions& options) = 0;
  /// Closes every kept session.
  virtual void CloseAll() = 0;
};

}  // namespace shardctl
