// One kept SSH session to a bastion, carrying a direct-tcpip channel per node behind it.
#pragma once

#include <libssh/libssh.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace shardctl {

/// Owns an authenticated session to a bastion and a pump thread that is the only user of it:
/// it opens direct-tcpip channels on request and copies bytes both ways between each channel
/// and one end of a socketpair, whose other end a node's own libssh session runs over
/// (SSH_OPTIONS_FD). So N nodes cost one bastion handshake, and the bastion session is never
/// touched by two threads. Thread-safe.
class BastionLink {
 public:
  /// Takes ownership of session (connected and authenticated) and starts the pump. name says
  /// which bastion this is, in messages ("user@host:port").
  BastionLink(ssh_session session, std::string name);
  /// Stops the pump, closes every channel and tunnel end it holds, disconnects.
  ~BastionLink();
  BastionLink(const BastionLink&) = delete;
  BastionLink& operator=(const BastionLink&) = delete;

  /// Opens a channel to host:port as seen from the bastion and returns the caller's end of a
  /// socket bridged to it (the caller owns it; closing it closes the channel). kUnreachable
  /// naming the bastion when it refuses the channel, died, or deadline passes first.
  Result<int> OpenTunnel(const std::string& host, int port, TimePoint deadline);

  /// Empty while the session works; why it died otherwise (every tunnel is then closed).
  std::string dead_reason() const;
  const std::string& name() const { return name_; }

 private:
  struct Request {
    std::string host;
    int port = 0;
    int fd = -1;  // the pump's end of the socketpair
    ssh_channel channel = nullptr;
    bool done = false;       // guarded by mu_
    bool abandoned = false;  // guarded by mu_: the caller gave up waiting
    Status status;           // guarded by mu_
  };
  struct Bridge {
    ssh_channel channel = nullptr;
    int fd = -1;
    std::string to_fd;       // read from the channel, not yet written to fd
    std::string to_channel;  // read from fd, not yet written to the channel
    bool channel_eof = false;
    bool fd_eof = false;
    bool fd_shut = false;
  };

  void Run();
  /// One round over pending opens and bridges; true when any byte or state moved.
  bool Pass();
  bool StepOpen(Request& r);
  void Finish(Request& r, Status status);
  /// Moves bytes of one bridge; false when it is finished or broken (then it is closed).
  bool PumpBridge(Bridge& b, bool* moved);
  /// Each direction of PumpBridge; false when the bridge broke.
  bool ChannelToFd(Bridge& b, bool* moved);
  bool FdToChannel(Bridge& b, bool* moved);
  void WaitForWork(bool busy);
  void Die(const std::string& why);
  void Wake();

  const std::string name_;
  ssh_session session_;  // used by the pump thread only (and the destructor after joining it)
  int wake_fd_ = -1;     // eventfd: new requests or stop

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Request>> incoming_;  // guarded by mu_
  bool stopping_ = false;                          // guarded by mu_
  std::string dead_;                               // guarded by mu_

  // Pump thread only.
  ssh_event event_ = nullptr;  // polls session_ so packets are read even with no channel open
  std::vector<std::shared_ptr<Request>> opening_;
  std::vector<Bridge> bridges_;

  std::thread pump_;  // last: starts after everything above is ready
};

}  // namespace shardctl
