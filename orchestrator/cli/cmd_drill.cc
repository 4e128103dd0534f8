// shardctl drill: a game day from a drill file (docs/drills.md) through the mutating-command
// pipeline (window, confirmation, run lock, leases, journal): faults from the playbook on nodes
// chosen by rule, recovery through recover, rollbacks that always run, measured per shard.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/text.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/output.h"
#include "cli/pipeline.h"
#include "cli/transport_factory.h"
#include "ops/drill/drill_plan.h"
#include "ops/drill/drill_run.h"

namespace shardctl::cli {
namespace {

struct DrillFlags {
  std::string drill;
  std::optional<uint64_t> seed;
  std::string production;  // why a network without "drills": true may be drilled
};

class DrillCommand : public MutatingCommand {
 public:
  DrillCommand(const CommonOptions& o, const DrillFlags& f) : o_(o), f_(f) {}

  std::string Name() const override { return "drill"; }
  bool Planned() const override { return true; }  // a game day waits for its window
  Status Select(const Inventory& inv, const Playbook& pb) override;
  int DryRun(const Inventory&, const Playbook& pb) override {
    PrintPlan(pb);
    return plan_->blast.ok() ? kExitOk : kExitUsage;
  }
  // Rollbacks recover whatever shard is still broken: every shard may be touched.
  std::vector<int> LeaseShards(const Inventory& inv) const override {
    std::vector<int> all;
    for (const Shard& s : inv.shards) all.push_back(s.id);
    return all;
  }
  std::string Question(const Inventory& inv) const override {
    return "Inject these faults into " + inv.network + "?";
  }
  int Run(RunContext& ctx, std::string* markdown) override;

 private:
  void PrintPlan(const Playbook& pb) const {
    if (o_.json()) {
      std::cout << JsonLine({{"event", "plan"}, {"plan", DrillPlanToJson(*plan_, pb)}});
      return;
    }
    for (const std::string& l : DrillPlanLines(*plan_, pb)) std::cout << l << "\n";
    std::cout.flush();
  }

  const CommonOptions& o_;
  const DrillFlags& f_;
  std::unique_ptr<DrillPlan> plan_;
};

// Everything that may refuse the drill, before the window and the confirmation: the drill file,
// the network's consent, the targets and the blast radius. Nothing is touched.
Status DrillCommand::Select(const Inventory& inv, const Playbook& pb) {
  if (!o_.shards.empty() || !o_.nodes.empty()) {
    return Status::Invalid("a drill chooses its nodes in the drill file, not with --shard/--node");
  }
  if (!inv.drills && f_.production.empty()) {
    return Status::Invalid(inv.path +
                           " does not say \"drills\": true, so it may not be drilled; to drill it "
                           "anyway pass --production \"REASON\" (journaled). Nothing was touched.");
  }
  RealClock clock;
  auto transport = MakeTransport(o_);
  ReadOnlyContext read_only(inv, pb, *transport, clock);
  auto plan = PlanDrill(f_.drill, read_only.get(), f_.seed);
  transport->CloseAll();
  if (!plan.ok()) return plan.status();
  plan_ = std::move(*plan);
  if (o_.dry_run) return Status::Ok();
  PrintPlan(pb);
  if (plan_->blast.ok()) return Status::Ok();
  for (const std::string& v : plan_->blast.violations) PrintError(v);
  return Status::Invalid(
      "the faults exceed the drill's blast radius: refused, nothing was touched");
}

int DrillCommand::Run(RunContext& ctx, std::string* markdown) {
  auto say = [&](const std::string& line) {
    if (!o_.json()) std::cout << FormatUtc(ctx.clock.UnixMillis()) << " drill: " << line << "\n";
  };
  DrillSetup setup{plan_->spec, plan_->targets, plan_->blast, o_.state_dir, f_.production, say};
  auto report = RunDrill(ctx, setup);
  if (!report.ok()) {
    PrintError(report.status());
    return ExitCodeFor(report.status());
  }
  PrintReport(o_, DrillReportToJson(*report), RenderDrillSummary(*report));
  if (markdown) *markdown = RenderDrillMarkdown(*report);
  if (ctx.stop.cancelled()) return kExitCancelled;
  return report->outcome == DrillOutcome::kPassed ? kExitOk : kExitFailed;
}

int RunDrillCommand(const std::vector<std::string>& args) {
  CommonOptions o;
  DrillFlags f;
  po::options_description d("Options");
  AddRunOptions(&d, &o, /*planned=*/true);
  uint64_t seed = 0;
  d.add_options()("drill", po::value(&f.drill)->required(), "the drill file")(
      "seed", po::value(&seed)->value_name("N"), "seed for every random choice (replay a run)")(
      "production", po::value(&f.production)->value_name("REASON"),
      "drill a network whose inventory lacks \"drills\": true (journaled)");
  po::positional_options_description pos;
  pos.add("drill", 1);
  HelpText help{
      "shardctl drill -i INVENTORY -p PLAYBOOK DRILL.json [--seed N] [--dry-run] [--yes] "
      "[--report FILE] [--production REASON] [--override-window REASON]",
      "Runs a game day from DRILL.json (docs/drills.md): checks the hypothesis (shards healthy by\n"
      "the playbook's gate), injects the playbook's faults into nodes chosen by rule (seeded,\n"
      "printed) within the blast radius, recovers (shardctl recover, observe, or wait), checks\n"
      "the hypothesis again, and always runs the rollbacks (undo every fault, recover what is\n"
      "still broken). Measures per shard time to detect and time to recover; the report adds\n"
      "the trend over earlier runs. Refuses (exit 2, nothing touched) a network without\n"
      "\"drills\": true unless --production, faults beyond the blast radius, and (like\n"
      "rolling-restart) a closed maintenance window unless --override-window. Takes the run\n"
      "lock and the leases like every command that changes nodes. Exit 0 when the hypothesis\n"
      "held after recovery; 1 when it did not or the drill was aborted; 130 on Ctrl-C.",
      "  shardctl drill -i /tmp/sb/inventory.json -p playbooks/sandbox.json "
      "playbooks/drills/aug30.json --dry-run\n"
      "  shardctl drill -i /tmp/sb/inventory.json -p playbooks/sandbox.json "
      "playbooks/drills/aug30.json --yes --report /tmp/aug30.md\n"
      "  shardctl drill -i /tmp/sb/inventory.json -p playbooks/sandbox.json "
      "playbooks/drills/kill-minority.json --yes --seed 7 -o json\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, &pos, help, &o, &code)) return code;
  for (const std::string& a : args) {
    if (a == "--seed" || a.rfind("--seed=", 0) == 0) f.seed = seed;
  }
  DrillCommand cmd(o, f);
  return RunPipeline(o, cmd);
}

RegisterCommand register_drill({"drill", "game day: inject faults by rule, recover, measure",
                                &RunDrillCommand});

}  // namespace
}  // namespace shardctl::cli
