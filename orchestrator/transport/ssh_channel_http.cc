#include "transport/ssh_channel_http.h"

#include <httplib.h>

#include <algorithm>
#include <cstring>

namespace shardctl {
namespace {

constexpr Duration kFetchPollSlice{100};  // how often a waiting read looks at cancel

enum class StreamFailure { kNone, kTimedOut, kCancelled, kTooLarge, kLost };

/// httplib's view of the channel: reads wait in poll(2) until data, EOF, the deadline or a
/// cancel; writes go out as the remote window allows. Remembers why it last failed.
class ChannelStream : public httplib::Stream {
 public:
  ChannelStream(ssh_session session, ssh_channel channel, ssh_event event, TimePoint deadline,
                const ExecOptions& options)
      : session_(session),
        channel_(channel),
        event_(event),
        deadline_(deadline),
        cancel_(options.cancel),
        max_bytes_(options.max_output_bytes) {}

  bool is_readable() const override { return ssh_channel_poll(channel_, 0) > 0; }
  bool is_writable() const override { return ssh_channel_is_open(channel_) != 0; }

  ssize_t read(char* ptr, size_t size) override {
    while (true) {
      int n = ssh_channel_read_nonblocking(channel_, ptr, static_cast<uint32_t>(size), 0);
      if (n > 0) return Count(n);
      if (n == SSH_EOF || (n == 0 && ssh_channel_is_eof(channel_))) return 0;
      if (n == SSH_ERROR) return Fail(StreamFailure::kLost);
      if (cancel_ != nullptr && cancel_->cancelled()) return Fail(StreamFailure::kCancelled);
      Duration left = std::chrono::duration_cast<Duration>(deadline_ - SteadyNow());
      if (left <= Duration(0)) return Fail(StreamFailure::kTimedOut);
      int wait_ms = static_cast<int>(std::clamp(left, Duration(1), kFetchPollSlice).count());
      if (ssh_event_dopoll(event_, wait_ms) == SSH_ERROR) return Fail(StreamFailure::kLost);
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    int n = ssh_channel_write(channel_, ptr, static_cast<uint32_t>(size));
    return n == SSH_ERROR ? Fail(StreamFailure::kLost) : n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  socket_t socket() const override { return INVALID_SOCKET; }

  StreamFailure failure() const { return failure_; }
  bool session_lost() const { return ssh_is_connected(session_) == 0; }

 private:
  ssize_t Count(int n) {
    read_ += static_cast<size_t>(n);
    // Headers and framing count too: a response over the cap is refused, never buffered.
    return read_ > max_bytes_ + kFramingAllowance ? Fail(StreamFailure::kTooLarge) : n;
  }
  ssize_t Fail(StreamFailure why) {
    failure_ = why;
    return -1;
  }

  static constexpr size_t kFramingAllowance = 64 * 1024;
  ssh_session session_;
  ssh_channel channel_;
  ssh_event event_;
  TimePoint deadline_;
  const CancelToken* cancel_;
  size_t max_bytes_;
  size_t read_ = 0;
  StreamFailure failure_ = StreamFailure::kNone;
};

/// cpp-httplib's client, pointed at a stream it did not open: process_request writes the
/// request and parses the response; the Host header names the target as the node sees it.
class StreamClient : public httplib::ClientImpl {
 public:
  StreamClient(const std::string& host, int port) : httplib::ClientImpl(host, port) {}
  bool Send(httplib::Stream& stream, httplib::Request& req, httplib::Response& res,
            httplib::Error& error) {
    return process_request(stream, req, res, /*close_connection=*/true, error);
  }
};

/// Owns a channel and an event loop over its session for one request.
class ForwardChannel {
 public:
  explicit ForwardChannel(ssh_session session)
      : session_(session), channel_(ssh_channel_new(session)) {}
  ~ForwardChannel() {
    if (event_ != nullptr) {
      ssh_event_remove_session(event_, session_);
      ssh_event_free(event_);
    }
    if (channel_ != nullptr) {
      if (ssh_channel_is_open(channel_)) ssh_channel_close(channel_);
      ssh_channel_free(channel_);
    }
  }
  ForwardChannel(const ForwardChannel&) = delete;
  ForwardChannel& operator=(const ForwardChannel&) = delete;

  bool Open(const HttpRequest& request, std::string* error) {
    if (channel_ == nullptr || ssh_channel_open_forward(channel_, request.host.c_str(),
                                                        request.port, "127.0.0.1", 0) != SSH_OK) {
      *error = ssh_get_error(session_);
      return false;
    }
    event_ = ssh_event_new();
    if (event_ == nullptr || ssh_event_add_session(event_, session_) != SSH_OK) {
      *error = "cannot create ssh event loop";
      return false;
    }
    return true;
  }

  ssh_channel channel() const { return channel_; }
  ssh_event event() const { return event_; }

 private:
  ssh_session session_;
  ssh_channel channel_;
  ssh_event event_ = nullptr;
};

/// libssh's "Channel opening failure: channel 43 error (2) Connection refused" -> the server's
/// own words ("Connection refused").
std::string OpenFailureReason(const std::string& error) {
  size_t at = error.find(") ");
  return error.rfind("Channel opening failure", 0) == 0 && at != std::string::npos
             ? error.substr(at + 2)
             : error;
}

ExecResult FetchFailed(ExecResult::Outcome outcome, std::string detail) {
  ExecResult r;
  r.outcome = outcome;
  r.detail = std::move(detail);
  return r;
}

httplib::Request ToHttplib(const HttpRequest& request) {
  httplib::Request req;
  req.method = request.method;
  req.path = request.path;
  req.body = request.body;
  for (const auto& [name, value] : request.headers) req.set_header(name, value);
  if (!request.body.empty() && !req.has_header("Content-Type")) {
    req.set_header("Content-Type", "application/json");
  }
  return req;
}

/// The result of a request httplib could not complete, from what the stream saw.
ExecResult StreamFailed(const ChannelStream& stream, const HttpRequest& request,
                        httplib::Error error, size_t max_bytes, bool* session_broken) {
  const std::string what = request.Describe();
  switch (stream.failure()) {
    case StreamFailure::kTimedOut:
      return FetchFailed(ExecResult::Outcome::kTimedOut, "no complete HTTP answer from " + what);
    case StreamFailure::kCancelled:
      return FetchFailed(ExecResult::Outcome::kCancelled, "request to " + what + " cancelled");
    case StreamFailure::kTooLarge:
      return FetchFailed(ExecResult::Outcome::kError, "the answer from " + what + " is over " +
                                                          std::to_string(max_bytes) + " bytes");
    case StreamFailure::kLost:
      *session_broken = stream.session_lost();
      return FetchFailed(ExecResult::Outcome::kError,
                         "connection lost during the request to " + what);
    case StreamFailure::kNone:
      break;
  }
  return FetchFailed(ExecResult::Outcome::kError,
                     "no valid HTTP answer from " + what + " (" + httplib::to_string(error) + ")");
}

}  // namespace

ExecResult FetchOnSession(ssh_session session, const HttpRequest& request,
                          const ExecOptions& options, TimePoint deadline, bool* not_started,
                          bool* session_broken) {
  *not_started = false;
  *session_broken = false;
  ForwardChannel channel(session);
  std::string error;
  if (!channel.Open(request, &error)) {
    if (ssh_is_connected(session) == 0) {
      *not_started = true;
      *session_broken = true;
      return FetchFailed(ExecResult::Outcome::kError, "connection lost: " + error);
    }
    if (SteadyNow() >= deadline) {
      return FetchFailed(ExecResult::Outcome::kTimedOut, "no channel to " + request.Describe());
    }
    return FetchFailed(ExecResult::Outcome::kError, "the node cannot connect to " + request.host +
                                                        ":" + std::to_string(request.port) + ": " +
                                                        OpenFailureReason(error));
  }
  ChannelStream stream(session, channel.channel(), channel.event(), deadline, options);
  StreamClient client(request.host, request.port);
  httplib::Request req = ToHttplib(request);
  httplib::Response res;
  httplib::Error http_error = httplib::Error::Success;
  if (!client.Send(stream, req, res, http_error)) {
    return StreamFailed(stream, request, http_error, options.max_output_bytes, session_broken);
  }
  ExecResult r;
  r.out = std::move(res.body);
  if (res.status >= 200 && res.status < 300) {
    r.outcome = ExecResult::Outcome::kExited;
    r.exit_code = 0;
  } else {
    r.outcome = ExecResult::Outcome::kError;
    r.detail = "HTTP " + std::to_string(res.status) + " from " + request.Describe();
  }
  if (r.out.size() > options.max_output_bytes) {
    r.out.resize(options.max_output_bytes);
    r.out_truncated = true;
  }
  return r;
}

}  // namespace shardctl
