#include "transport/ssh_channel_exec.h"

#include <libssh/callbacks.h>

#include <algorithm>
#include <chrono>

#include "transport/remote_wrapper.h"

namespace shardctl {

namespace {

constexpr Duration kPollSlice{100};  // how often a waiting command looks at cancel
// After the exit status, how long a background process may keep stdout/stderr open before we
// stop reading (OpenSSH's client would wait for it forever).
constexpr Duration kEofGrace{2000};
constexpr size_t kStdinChunk = 256 * 1024;  // per write, so output is read in between
// After EOF at the deadline, how long to wait for the node to confirm the kill (TERM, and KILL
// kRemoteKillAfter later).
constexpr Duration kKillConfirmWait = kRemoteKillAfter + Duration(2000);

/// Exit information delivered by libssh callbacks while packets are processed.
struct ExitInfo {
  bool has_status = false;
  int status = -1;
  bool has_signal = false;
  std::string signal;
  bool core = false;
};

void OnExitStatus(ssh_session, ssh_channel, int status, void* userdata) {
  auto* info = static_cast<ExitInfo*>(userdata);
  info->has_status = true;
  info->status = status;
}

void OnExitSignal(ssh_session, ssh_channel, const char* signal, int core, const char*, const char*,
                  void* userdata) {
  auto* info = static_cast<ExitInfo*>(userdata);
  info->has_signal = true;
  info->signal = signal != nullptr ? signal : "?";
  info->core = core != 0;
}

/// A stream capped at max bytes; later bytes are counted and dropped.
struct Sink {
  std::string* text;
  bool* truncated;
  size_t max;
  bool eof = false;

  void Add(const char* data, size_t n) {
    size_t room = text->size() < max ? max - text->size() : 0;
    text->append(data, std::min(room, n));
    if (n > room) *truncated = true;
  }
};

/// Reads everything already buffered for one stream. Returns false on a session error.
bool Drain(ssh_channel ch, Sink* sink, bool is_stderr) {
  char buf[65536];
  while (!sink->eof) {
    int n = ssh_channel_read_nonblocking(ch, buf, sizeof buf, is_stderr ? 1 : 0);
    if (n > 0) {
      sink->Add(buf, static_cast<size_t>(n));
    } else if (n == SSH_EOF) {
      sink->eof = true;
    } else if (n == 0) {
      return true;
    } else {
      return false;
    }
  }
  return true;
}

ExecResult Fail(ExecResult::Outcome outcome, std::string detail) {
  ExecResult r;
  r.outcome = outcome;
  r.detail = std::move(detail);
  return r;
}

/// Owns the channel, its callbacks (registered for the channel's whole life) and an event loop.
class RunningCommand {
 public:
  explicit RunningCommand(ssh_session session) : session_(session) {
    channel_ = ssh_channel_new(session);
    callbacks_.userdata = &exit_;
    callbacks_.channel_exit_status_function = OnExitStatus;
    callbacks_.channel_exit_signal_function = OnExitSignal;
    ssh_callbacks_init(&callbacks_);
  }
  ~RunningCommand() {
    if (event_ != nullptr) {
      ssh_event_remove_session(event_, session_);
      ssh_event_free(event_);
    }
    if (channel_ != nullptr) {
      // Unregister first: the channel may linger in the session until the server's close.
      if (callbacks_set_) ssh_remove_channel_callbacks(channel_, &callbacks_);
      if (ssh_channel_is_open(channel_)) ssh_channel_close(channel_);
      ssh_channel_free(channel_);
    }
  }
  RunningCommand(const RunningCommand&) = delete;
  RunningCommand& operator=(const RunningCommand&) = delete;

  /// Opens the channel and sends the exec request.
  bool Start(const std::string& command, std::string* error) {
    if (channel_ == nullptr || ssh_channel_open_session(channel_) != SSH_OK) {
      *error = std::string("cannot open channel: ") + ssh_get_error(session_);
      return false;
    }
    callbacks_set_ = ssh_set_channel_callbacks(channel_, &callbacks_) == SSH_OK;
    if (!callbacks_set_ || ssh_channel_request_exec(channel_, command.c_str()) != SSH_OK) {
      *error = std::string("exec request refused: ") + ssh_get_error(session_);
      return false;
    }
    event_ = ssh_event_new();
    if (event_ == nullptr || ssh_event_add_session(event_, session_) != SSH_OK) {
      *error = "cannot create ssh event loop";
      return false;
    }
    return true;
  }

  ExecResult Wait(const ExecOptions& options, TimePoint deadline, bool* session_broken);

 private:
  /// Writes as much of *stdin_data as the remote window takes now; sends EOF after the last byte.
  /// Returns false on a session error; *wrote says whether any byte went out.
  bool PumpStdin(const std::string* stdin_data, bool* wrote);

  bool Exited() const { return exit_.has_status || exit_.has_signal; }
  bool Finished() const { return Exited() || ssh_channel_is_closed(channel_); }
  ExecResult Lost(ExecResult* r, bool* session_broken) {
    *session_broken = true;
    r->outcome = ExecResult::Outcome::kError;
    r->detail = std::string("connection lost while the command ran: ") + ssh_get_error(session_);
    return std::move(*r);
  }
  /// EOF on the command's stdin: the node's wrapper kills the command's process group.
  void AskNodeToKill() {
    if (!stdin_eof_sent_ && ssh_channel_is_open(channel_)) ssh_channel_send_eof(channel_);
  }
  ExecResult TimedOut(ExecResult* r) const;
  /// The exit status or signal the node reported, as r's outcome and detail.
  void SetOutcome(bool streams_left_open, ExecResult* r) const;

  ssh_session session_;
  ssh_channel channel_ = nullptr;
  ssh_event event_ = nullptr;
  ssh_channel_callbacks_struct callbacks_{};
  bool callbacks_set_ = false;
  ExitInfo exit_;
  size_t stdin_sent_ = 0;
  bool stdin_eof_sent_ = false;
  bool killing_ = false;  // the deadline passed and the node was asked to kill the command
};

bool RunningCommand::PumpStdin(const std::string* stdin_data, bool* wrote) {
  *wrote = false;
  if (stdin_data == nullptr || stdin_eof_sent_ || Finished()) return true;
  if (stdin_sent_ < stdin_data->size()) {
    size_t window = ssh_channel_window_size(channel_);
    if (window == 0) return true;  // the poll loop processes the window adjustment
    size_t n = std::min({window, stdin_data->size() - stdin_sent_, kStdinChunk});
    int w = ssh_channel_write(channel_, stdin_data->data() + stdin_sent_, static_cast<uint32_t>(n));
    if (w == SSH_ERROR) return false;
    stdin_sent_ += static_cast<size_t>(w);
    *wrote = true;
    if (stdin_sent_ < stdin_data->size()) return true;
  }
  if (ssh_channel_send_eof(channel_) == SSH_ERROR) return false;
  stdin_eof_sent_ = true;
  return true;
}

ExecResult RunningCommand::TimedOut(ExecResult* r) const {
  r->outcome = ExecResult::Outcome::kTimedOut;
  r->remote_killed = Exited();
  if (r->remote_killed) {
    r->detail = "the node killed the command's process group (" +
                (exit_.has_signal ? "signal " + exit_.signal
                                  : "exit status " + std::to_string(exit_.status)) +
                ")";
  } else {
    r->detail = "asked the node to kill the command's process group; it did not confirm within " +
                std::to_string(kKillConfirmWait.count() / 1000) +
                "s, so it may still be running there";
  }
  return std::move(*r);
}

ExecResult RunningCommand::Wait(const ExecOptions& options, TimePoint deadline,
                                bool* session_broken) {
  ExecResult r;
  Sink out{&r.out, &r.out_truncated, options.max_output_bytes};
  Sink err{&r.err, &r.err_truncated, options.max_output_bytes};
  bool streams_left_open = false;
  TimePoint exited_at{};
  while (true) {
    if (!Drain(channel_, &out, false) || !Drain(channel_, &err, true))
      return Lost(&r, session_broken);
    // A closed channel has nothing more to give (Drain took what was buffered).
    if ((out.eof && err.eof && Finished()) || ssh_channel_is_closed(channel_)) break;
    if (Exited() && exited_at == TimePoint{}) exited_at = SteadyNow();
    if (Exited() && SteadyNow() - exited_at >= kEofGrace) {
      streams_left_open = true;
      ssh_channel_close(channel_);
      break;
    }
    if (options.cancel != nullptr && options.cancel->cancelled()) {
      AskNodeToKill();
      ssh_channel_close(channel_);
      r.outcome = ExecResult::Outcome::kCancelled;
      r.detail = "command cancelled; the node kills it as its channel closes";
      return r;
    }
    TimePoint now = SteadyNow();
    if (now >= deadline && !killing_) {
      AskNodeToKill();
      killing_ = true;
      deadline = now + kKillConfirmWait;
    } else if (now >= deadline) {
      ssh_channel_close(channel_);
      return TimedOut(&r);
    }
    bool wrote = false;
    if (!PumpStdin(options.stdin_data, &wrote)) return Lost(&r, session_broken);
    // After a write, only look at what arrived meanwhile; otherwise sleep until something does.
    int wait_ms = std::max(1, static_cast<int>(std::min(deadline - now, kPollSlice).count()));
    if (ssh_event_dopoll(event_, wrote ? 0 : wait_ms) == SSH_ERROR) {
      return Lost(&r, session_broken);
    }
  }
  if (ssh_is_connected(session_) == 0) *session_broken = true;
  if (killing_) return TimedOut(&r);
  SetOutcome(streams_left_open, &r);
  return r;
}

void RunningCommand::SetOutcome(bool streams_left_open, ExecResult* result) const {
  ExecResult& r = *result;
  if (exit_.has_signal) {
    r.outcome = ExecResult::Outcome::kSignaled;
    r.signal = exit_.signal;
    r.detail = "killed by signal " + exit_.signal + (exit_.core ? " (core dumped)" : "");
  } else if (exit_.has_status) {
    r.outcome = ExecResult::Outcome::kExited;
    r.exit_code = exit_.status;
  } else {
    r.outcome = ExecResult::Outcome::kError;
    r.detail = "the server closed the channel without an exit status";
  }
  if (streams_left_open) {
    r.detail =
        "the command exited but a process it started kept stdout/stderr open; stopped "
        "reading 2s later (redirect background processes' output)";
  }
}

}  // namespace

ExecResult ExecOnSession(ssh_session session, const std::string& command,
                         const ExecOptions& options, TimePoint deadline, bool* not_started,
                         bool* session_broken) {
  *not_started = false;
  *session_broken = false;
  RunningCommand run(session);
  std::string error;
  if (!run.Start(command, &error)) {
    *not_started = true;
    *session_broken = true;
    return Fail(ExecResult::Outcome::kError, error);
  }
  return run.Wait(options, deadline, session_broken);
}

}  // namespace shardctl
