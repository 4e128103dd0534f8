// A scripted Transport for tests: no network, every call recorded.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "transport/transport.h"

namespace shardctl {

/// Answers Exec from rules the test adds. A rule matches a node name ("" = any node) and a
/// command, by substring (On) or by std::regex_search (OnRegex); the most recently added matching
/// rule answers, so a test can change the network's behaviour midway. With no matching rule the
/// fallback answers (by default: kError "no rule for ...", so unexpected commands are visible).
/// Every call is recorded (with its stdin data, if any) with the time from the injected clock
/// before the rule runs.
/// Fetch is recorded and answered as Exec of FetchText(request) ("HTTP POST 127.0.0.1:9500/ BODY"),
/// so rules match HTTP requests the same way.
/// Exec applies options.max_output_bytes (truncating and setting *_truncated) and answers
/// kCancelled without consulting rules when options.cancel is already set.
/// Thread-safe: rules, fallback and the record are guarded; handlers run outside the lock, so a
/// handler may block (e.g. to test parallelism) and may call back into this object.
class FakeTransport : public Transport {
 public:
  using Handler = std::function<ExecResult(const Node& node, const std::string& command)>;

  struct Call {
    std::string node;
    std::string command;
    TimePoint at;
    bool has_stdin = false;  // options.stdin_data was set ...
    std::string stdin_data;  // ... to these bytes
  };

  /// clock is not owned and must outlive this object; null uses an internal RealClock.
  explicit FakeTransport(Clock* clock = nullptr);

  /// Adds a rule answering commands on node (empty: any) that contain substring.
  void On(const std::string& node, const std::string& substring, Handler handler);
  void On(const std::string& node, const std::string& substring, ExecResult result);
  /// Adds a rule answering commands on node (empty: any) in which regex finds a match.
  void OnRegex(const std::string& node, const std::string& regex, Handler handler);
  void OnRegex(const std::string& node, const std::string& regex, ExecResult result);
  /// Replaces the answer used when no rule matches.
  void SetFallback(Handler handler);
  /// Drops every rule (the fallback stays).
  void ClearRules();

  ExecResult Exec(const Node& node, const std::string& command,
                  const ExecOptions& options) override;
  ExecResult Fetch(const Node& node, const HttpRequest& request,
                   const ExecOptions& options) override;
  void CloseAll() override;
  /// The text a Fetch is recorded and matched as.
  static std::string FetchText(const HttpRequest& request);

  /// Copies of the record, in call order.
  std::vector<Call> calls() const;
  /// Calls whose node matches (empty: any) and whose command contains substring.
  std::vector<Call> CallsMatching(const std::string& node, const std::string& substring) const;
  int CloseAllCount() const;

  /// Result helpers for rules.
  static ExecResult Exited(int code, std::string out = "", std::string err = "");
  static ExecResult Ok(std::string out = "") { return Exited(0, std::move(out)); }
  static ExecResult Signaled(std::string signal);
  /// kTimedOut results have remote_killed set, as a node running the wrapper reports them.
  static ExecResult Failure(ExecResult::Outcome outcome, std::string detail);

 private:
  struct Rule {
    std::string node;
    std::string substring;
    std::unique_ptr<std::regex> regex;  // null: substring rule
    Handler handler;
  };
  Handler FindHandler(const Node& node, const std::string& command) const;

  std::unique_ptr<Clock> owned_clock_;
  Clock* clock_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Rule>> rules_;
  Handler fallback_;
  std::vector<Call> calls_;
  int close_all_count_ = 0;
};

}  // namespace shardctl
