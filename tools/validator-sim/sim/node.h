// The consensus core of one simulated validator: a pure state machine. Inputs are time (Tick, read
// from an injected Clock) and received messages; outputs are messages to send, newly appended
// blocks (to persist) and log lines. No I/O, no threads: the in-memory SimNetwork and the real UDP
// Runner both drive it. docs/sandbox.md states the rules and why.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "sim/block.h"
#include "sim/message.h"

namespace vsim {

using shardctl::Clock;
using shardctl::Duration;
using shardctl::TimePoint;

/// Harmony's consensus modes (Listening is reported by non-validators; a sim node never uses it).
enum class Mode { kSyncing, kNormal, kViewChanging, kListening };
const char* ModeName(Mode m);

struct ConsensusParams {
  Duration block{200};           ///< Leader proposes this long after the previous commit.
  Duration phase_timeout{1000};  ///< No commit for this long in Normal mode -> view change.
  Duration view_change{1000};    ///< Timer for view-change id is (id - view) x this.
  Duration sync_wait{300};       ///< How long a sync round waits for peers' answers.
};

struct NodeOptions {
  uint32_t index = 0;                  ///< This node's index, 0..N-1.
  std::vector<uint64_t> voting_power;  ///< One entry per node of the shard (N = size()).
  ConsensusParams params;
};

/// A message to send; to == kBroadcast means every other node of the shard.
struct Outgoing {
  static constexpr uint32_t kBroadcast = UINT32_MAX;
  uint32_t to = kBroadcast;
  Message msg;
};

/// What RPC and tests read about a node.
struct NodeState {
  Mode mode = Mode::kSyncing;
  uint64_t view = 0;            ///< Normal-mode view (viewId).
  uint64_t view_change_id = 0;  ///< Equals view outside ViewChanging.
  uint64_t height = 0;
  bool is_leader = false;        ///< Leader of view (Normal) or of view_change_id (ViewChanging).
  uint64_t max_peer_height = 0;  ///< Highest height any peer has shown us.
  std::string phase;             ///< "Announce" (waiting for a block) or "Prepare" (voting).
};

/// Not thread-safe: one driver owns it. The clock must outlive the node.
class Node {
 public:
  /// Starts in Syncing with `chain` (the blocks loaded from disk) and queues a height request.
  Node(NodeOptions options, std::vector<Block> chain, Clock* clock);

  /// Acts on every deadline that has passed (propose, phase timeout, view-change timer, sync).
  void Tick();
  /// Handles one message from a peer (from must be a valid index; others are ignored).
  void Receive(const Message& m);
  /// The earliest time at which Tick has something to do.
  TimePoint NextDeadline() const;

  std::vector<Outgoing> TakeOutbox();
  /// Blocks appended since the last call, in order (commits and synced blocks): persist them.
  std::vector<Block> TakeNewBlocks();
  /// Human-readable events since the last call (mode and view changes, commits).
  std::vector<std::string> TakeLog();

  NodeState State() const;
  const std::vector<Block>& chain() const { return chain_; }
  uint64_t height() const { return chain_.empty() ? 0 : chain_.back().height; }
  uint32_t Leader(uint64_t view) const { return static_cast<uint32_t>(view % n()); }
  /// True when power is strictly more than 2/3 of the shard's total.
  bool IsQuorum(uint64_t power) const { return 3 * power > 2 * total_power_; }

 private:
  uint32_t n() const { return static_cast<uint32_t>(opt_.voting_power.size()); }
  uint32_t self() const { return opt_.index; }
  uint64_t Power(const std::set<uint32_t>& nodes) const;
  void Send(uint32_t to, MsgType type, uint64_t height, uint64_t view,
            std::vector<Block> blocks = {});
  void Log(std::string line);
  void SetMode(Mode m, const std::string& why);
  void Append(const Block& b);

  void BeginSync();
  void ContinueSync();
  void FinishSync();
  void EnterNormal(uint64_t view, const std::string& why);
  void Propose();
  void CheckCommit();
  void StartViewChange();
  void MoveViewChangeId(uint64_t id);
  void CheckNewView(uint64_t id);

  void OnPropose(const Message& m);
  void OnVote(const Message& m);
  void OnCommit(const Message& m);
  void OnViewChange(const Message& m);
  void OnNewView(const Message& m);
  void OnSyncMessage(const Message& m);

  NodeOptions opt_;
  Clock* clock_;
  uint64_t total_power_ = 0;
  std::vector<Block> chain_;
  size_t persisted_ = 0;

  Mode mode_ = Mode::kSyncing;
  uint64_t view_ = 0;
  uint64_t vc_id_ = 0;
  TimePoint phase_deadline_{};
  TimePoint vc_deadline_{};
  TimePoint propose_at_{};
  std::optional<Block> pending_;  ///< Leader's proposal waiting for votes.
  std::set<uint32_t> pending_votes_;
  std::map<uint64_t, std::set<uint32_t>> vc_votes_;  ///< View-change votes by id, as a leader.

  TimePoint sync_deadline_{};
  std::map<uint32_t, uint64_t> sync_heights_;  ///< Answers of the current sync round.
  std::optional<uint32_t> sync_source_;        ///< Peer we asked for blocks, if any.
  uint64_t max_peer_height_ = 0;

  std::vector<Outgoing> outbox_;
  std::vector<std::string> log_;
};

}  // namespace vsim
