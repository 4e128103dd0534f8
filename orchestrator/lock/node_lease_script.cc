#include "lock/node_lease_script.h"

#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "base/enum_names.h"
#include "base/shell_quote.h"

namespace shardctl {
namespace {

// $1 op, $2 lease file, $3 run id, $4 ttl seconds, $5 body (holder lines without expiry).
// Every step runs under the mutex directory $2.mutex (mkdir is atomic), which holds the pid of
// the script inside. A waiter removes a mutex whose holder is gone (a run killed mid-step: its
// script dies of SIGPIPE or SIGHUP when the session drops), or one without a pid older than 5 s;
// the holder's work takes milliseconds. Expiry is judged by this node's clock only.
// Shell builtins wherever they do the job: starting a program costs milliseconds of a node's CPU,
// and a run renews its lease on every node it holds every ttl/3.
constexpr const char* kScript = R"SH(op=$1 p=$2 run=$3 ttl=$4 body=$5
case $ttl in ''|*[!0-9]*) echo "error bad ttl"; exit 5;; esac
case $p in */*) d=${p%/*};; *) d=.;; esac
[ -d "$d" ] || mkdir -p -- "$d" || { echo "error cannot create $d"; exit 5; }
m=$p.mutex i=0
until mkdir -- "$m" 2>/dev/null; do
  i=$((i + 1))
  o=; read -r o 2>/dev/null <"$m/pid"
  if [ -n "$o" ]; then kill -0 "$o" 2>/dev/null || rm -rf -- "$m"
  else
    t=$(stat -c %Y -- "$m" 2>/dev/null) || t=$(date +%s)
    [ $(($(date +%s) - t)) -gt 5 ] && rm -rf -- "$m"
  fi
  [ $i -gt 200 ] && { echo "error mutex $m stays taken"; exit 5; }
  sleep 0.05 2>/dev/null || sleep 1
done
echo $$ >"$m/pid"
trap 'rm -rf -- "$m"' EXIT
trap 'exit 6' HUP INT TERM PIPE
now=$(date +%s) held= exp=0
if [ -f "$p" ]; then
  while IFS= read -r l; do
    case $l in
      run_id=*) [ -n "$held" ] || held=${l#run_id=};;
      expiry=*) [ "$exp" != 0 ] || exp=${l#expiry=};;
    esac
  done <"$p"
  case $exp in ''|*[!0-9]*) exp=0;; esac
fi
put() {
  printf 'expiry=%s\n%s\n' $((now + ttl)) "$body" >"$p.tmp" && mv -f -- "$p.tmp" "$p" ||
    { echo "error cannot write $p"; exit 5; }
}
show() {
  echo "$1"; echo "now=$now"
  [ -f "$p" ] && while IFS= read -r l; do printf '%s\n' "$l"; done <"$p"
  return 0
}
case $op in
acquire)
  if [ -z "$held" ] || [ "$held" = "$run" ]; then put; show acquired
  elif [ "$exp" -gt "$now" ]; then show held
  else show took-over; put; fi;;
renew)
  if [ -n "$held" ] && [ "$held" = "$run" ]; then put; show renewed; else show lost; fi;;
release)
  if [ -n "$held" ] && [ "$held" = "$run" ]; then rm -f -- "$p"; show released
  else show not-held; fi;;
read)
  if [ -f "$p" ]; then show lease; else show free; fi;;
*) echo "error unknown operation $op"; exit 5;;
esac
)SH";

// The script's words, both ways: the one place each is spelled outside the script itself.
constexpr EnumNames<NodeLeaseOp, 4> kOps{{
    {NodeLeaseOp::kAcquire, "acquire"},
    {NodeLeaseOp::kRenew, "renew"},
    {NodeLeaseOp::kRelease, "release"},
    {NodeLeaseOp::kRead, "read"},
}};

constexpr EnumNames<NodeLeaseState, 9> kStates{{
    {NodeLeaseState::kAcquired, "acquired"},
    {NodeLeaseState::kTookOver, "took-over"},
    {NodeLeaseState::kHeld, "held"},
    {NodeLeaseState::kRenewed, "renewed"},
    {NodeLeaseState::kLost, "lost"},
    {NodeLeaseState::kReleased, "released"},
    {NodeLeaseState::kNotHeld, "not-held"},
    {NodeLeaseState::kFree, "free"},
    {NodeLeaseState::kLease, "lease"},
}};

int64_t ToInt(const std::string& s) {
  try {
    return std::stoll(s);
  } catch (const std::exception&) {
    return 0;
  }
}

void ReadField(const std::string& key, const std::string& value, NodeLeaseReply* r) {
  if (key == "now") r->node_now_s = ToInt(value);
  if (key == "expiry") r->holder.expiry_unix_s = ToInt(value);
  if (key == "run_id") r->holder.run_id = value;
  if (key == "operator") r->holder.operator_name = value;
  if (key == "command") r->holder.command = value;
  if (key == "start") r->holder.start_unix_s = ToInt(value);
}

}  // namespace

const char* NodeLeaseOpName(NodeLeaseOp op) { return NameIn(kOps, op); }
const char* NodeLeaseStateName(NodeLeaseState s) { return NameIn(kStates, s); }

std::string NodeLeaseCommand(NodeLeaseOp op, const std::string& path_word, const LeaseHolder& run,
                             int64_t ttl_s) {
  std::string body = "run_id=" + OneLine(run.run_id) + "\noperator=" + OneLine(run.operator_name) +
                     "\ncommand=" + OneLine(run.command) +
                     "\nstart=" + std::to_string(run.start_unix_s);
  return "sh -c " + ShellQuote(kScript) + " shardctl-lease " + ShellQuote(NodeLeaseOpName(op)) +
         " " + path_word + " " + ShellQuote(run.run_id) + " " + ShellQuote(std::to_string(ttl_s)) +
         " " + ShellQuote(body);
}

Result<NodeLeaseReply> ParseNodeLeaseReply(const std::string& out) {
  std::istringstream in(out);
  std::string first;
  std::getline(in, first);
  if (first.rfind("error ", 0) == 0) return Status::Failed("lease script: " + first.substr(6));
  NodeLeaseReply r;
  std::optional<NodeLeaseState> state = ValueIn(kStates, first);
  if (state) r.state = *state;
  if (!state) {
    return Status::Failed("unexpected answer from the lease script: \"" + OneLine(first) +
                          "\" (is /bin/sh a POSIX shell with date, sed, stat?)");
  }
  for (std::string line; std::getline(in, line);) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) ReadField(line.substr(0, eq), line.substr(eq + 1), &r);
  }
  return r;
}

}  // namespace shardctl
