#include "cli/options.h"

#include "cli/flag_checks.h"

namespace shardctl::cli {

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

void AddStateDirOption(po::options_description* d, CommonOptions* o) {
  d->add_options()("state-dir", po::value(&o->state_dir)->value_name("DIR"),
                   "where journals and locks live (default: $XDG_STATE_HOME/shardctl or "
                   "~/.local/state/shardctl)");
}

void AddActionOptions(po::options_description* d, CommonOptions* o) {
  d->add_options()("yes,y", po::bool_switch(&o->yes), "do not ask for confirmation")(
      "dry-run,n", po::bool_switch(&o->dry_run), "print what would be done; touch nothing");
  AddStateDirOption(d, o);
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

}  // namespace shardctl::cli
