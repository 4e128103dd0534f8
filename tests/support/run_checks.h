// What the end-to-end tests check after a run: how often each sandbox node was started, what
// the journal says per node, and that every shard commits again.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "run/journal_schema.h"
#include "support/height_monitor.h"
#include "support/sandbox_fixture.h"

namespace shardctl::testing {

/// How many times each node was started by its ctl (sandbox-node logs one line per start).
std::map<std::string, int> NodeStartCounts(const Sandbox& sb);

/// Every node was started exactly `times` more since `before` (gtest expectations).
void ExpectStartedExactly(const Sandbox& sb, const std::map<std::string, int>& before, int times);

/// From a node's stop "begin" to its node-action "done" line (Step::kNode), or the end of
/// the journal; wall-clock times comparable with HeightMonitor's.
std::pair<std::chrono::system_clock::time_point, std::chrono::system_clock::time_point>
ActionWindow(const std::vector<nlohmann::json>& journal, const std::string& node);

/// Nodes in flight after some node was done: a "stop" line with stop_outcome ("begin", "ok")
/// after the first node-action "done", and no "done" of their own yet. What a kill -9 test waits
/// for: a node stopped before the first done is that node's wave-mate, done milliseconds later.
std::set<std::string> StoppedSinceFirstDone(const std::vector<nlohmann::json>& journal,
                                            const std::string& stop_outcome);

/// Every shard 0..shards-1 commits `blocks` more blocks within 15 s, and every node ends up
/// answering in Normal mode: the shard is in consensus, not one fast node (gtest expectations).
void ExpectEveryShardCommitting(const Sandbox& sb, int shards, int64_t blocks);

/// Journal lines with this step and outcome, counted per node ("" for shard and run lines).
std::map<std::string, int> CountJournal(const std::vector<nlohmann::json>& journal,
                                        const std::string& step, const std::string& outcome);

/// A wave run's report shard kept committing: its longest stall (HeightMonitor, from outside)
/// while a non-leader was restarted stays under three blocks plus slack, and while its leader
/// (the last wave, alone) was restarted under one view change (2 s) plus slack.
void ExpectNoLongStall(const nlohmann::json& shard, const std::vector<nlohmann::json>& journal,
                       const HeightMonitor& monitor);

/// Runs `shardctl ARGS... -p <the sandbox playbook with a 2 s stop> --yes --state-dir DIR` on sb
/// (ARGS: the command and its -i), sends SIGHUP and then SIGINT once a stop began, and checks
/// the second signal did not cut the step short: exit 130, every node running again, and the
/// output says `says` (the command that continues the run).
void ExpectTwoSignalsMidStopFinishTheStep(const Sandbox& sb, const std::vector<std::string>& args,
                                          const std::string& says);

}  // namespace shardctl::testing
