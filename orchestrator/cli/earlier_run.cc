#include "cli/earlier_run.h"

#include "cli/exit_code.h"
#include "cli/load.h"
#include "cli/output.h"

namespace shardctl::cli {

bool ParseRunCommand(const std::vector<std::string>& args, const std::string& run_help,
                     const HelpText& help, CommonOptions* o, WaveRequest* r, std::string* run_id,
                     int* exit_code) {
  po::options_description d("Options");
  d.add_options()("run", po::value(run_id)->value_name("RUN_ID"), run_help.c_str());
  AddSshOptions(&d, o);
  AddOutputOptions(&d, o);
  AddActionOptions(&d, o);
  AddReportOptions(&d, o, /*planned=*/true);
  AddWaveOptions(&d, r);
  po::positional_options_description pos;
  pos.add("run", 1);
  return ParseCommandLine(args, d, &pos, help, o, exit_code);
}

void ApplyHeader(const RunHeader& h, CommonOptions* o) {
  o->inventory = h.inventory;
  o->playbook = h.playbook;
  o->shards = h.shards;
  o->nodes = h.nodes;
  o->known_hosts = h.known_hosts;
  o->accept_new_host_keys = h.accept_new_host_keys;
}

void FlagsToHeader(const CommonOptions& o, RunHeader* h) {
  h->inventory = Absolute(o.inventory);
  h->playbook = Absolute(o.playbook);
  h->shards = o.shards;
  h->nodes = o.nodes;
  h->known_hosts = o.known_hosts.empty() ? "" : Absolute(o.known_hosts);
  h->accept_new_host_keys = o.accept_new_host_keys;
}

bool PlanFromEarlierRun(const std::string& run_id, bool unfinished_only,
                        Result<RunPlan> (*plan)(const RunJournal&), CommonOptions* o,
                        WaveRequest* r, int* exit_code) {
  auto run = FindRun(o->state_dir, run_id, unfinished_only);
  auto planned = run.ok() ? plan(*run) : Result<RunPlan>(run.status());
  if (!planned.ok()) {
    PrintError(planned.status());
    *exit_code = ExitCodeFor(planned.status());
    return false;
  }
  ApplyHeader(planned->header, o);
  r->plan = std::move(*planned);
  return true;
}

}  // namespace shardctl::cli
