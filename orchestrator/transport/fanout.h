// Running one command (or one command per node) on many nodes with a bounded worker pool.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "transport/transport.h"

namespace shardctl {

/// Builds the command for one node (e.g. a playbook template rendered with the node's vars).
using CommandFn = std::function<std::string(const Node& node)>;
/// Called once per node as its command finishes (or is cancelled before it started), with the
/// node's index in the input. Calls are serialised (never two at once) but come from worker
/// threads, in completion order.
using CompletionFn = std::function<void(size_t index, const Node& node, const ExecResult& result)>;

/// Runs command_for(node) on every node through transport, at most parallelism at once
/// (parallelism < 1 means DefaultParallelism()). Returns one result per node in input order.
/// Once options.cancel is set no new command starts; nodes not started get kCancelled (and the
/// running ones end as the transport decides, normally kCancelled too). Blocks until every
/// worker has finished. nodes must stay valid for the call; on_done may be empty.
std::vector<ExecResult> RunOnNodes(Transport& transport, const std::vector<const Node*>& nodes,
                                   const CommandFn& command_for, const ExecOptions& options,
                                   int parallelism, const CompletionFn& on_done = {});

/// Same with one command for every node.
std::vector<ExecResult> RunOnNodes(Transport& transport, const std::vector<const Node*>& nodes,
                                   const std::string& command, const ExecOptions& options,
                                   int parallelism, const CompletionFn& on_done = {});

/// Convenience for callers holding Node values.
std::vector<const Node*> NodePointers(const std::vector<Node>& nodes);

/// Worker count for fan-out on this machine. Fresh SSH handshakes are CPU-bound on both ends,
/// so more threads than this thrash the cores (docs/benchmarks.md: 16 beat 64 on 2 cores);
/// SshTransport additionally limits concurrent handshakes on its own.
int DefaultParallelism();

}  // namespace shardctl
