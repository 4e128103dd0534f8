#include "transport/fanout.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <system_error>
#include <thread>

namespace shardctl {

std::vector<ExecResult> RunOnNodes(Transport& transport, const std::vector<const Node*>& nodes,
                                   const CommandFn& command_for, const ExecOptions& options,
                                   int parallelism, const CompletionFn& on_done) {
  std::vector<ExecResult> results(nodes.size());
  if (nodes.empty()) return results;
  if (parallelism < 1) parallelism = DefaultParallelism();
  size_t workers = std::min(nodes.size(), static_cast<size_t>(parallelism));

  std::atomic<size_t> next{0};
  std::mutex done_mu;
  auto finish = [&](size_t i) {
    if (!on_done) return;
    std::lock_guard<std::mutex> lock(done_mu);
    on_done(i, *nodes[i], results[i]);
  };
  auto work = [&] {
    for (size_t i = next++; i < nodes.size(); i = next++) {
      if (options.cancel != nullptr && options.cancel->cancelled()) {
        results[i].outcome = ExecResult::Outcome::kCancelled;
        results[i].detail = "not started: run cancelled";
      } else {
        results[i] = transport.Exec(*nodes[i], command_for(*nodes[i]), options);
      }
      finish(i);
    }
  };

  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  for (size_t t = 1; t < workers; ++t) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // out of threads: the ones we have (at least this one) do all the work
    }
  }
  work();
  for (auto& t : threads) t.join();
  return results;
}

std::vector<ExecResult> RunOnNodes(Transport& transport, const std::vector<const Node*>& nodes,
                                   const std::string& command, const ExecOptions& options,
                                   int parallelism, const CompletionFn& on_done) {
  return RunOnNodes(
      transport, nodes, [&command](const Node&) { return command; }, options, parallelism, on_done);
}

std::vector<const Node*> NodePointers(const std::vector<Node>& nodes) {
  std::vector<const Node*> out;
  out.reserve(nodes.size());
  for (const Node& n : nodes) out.push_back(&n);
  return out;
}

int DefaultParallelism() {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<int>(std::clamp(8u * cores, 16u, 64u));
}

}  // namespace shardctl
