#include "transport/bastion_link.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

namespace shardctl {
namespace {

constexpr size_t kChunk = 32 * 1024;
// Wait while bytes moved in the last kBusyWindow: bounds how long bytes libssh pulled in for one
// channel while reading another can sit unnoticed (its buffers are invisible to poll). Once
// nothing moved for that long, every buffer has been looked at since: sleep until the sockets
// say otherwise.
constexpr int kBusyPollMs = 10;
constexpr int kIdlePollMs = 1000;
constexpr auto kBusyWindow = std::chrono::milliseconds(200);

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

void CloseBridge(ssh_channel channel, int fd) {
  if (channel != nullptr) ssh_channel_free(channel);  // sends CLOSE when still open
  if (fd >= 0) close(fd);
}

}  // namespace

BastionLink::BastionLink(ssh_session session, std::string name)
    : name_(std::move(name)), session_(session), wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  pump_ = std::thread([this] { Run(); });
}

BastionLink::~BastionLink() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  Wake();
  pump_.join();
  if (event_ != nullptr) {
    ssh_event_remove_session(event_, session_);
    ssh_event_free(event_);
  }
  for (Bridge& b : bridges_) CloseBridge(b.channel, b.fd);
  for (auto& r : opening_) CloseBridge(r->channel, r->fd);
  for (auto& r : incoming_) close(r->fd);
  ssh_disconnect(session_);
  ssh_free(session_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

void BastionLink::Wake() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

std::string BastionLink::dead_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dead_;
}

Result<int> BastionLink::OpenTunnel(const std::string& host, int port, TimePoint deadline) {
  const std::string what = "bastion " + name_ + ": tunnel to " + host + ":" + std::to_string(port);
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Status::Internal(what + ": socketpair failed");
  }
  SetNonBlocking(fds[1]);
  auto r = std::make_shared<Request>();
  r->host = host;
  r->port = port;
  r->fd = fds[1];
  std::unique_lock<std::mutex> lock(mu_);
  if (!dead_.empty()) {
    close(fds[0]);
    close(fds[1]);
    return Status::Unreachable(what + ": " + dead_);
  }
  incoming_.push_back(r);
  Wake();
  bool done = cv_.wait_until(lock, deadline, [&] { return r->done; });
  if (!done) {
    r->abandoned = true;  // the pump closes its end once the open resolves
    close(fds[0]);
    return Status::Timeout(what + ": not opened in time");
  }
  if (!r->status.ok()) {
    close(fds[0]);
    return r->status;
  }
  return fds[0];
}

void BastionLink::Run() {
  ssh_set_blocking(session_, 0);
  event_ = ssh_event_new();
  if (event_ == nullptr || ssh_event_add_session(event_, session_) != SSH_OK) {
    Die("cannot set up polling");
    return;
  }
  auto last_moved = std::chrono::steady_clock::now();
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      while (!incoming_.empty()) {
        opening_.push_back(incoming_.front());
        incoming_.pop_front();
      }
    }
    bool moved = Pass();
    if (ssh_is_connected(session_) == 0 || (ssh_get_status(session_) & SSH_CLOSED_ERROR)) {
      const char* err = ssh_get_error(session_);
      Die(err != nullptr && *err != '\0' ? err : "connection closed");
    }
    auto now = std::chrono::steady_clock::now();
    if (moved) last_moved = now;
    if (!moved) WaitForWork(!opening_.empty() || now - last_moved < kBusyWindow);
  }
}

bool BastionLink::Pass() {
  bool moved = false;
  ssh_event_dopoll(event_, 0);  // reads what arrived (and flushes what is queued)
  for (size_t i = 0; i < opening_.size();) {
    if (StepOpen(*opening_[i])) {
      moved = true;
      opening_.erase(opening_.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  for (size_t i = 0; i < bridges_.size();) {
    if (PumpBridge(bridges_[i], &moved)) {
      ++i;
    } else {
      moved = true;
      bridges_.erase(bridges_.begin() + static_cast<long>(i));
    }
  }
  return moved;
}

bool BastionLink::StepOpen(Request& r) {
  if (r.channel == nullptr) r.channel = ssh_channel_new(session_);
  if (r.channel == nullptr) {
    Finish(r, Status::Internal("bastion " + name_ + ": cannot allocate a channel"));
    return true;
  }
  int rc = ssh_channel_open_forward(r.channel, r.host.c_str(), r.port, "127.0.0.1", 22);
  if (rc == SSH_AGAIN) return false;
  if (rc != SSH_OK) {
    Finish(r, Status::Unreachable("bastion " + name_ + " refused a tunnel to " + r.host + ":" +
                                  std::to_string(r.port) + ": " + ssh_get_error(session_)));
    return true;
  }
  bool abandoned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    abandoned = r.abandoned;
  }
  if (abandoned) {
    CloseBridge(r.channel, r.fd);
    return true;
  }
  Bridge b;
  b.channel = r.channel;
  b.fd = r.fd;
  bridges_.push_back(std::move(b));
  r.channel = nullptr;
  r.fd = -1;
  Finish(r, Status::Ok());
  return true;
}

void BastionLink::Finish(Request& r, Status status) {
  if (!status.ok()) {
    CloseBridge(r.channel, r.fd);
    r.channel = nullptr;
    r.fd = -1;
  }
  std::lock_guard<std::mutex> lock(mu_);
  r.status = std::move(status);
  r.done = true;
  cv_.notify_all();
}

bool BastionLink::PumpBridge(Bridge& b, bool* moved) {
  bool broken = !ChannelToFd(b, moved) || !FdToChannel(b, moved);
  bool finished = b.fd_eof && b.channel_eof && b.to_fd.empty();
  if (broken || finished || (b.fd_eof && ssh_channel_is_closed(b.channel))) {
    CloseBridge(b.channel, b.fd);
    return false;
  }
  return true;
}

bool BastionLink::ChannelToFd(Bridge& b, bool* moved) {
  if (b.to_fd.empty() && !b.channel_eof) {
    char buf[kChunk];
    int n = ssh_channel_read_nonblocking(b.channel, buf, sizeof buf, 0);
    if (n > 0) {
      b.to_fd.assign(buf, static_cast<size_t>(n));
      *moved = true;
    } else if (n == SSH_EOF || ssh_channel_is_eof(b.channel) || ssh_channel_is_closed(b.channel)) {
      b.channel_eof = true;
      *moved = true;
    } else if (n == SSH_ERROR) {
      return false;
    }
  }
  if (!b.to_fd.empty()) {
    ssize_t w = send(b.fd, b.to_fd.data(), b.to_fd.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      b.to_fd.erase(0, static_cast<size_t>(w));
      *moved = true;
    } else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      return false;  // the node's session closed its end
    }
  }
  if (b.channel_eof && b.to_fd.empty() && !b.fd_shut) {
    shutdown(b.fd, SHUT_WR);
    b.fd_shut = true;
  }
  return true;
}

bool BastionLink::FdToChannel(Bridge& b, bool* moved) {
  if (!b.fd_eof && b.to_channel.empty()) {
    char buf[kChunk];
    ssize_t n = recv(b.fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      b.to_channel.assign(buf, static_cast<size_t>(n));
      *moved = true;
    } else if (n == 0) {
      b.fd_eof = true;
      ssh_channel_send_eof(b.channel);
      *moved = true;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return false;
    }
  }
  if (!b.to_channel.empty() && !ssh_channel_is_closed(b.channel)) {
    uint32_t window = ssh_channel_window_size(b.channel);
    if (window == 0) return true;
    uint32_t len = std::min<uint32_t>(window, static_cast<uint32_t>(b.to_channel.size()));
    int w = ssh_channel_write(b.channel, b.to_channel.data(), len);
    if (w == SSH_ERROR) return false;
    if (w > 0) {
      b.to_channel.erase(0, static_cast<size_t>(w));
      *moved = true;
    }
  }
  return true;
}

void BastionLink::WaitForWork(bool busy) {
  std::vector<pollfd> fds;
  fds.push_back({wake_fd_, POLLIN, 0});
  short session_events = POLLIN;
  if (ssh_get_poll_flags(session_) & SSH_WRITE_PENDING) session_events |= POLLOUT;
  fds.push_back({ssh_get_fd(session_), session_events, 0});
  for (const Bridge& b : bridges_) {
    short ev = 0;
    if (!b.fd_eof && b.to_channel.empty()) ev |= POLLIN;
    if (!b.to_fd.empty()) ev |= POLLOUT;
    fds.push_back({b.fd, ev, 0});
  }
  poll(fds.data(), fds.size(), busy ? kBusyPollMs : kIdlePollMs);
  uint64_t drained;
  [[maybe_unused]] ssize_t n = read(wake_fd_, &drained, sizeof drained);
}

void BastionLink::Die(const std::string& why) {
  for (Bridge& b : bridges_) CloseBridge(b.channel, b.fd);
  bridges_.clear();
  std::string reason = "connection to the bastion lost: " + why;
  for (auto& r : opening_) Finish(*r, Status::Unreachable("bastion " + name_ + ": " + reason));
  opening_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  dead_ = reason;
  for (auto& r : incoming_) {
    close(r->fd);
    r->fd = -1;
    r->status = Status::Unreachable("bastion " + name_ + ": " + reason);
    r->done = true;
  }
  incoming_.clear();
  stopping_ = true;
  cv_.notify_all();
}

}  // namespace shardctl
