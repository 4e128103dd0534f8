#include "transport/fake_transport.h"

#include <utility>

namespace shardctl {

namespace {
void Truncate(std::string* s, bool* truncated, size_t max) {
  if (s->size() > max) {
    s->resize(max);
    *truncated = true;
  }
}

FakeTransport::Handler Constant(ExecResult result) {
  return [result = std::move(result)](const Node&, const std::string&) { return result; };
}
}  // namespace

FakeTransport::FakeTransport(Clock* clock) {
  if (clock == nullptr) {
    owned_clock_ = std::make_unique<RealClock>();
    clock = owned_clock_.get();
  }
  clock_ = clock;
  fallback_ = [](const Node& node, const std::string& command) {
    return Failure(ExecResult::Outcome::kError,
                   "FakeTransport: no rule for node '" + node.name + "' command '" + command + "'");
  };
}

void FakeTransport::On(const std::string& node, const std::string& substring, Handler handler) {
  auto rule = std::make_shared<Rule>();
  rule->node = node;
  rule->substring = substring;
  rule->handler = std::move(handler);
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back(std::move(rule));
}

void FakeTransport::On(const std::string& node, const std::string& substring, ExecResult result) {
  On(node, substring, Constant(std::move(result)));
}

void FakeTransport::OnRegex(const std::string& node, const std::string& regex, Handler handler) {
  auto rule = std::make_shared<Rule>();
  rule->node = node;
  rule->regex = std::make_unique<std::regex>(regex);
  rule->handler = std::move(handler);
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back(std::move(rule));
}

void FakeTransport::OnRegex(const std::string& node, const std::string& regex, ExecResult result) {
  OnRegex(node, regex, Constant(std::move(result)));
}

void FakeTransport::SetFallback(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  fallback_ = std::move(handler);
}

void FakeTransport::ClearRules() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

FakeTransport::Handler FakeTransport::FindHandler(const Node& node,
                                                  const std::string& command) const {
  for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
    const Rule& r = **it;
    if (!r.node.empty() && r.node != node.name) continue;
    bool match = r.regex ? std::regex_search(command, *r.regex)
                         : command.find(r.substring) != std::string::npos;
    if (match) return r.handler;
  }
  return fallback_;
}

ExecResult FakeTransport::Exec(const Node& node, const std::string& command,
                               const ExecOptions& options) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Call call{node.name, command, clock_->Now(), false, ""};
    if (options.stdin_data != nullptr) {
      call.has_stdin = true;
      call.stdin_data = *options.stdin_data;
    }
    calls_.push_back(std::move(call));
    handler = FindHandler(node, command);
  }
  if (options.cancel != nullptr && options.cancel->cancelled()) {
    return Failure(ExecResult::Outcome::kCancelled, "cancelled before start");
  }
  ExecResult r = handler(node, command);
  Truncate(&r.out, &r.out_truncated, options.max_output_bytes);
  Truncate(&r.err, &r.err_truncated, options.max_output_bytes);
  return r;
}

ExecResult FakeTransport::Fetch(const Node& node, const HttpRequest& request,
                                const ExecOptions& options) {
  ExecOptions no_stdin = options;
  no_stdin.stdin_data = nullptr;
  return Exec(node, FetchText(request), no_stdin);
}

std::string FakeTransport::FetchText(const HttpRequest& request) {
  return "HTTP " + request.Describe() + " " + request.body;
}

void FakeTransport::CloseAll() {
  std::lock_guard<std::mutex> lock(mu_);
  ++close_all_count_;
}

std::vector<FakeTransport::Call> FakeTransport::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::vector<FakeTransport::Call> FakeTransport::CallsMatching(const std::string& node,
                                                              const std::string& substring) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Call> out;
  for (const Call& c : calls_) {
    if ((node.empty() || c.node == node) && c.command.find(substring) != std::string::npos) {
      out.push_back(c);
    }
  }
  return out;
}

int FakeTransport::CloseAllCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return close_all_count_;
}

ExecResult FakeTransport::Exited(int code, std::string out, std::string err) {
  ExecResult r;
  r.outcome = ExecResult::Outcome::kExited;
  r.exit_code = code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

ExecResult FakeTransport::Signaled(std::string signal) {
  ExecResult r;
  r.outcome = ExecResult::Outcome::kSignaled;
  r.detail = "killed by signal " + signal;
  r.signal = std::move(signal);
  return r;
}

ExecResult FakeTransport::Failure(ExecResult::Outcome outcome, std::string detail) {
  ExecResult r;
  r.outcome = outcome;
  r.detail = std::move(detail);
  // Like SshTransport with a cooperating node: a timed-out command was killed there.
  r.remote_killed = outcome == ExecResult::Outcome::kTimedOut;
  return r;
}

}  // namespace shardctl
