// shardctl watch: watch every shard, page, and (with --act) recover halted shards within
// guardrails. `watch pause|resume|approve|report` are in cmd_watch_control.cc.
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/read_file.h"
#include "base/signal_rule.h"
#include "base/text.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/earlier_run.h"
#include "cli/exit_code.h"
#include "cli/load.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "cli/transport_factory.h"
#include "cli/watch_control.h"
#include "ops/watch/etcd_peers.h"
#include "ops/watch/page.h"
#include "ops/watch/session_launcher.h"
#include "ops/watch/watcher.h"
#include "ops/watch/web_server.h"
#include "run/driver.h"
#include "shardctl_version.h"

namespace shardctl::cli {
namespace {

struct WatchFlags {
  bool act = false;
  std::string policy_file;
  std::string listen;
  std::string token_file;
  std::string alertmanager;
  std::string webhook;
};

HelpText WatchHelp() {
  return {
      "shardctl watch -i INVENTORY -p PLAYBOOK [--shard N]... [--act | --dry-run] "
      "[--policy FILE]\n"
      "       [--listen ADDR [--token-file FILE]] [--alertmanager URL] [--webhook URL]\n"
      "       shardctl watch pause|resume|approve|report ... (see `shardctl watch pause --help`)",
      "Watches every node of the selected shards every watch.interval_s and keeps a state per\n"
      "shard: healthy, degraded (committing, some nodes down or behind), halted (no block for\n"
      "watch.halt_after_s), stuck (halted, nodes in view change), recovering, gave-up. A halted\n"
      "or stuck verdict that holds for watch.for_s and is repeated by a fresh probe round is\n"
      "acted on: with --act, `recover` of that shard (whole-shard restart, binaries verified)\n"
      "under the network's lock, journaled like any run. The default is --dry-run: decisions are\n"
      "journaled and paged, nothing is touched. Guardrails (playbook section `watch`, or\n"
      "--policy FILE; docs/watch.md): max_recoveries per window_s per shard, then gave-up;\n"
      "max_shards_at_once; more than correlated_shards halting within correlated_window_s, or a\n"
      "version change within after_deploy_s, waits for `shardctl watch approve SHARD`; `watch\n"
      "pause` stops every new action; another operator's run holding the lock is reported and\n"
      "waited for. Every state change and decision, taken or held back, goes to\n"
      "STATE_DIR/watch/NETWORK.jsonl (and stdout). Alerts go to Alertmanager (--alertmanager:\n"
      "POST /api/v2/alerts) or a webhook (Alertmanager's payload, version 4), with a Watchdog\n"
      "alert always firing. --listen serves /metrics (Prometheus) and a live page at /\n"
      "(loopback only, unless --token-file). With lock.etcd in the inventory, several --act\n"
      "watchers elect one actor; the others observe and take over. Runs until SIGINT/SIGTERM\n"
      "(exit 130); a recovery in flight finishes its step first. Start in --dry-run.",
      "  shardctl watch -i inventory.json -p playbooks/harmony-recover.json --listen "
      "127.0.0.1:9109\n"
      "  shardctl watch -i inventory.json -p playbooks/harmony-recover.json --act \\\n"
      "      --alertmanager http://127.0.0.1:9093 --listen 127.0.0.1:9109\n"
      "  shardctl watch -i /tmp/sb/inventory.json -p playbooks/sandbox.json --act --policy "
      "watch.json\n"
      "  shardctl watch pause -i inventory.json --reason \"release in progress\"\n"
      "  shardctl watch report -i inventory.json --since 24h\n"};
}

// The page's and /metrics' server, when --listen is given.
Result<std::unique_ptr<WebServer>> ServeWatch(const WatchFlags& f, Watcher& w, WatchMetrics& m) {
  auto addr = ParseListenAddress(f.listen);
  if (!addr.ok()) return addr.status();
  std::string token;
  if (!f.token_file.empty()) {
    auto text = ReadRegularFile(f.token_file, 4096);
    if (!text.ok()) return text.status().Annotate("--token-file: ");
    size_t end = text->find_last_not_of(" \t\r\n");
    token = end == std::string::npos ? "" : text->substr(0, end + 1);
    if (token.size() < 16) return Status::Invalid("--token-file: the token needs 16+ characters");
  }
  WebHandlers h;
  h.metrics = [&m] { return m.Render(); };
  h.state = [&w] { return w.PageState(); };
  h.page = [&w] { return RenderWatchPage(w.PageState()); };
  h.approve = [&w](int shard, const std::string& by) { return w.Approve(shard, by); };
  return WebServer::Start(*addr, token, std::move(h));
}

void EchoWatchLine(const CommonOptions& o, const WatchEntry& e) {
  if (o.json()) {
    std::cout << WatchEntryLine(e) << std::endl;
    return;
  }
  std::string who = e.shard < 0 ? "" : "shard " + std::to_string(e.shard) + ": ";
  std::string what = WatchEventName(e.event);
  if (e.event == WatchEvent::kState) {
    what = std::string(ShardStateName(e.from)) + " -> " + ShardStateName(e.to);
  }
  if (e.event == WatchEvent::kDecision) {
    what = e.acted ? "ACT" : std::string("held (") + GuardrailName(*e.guardrail) + ")";
  }
  if (e.event == WatchEvent::kAlert && e.alert) {
    what = std::string(e.resolved ? "resolved " : "alert ") + AlertNameText(*e.alert);
  }
  std::cout << FormatUtc(e.unix_ms) << " " << who << what << ": " << e.detail << std::endl;
}

Status CheckWatchFlags(const CommonOptions& o, const WatchFlags& f) {
  if (o.dry_run && f.act) return Status::Invalid("--act and --dry-run exclude each other");
  if (!o.nodes.empty()) {
    return Status::Invalid("watch judges and recovers whole shards: select them with --shard");
  }
  if (!f.alertmanager.empty())
    SHARDCTL_RETURN_IF_ERROR(CheckAlertUrl("--alertmanager", f.alertmanager));
  if (!f.webhook.empty()) SHARDCTL_RETURN_IF_ERROR(CheckAlertUrl("--webhook", f.webhook));
  if (!f.token_file.empty() && f.listen.empty()) {
    return Status::Invalid("--token-file protects --listen; give --listen ADDR too");
  }
  return Status::Ok();
}

// What a watcher needs loaded and checked before anything starts.
struct LoadedWatch {
  Inventory inv;
  Playbook pb;
  WatchPolicy policy;
  std::vector<int> shards;
  std::string state_dir;
};

Result<LoadedWatch> LoadWatch(const CommonOptions& o, const WatchFlags& f) {
  LoadedWatch l;
  auto inv = LoadInventoryOrReport(o);
  if (!inv.ok()) return inv.status();
  l.inv = std::move(*inv);
  auto pb = LoadPlaybookOrReport(o, l.inv);
  if (!pb.ok()) return pb.status();
  l.pb = std::move(*pb);
  l.policy = l.pb.watch;
  if (!f.policy_file.empty()) {
    auto policy = LoadWatchPolicy(f.policy_file);
    if (!policy.ok()) {
      PrintError(policy.status());
      return policy.status();
    }
    l.policy = *policy;
  }
  auto shards = ScheduledShards(l.inv, l.pb, o.shards);
  Status ok = shards.ok() ? CheckWatchable(l.inv, l.pb, *shards) : shards.status();
  l.state_dir = o.state_dir;  // absolute: ParseCommandLine resolved it
  if (!ok.ok()) {
    PrintError(ok);
    return ok;
  }
  l.shards = *shards;
  return l;
}

std::unique_ptr<AlertSender> MakeAlertSender(const WatchFlags& f, const LoadedWatch& l,
                                             const std::string& page_url) {
  if (f.alertmanager.empty() && f.webhook.empty()) return nullptr;
  AlertTargets t;
  t.alertmanager = f.alertmanager;
  while (!t.alertmanager.empty() && t.alertmanager.back() == '/') t.alertmanager.pop_back();
  t.webhook = f.webhook;
  t.network = l.inv.network;
  t.generator_url = page_url;
  return std::make_unique<AlertSender>(t);
}

// The recover runs an acting watcher starts: what `shardctl recover` would take and journal.
std::unique_ptr<SessionLauncher> MakeLauncher(const CommonOptions& o, const LoadedWatch& l) {
  SessionLauncherSetup setup;
  setup.state_dir = l.state_dir;
  FlagsToHeader(o, &setup.header);  // shards: each run's own
  // Commands in flight always finish: a signal is looked at between steps.
  setup.make_transport = [&o] { return MakeTransport(o, nullptr); };
  setup.say = [](const std::string& line) { PrintError("note: " + line); };
  return std::make_unique<SessionLauncher>(l.inv, l.pb, std::move(setup), *GlobalCancel());
}

int RunWatcher(const CommonOptions& o, const WatchFlags& f, const LoadedWatch& l) {
  // An acting watcher may be mid-restart when a signal comes: a second one must not cut the
  // step short (a dry run exits at once).
  HoldSecondSignal(f.act);
  RealClock clock;
  auto journal = WatchJournal::Open(l.state_dir, l.inv.network, clock);
  if (!journal.ok()) {
    PrintError(journal.status());
    return kExitInternal;
  }
  auto transport = MakeTransport(o);
  SoloPeers solo;
  std::unique_ptr<EtcdPeers> etcd;
  if (f.act && l.inv.etcd_lock) {
    etcd = std::make_unique<EtcdPeers>(*l.inv.etcd_lock, l.inv.network, clock, l.policy.interval);
  }
  std::unique_ptr<SessionLauncher> launcher = f.act ? MakeLauncher(o, l) : nullptr;
  WatchMetrics metrics(l.inv, l.shards, SHARDCTL_VERSION);
  std::string page_url = f.listen.empty() ? "" : "http://" + f.listen + "/";
  auto alerts = MakeAlertSender(f, l, page_url);
  WatchParts parts{journal->get(), etcd ? static_cast<WatchPeers*>(etcd.get()) : &solo,
                   launcher.get(), alerts.get(),
                   &metrics,       [&o](const WatchEntry& e) { EchoWatchLine(o, e); }};
  WatchSetup setup{l.shards, f.act, l.state_dir};
  Watcher w(l.inv, l.pb, l.policy, setup, *transport, clock, *GlobalCancel(), parts);
  std::unique_ptr<WebServer> web;
  if (!f.listen.empty()) {
    auto served = ServeWatch(f, w, metrics);
    if (!served.ok()) {
      PrintError(served.status());
      return kExitUsage;
    }
    web = std::move(*served);
  }
  std::cerr << "shardctl: watching " << l.shards.size() << " shard(s) of " << l.inv.network
            << " every " << FormatDuration(l.policy.interval) << ", "
            << (f.act ? "acting (--act)" : "dry run: deciding, touching nothing") << "; journal "
            << (*journal)->path()
            << (web ? "; page http://" + f.listen.substr(0, f.listen.rfind(':')) + ":" +
                          std::to_string(web->port()) + "/"
                    : "")
            << std::endl;
  Status s = w.Run();
  web.reset();
  transport->CloseAll();
  if (!s.ok()) {
    PrintError(s);
    return kExitInternal;
  }
  return kExitCancelled;
}

int RunWatchLoop(const std::vector<std::string>& args) {
  CommonOptions o;
  WatchFlags f;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  AddPlaybookOption(&d, &o);
  AddSelectionOptions(&d, &o);
  AddSshOptions(&d, &o);
  AddOutputOptions(&d, &o);
  d.add_options()("act", po::bool_switch(&f.act), "recover confirmed shards (default: dry run)")(
      "dry-run,n", po::bool_switch(&o.dry_run), "journal and page decisions only (the default)")(
      "state-dir", po::value(&o.state_dir)->value_name("DIR"),
      "where the watch journal, run journals and locks live")(
      "policy", po::value(&f.policy_file)->value_name("FILE"),
      "watch policy file (the keys of the playbook's watch section) instead of the playbook's")(
      "listen", po::value(&f.listen)->value_name("ADDR"),
      "serve /metrics and the page, e.g. 127.0.0.1:9109")(
      "token-file", po::value(&f.token_file)->value_name("FILE"),
      "a token every request to --listen must carry (required beyond loopback)")(
      "alertmanager", po::value(&f.alertmanager)->value_name("URL"),
      "post alerts to URL/api/v2/alerts")("webhook", po::value(&f.webhook)->value_name("URL"),
                                          "post Alertmanager webhook payloads (version 4) to URL");
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, WatchHelp(), &o, &code)) return code;
  if (Status s = CheckWatchFlags(o, f); !s.ok()) {
    PrintError(s);
    return kExitUsage;
  }
  auto loaded = LoadWatch(o, f);  // says what is wrong itself
  if (!loaded.ok()) return ExitCodeFor(loaded.status());
  return RunWatcher(o, f, *loaded);
}

int RunWatchCommand(const std::vector<std::string>& args) {
  if (!args.empty() && IsWatchControl(args[0])) return RunWatchControl(args);
  return RunWatchLoop(args);
}

RegisterCommand register_watch({"watch",
                                "watch every shard; page; recover halted ones within guardrails",
                                &RunWatchCommand});

}  // namespace
}  // namespace shardctl::cli
