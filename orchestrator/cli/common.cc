#include "cli/common.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/flag_checks.h"
#include "model/json_text.h"
#include "model/key_files.h"
#include "model/ssh_resolve.h"
#include "run/renderers.h"

namespace shardctl::cli {
namespace {

// One JSON object per log line on stderr, for log shippers.
class JsonStderrSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    auto t = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch());
    nlohmann::json j = {{"ts_ms", t.count()},
                        {"level", spdlog::level::to_string_view(msg.level).data()},
                        {"msg", std::string(msg.payload.data(), msg.payload.size())}};
    std::cerr << JsonLine(j);
  }
  void flush_() override { std::cerr.flush(); }
};

void SetUpLogging(const CommonOptions& o) {
  std::shared_ptr<spdlog::logger> logger;
  if (o.log_format == "json") {
    logger = std::make_shared<spdlog::logger>("shardctl", std::make_shared<JsonStderrSink>());
  } else {
    logger = spdlog::stderr_color_mt("shardctl");
    logger->set_pattern("%^%H:%M:%S.%e %l%$ %v");
  }
  logger->set_level(o.verbose >= 2   ? spdlog::level::debug
                    : o.verbose == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

// Counts and removes -v, -vv, -vvv and --verbose (program_options cannot count repeats).
std::vector<std::string> TakeVerbosity(const std::vector<std::string>& args, int* verbose) {
  std::vector<std::string> rest;
  bool after_dashdash = false;
  for (const auto& a : args) {
    if (!after_dashdash && a == "--") after_dashdash = true;
    if (!after_dashdash && a == "--verbose") {
      ++*verbose;
    } else if (!after_dashdash && a.size() >= 2 && a[0] == '-' &&
               a.find_first_not_of('v', 1) == std::string::npos) {
      *verbose += static_cast<int>(a.size() - 1);
    } else {
      rest.push_back(a);
    }
  }
  return rest;
}

void PrintHelp(const HelpText& help, const po::options_description& d) {
  std::cout << "usage: " << help.usage << "\n\n" << help.description << "\n\n" << d << "\n";
  if (!help.examples.empty()) std::cout << "Examples:\n" << help.examples << "\n";
}

}  // namespace

void AddInventoryOption(po::options_description* d, CommonOptions* o) {
  d->add_options()("inventory,i", po::value(&o->inventory)->value_name("FILE")->required(),
                   "shard inventory (JSON; see docs/inventory.md)");
}

void AddPlaybookOption(po::options_description* d, CommonOptions* o) {
  d->add_options()("playbook,p", po::value(&o->playbook)->value_name("FILE")->required(),
                   "playbook (JSON; see docs/playbooks.md), e.g. playbooks/sandbox.json");
}

void AddSelectionOptions(po::options_description* d, CommonOptions* o) {
  d->add_options()("shard", po::value(&o->shards)->value_name("N")->composing(),
                   "only this shard (repeatable; default: every shard)")(
      "node", po::value(&o->nodes)->value_name("GLOB")->composing(),
      "only nodes whose name matches GLOB, e.g. 's1-*' (repeatable; default: every node)");
}

void AddOutputOptions(po::options_description* d, CommonOptions* o) {
  d->add_options()("output,o",
                   po::value(&o->output)->value_name("text|json")->default_value("text"),
                   "result format on stdout; json is one object per line, for machines")(
      "log-format", po::value(&o->log_format)->value_name("text|json")->default_value("text"),
      "log format on stderr")("verbose,v", "more logging (-v info, -vv debug)");
}

void AddSshOptions(po::options_description* d, CommonOptions* o) {
  d->add_options()("ssh-config,F", po::value(&o->ssh_config)->value_name("FILE"),
                   "ssh_config to read (default: the inventory's ssh.config, else ~/.ssh/config; "
                   "'none' reads none)")(
      "known-hosts", po::value(&o->known_hosts)->value_name("FILE"),
      "known_hosts file to check host keys against (default: the inventory's)")(
      "accept-new-host-keys", po::bool_switch(&o->accept_new_host_keys),
      "record host keys never seen before (like OpenSSH accept-new); changed keys are "
      "always refused")(
      "jobs,j",
      po::value(&o->jobs)->value_name("N")->default_value(0)->notifier(IntFlag("--jobs", 0, 4096)),
      "nodes worked on at once (0: sized for this machine)")(
      "connect-timeout",
      po::value(&o->connect_timeout_s)
          ->value_name("SEC")
          ->default_value(10)
          ->notifier(SecondsFlag("--connect-timeout", 3600)),
      "SSH connect + handshake timeout");
}

void AddActionOptions(po::options_description* d, CommonOptions* o) {
  d->add_options()("yes,y", po::bool_switch(&o->yes), "do not ask for confirmation")(
      "dry-run,n", po::bool_switch(&o->dry_run), "print what would be done; touch nothing")(
      "state-dir", po::value(&o->state_dir)->value_name("DIR"),
      "where journals and locks live (default: $XDG_STATE_HOME/shardctl or "
      "~/.local/state/shardctl)");
}

void AddReportOptions(po::options_description* d, CommonOptions* o, bool planned) {
  d->add_options()("report", po::value(&o->report_file)->value_name("FILE"),
                   "write a Markdown report to FILE")(
      "plain", po::bool_switch(&o->plain), "timestamped lines even on a terminal (no live view)");
  if (!planned) return;
  d->add_options()("override-window",
                   po::value(&o->override_window)
                       ->value_name("REASON")
                       ->notifier(NonBlankFlag("--override-window")),
                   "run outside the playbook's maintenance window; REASON is journaled");
}

void AddRunOptions(po::options_description* d, CommonOptions* o, bool planned) {
  AddInventoryOption(d, o);
  AddPlaybookOption(d, o);
  AddSelectionOptions(d, o);
  AddSshOptions(d, o);
  AddOutputOptions(d, o);
  AddActionOptions(d, o);
  AddReportOptions(d, o, planned);
}

bool ParseCommandLine(const std::vector<std::string>& args, const po::options_description& d,
                      const po::positional_options_description* positional, const HelpText& help,
                      CommonOptions* common, int* exit_code) {
  po::options_description all(d);
  all.add_options()("help,h", "show this help");
  std::vector<std::string> rest = TakeVerbosity(args, &common->verbose);
  po::variables_map vm;
  try {
    po::command_line_parser parser(rest);
    parser.options(all);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), vm);
    if (vm.count("help")) {
      PrintHelp(help, all);
      *exit_code = kExitOk;
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    SetJsonErrors(AsksForJsonOutput(rest));
    std::cerr << FormatError(e.what()) << "\n";
    if (!AsksForJsonOutput(rest)) {
      std::cerr << "usage: " << help.usage << "\n(run with --help for every option and examples)\n";
    }
    *exit_code = kExitUsage;
    return false;
  }
  SetJsonErrors(common->json());
  if (d.find_nothrow("state-dir", false) != nullptr) {  // never relative to the cwd by accident
    auto dir = ResolveStateDir(common->state_dir);
    if (!dir.ok()) {
      PrintError(dir.status());
      *exit_code = kExitUsage;
      return false;
    }
    common->state_dir = *dir;
  }
  if (common->output != "text" && common->output != "json") {
    PrintError("--output must be text or json, not '" + common->output + "'");
    *exit_code = kExitUsage;
    return false;
  }
  SetUpLogging(*common);
  return true;
}

Result<Inventory> LoadInventoryOrReport(const CommonOptions& o) {
  auto inv = LoadInventory(o.inventory);
  if (!inv.ok()) {
    PrintError(inv.status());
    return inv.status();
  }
  std::vector<std::string> warnings;
  if (Status st = ResolveSsh(&*inv, o.ssh_config, &warnings); !st.ok()) {
    PrintError(st);
    return st;
  }
  for (const std::string& w : warnings) PrintError("warning: " + w);
  if (!o.known_hosts.empty()) {
    for (Shard& s : inv->shards) {
      for (Node& n : s.nodes) n.ssh.known_hosts = ExpandHome(o.known_hosts);
    }
  }
  if (Status st = CheckKeyFiles(*inv); !st.ok()) {
    PrintError(st);
    return st;
  }
  return inv;
}

Result<Playbook> LoadPlaybookOrReport(const CommonOptions& o, const Inventory& inv) {
  auto pb = LoadPlaybookFor(o.playbook, inv);
  if (!pb.ok()) PrintError(pb.status());
  return pb;
}

std::unique_ptr<Observer> MakeRunView(const CommonOptions& o) {
  if (o.json()) return std::make_unique<JsonEventRenderer>(std::cout);
  if (StdoutIsTty() && !o.plain) return std::make_unique<LiveRenderer>(std::cout);
  return std::make_unique<PlainRenderer>(std::cout, o.verbose > 0);
}

std::string JsonLine(const nlohmann::json& j) { return ToJsonText(j) + "\n"; }

void PrintError(const std::string& message) { std::cerr << FormatError(message) << "\n"; }
void PrintError(const Status& status) { PrintError(status.message()); }

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kInvalid:
    case Status::Code::kNotFound:
      return kExitUsage;
    case Status::Code::kCancelled:
      return kExitCancelled;
    case Status::Code::kIo:
    case Status::Code::kInternal:
      return kExitInternal;
    default:
      return kExitFailed;
  }
}

CancelToken* GlobalCancel() {
  static CancelToken token;
  return &token;
}

bool StdoutIsTty() { return isatty(STDOUT_FILENO) == 1; }

bool Confirm(const std::string& question) {
  if (isatty(STDIN_FILENO) != 1) return false;
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace shardctl::cli
