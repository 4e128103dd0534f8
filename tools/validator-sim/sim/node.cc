#include "sim/node.h"

#include <algorithm>
#include <utility>

namespace vsim {
namespace {

constexpr size_t kMaxBlocksPerResponse = 200;
constexpr TimePoint kNever = TimePoint::max();

}  // namespace

const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kSyncing:
      return "Syncing";
    case Mode::kNormal:
      return "Normal";
    case Mode::kViewChanging:
      return "ViewChanging";
    case Mode::kListening:
      return "Listening";
  }
  return "?";
}

Node::Node(NodeOptions options, std::vector<Block> chain, Clock* clock)
    : opt_(std::move(options)), clock_(clock), chain_(std::move(chain)), persisted_(chain_.size()) {
  for (uint64_t p : opt_.voting_power) total_power_ += p;
  Log("start: height=" + std::to_string(height()) + " mode=Syncing");
  BeginSync();
}

uint64_t Node::Power(const std::set<uint32_t>& nodes) const {
  uint64_t sum = 0;
  for (uint32_t i : nodes) sum += opt_.voting_power[i];
  return sum;
}

void Node::Send(uint32_t to, MsgType type, uint64_t h, uint64_t view, std::vector<Block> blocks) {
  Message m{type, self(), h, view, std::move(blocks)};
  outbox_.push_back(Outgoing{to, std::move(m)});
}

void Node::Log(std::string line) { log_.push_back(std::move(line)); }

void Node::SetMode(Mode m, const std::string& why) {
  if (m != mode_) {
    Log(std::string("mode ") + ModeName(mode_) + " -> " + ModeName(m) + " (" + why + ")");
  }
  mode_ = m;
}

void Node::Append(const Block& b) {
  chain_.push_back(b);
  max_peer_height_ = std::max(max_peer_height_, b.height);
}

std::vector<Outgoing> Node::TakeOutbox() { return std::exchange(outbox_, {}); }
std::vector<std::string> Node::TakeLog() { return std::exchange(log_, {}); }

std::vector<Block> Node::TakeNewBlocks() {
  std::vector<Block> out(chain_.begin() + static_cast<ptrdiff_t>(persisted_), chain_.end());
  persisted_ = chain_.size();
  return out;
}

NodeState Node::State() const {
  NodeState s;
  s.mode = mode_;
  s.view = view_;
  s.view_change_id = mode_ == Mode::kViewChanging ? vc_id_ : view_;
  s.height = height();
  s.is_leader = mode_ != Mode::kSyncing && Leader(s.view_change_id) == self();
  s.max_peer_height = max_peer_height_;
  s.phase = pending_ ? "Prepare" : "Announce";
  return s;
}

TimePoint Node::NextDeadline() const {
  switch (mode_) {
    case Mode::kSyncing:
      return sync_deadline_;
    case Mode::kViewChanging:
      return vc_deadline_;
    case Mode::kNormal: {
      TimePoint t = phase_deadline_;
      if (Leader(view_) == self() && !pending_) t = std::min(t, propose_at_);
      return t;
    }
    case Mode::kListening:
      break;
  }
  return kNever;
}

void Node::Tick() {
  TimePoint now = clock_->Now();
  switch (mode_) {
    case Mode::kSyncing:
      if (now < sync_deadline_) return;
      if (sync_source_) {
        BeginSync();  // the peer we asked for blocks did not answer: ask everyone again
      } else {
        ContinueSync();
      }
      return;
    case Mode::kNormal:
      if (Leader(view_) == self() && !pending_ && now >= propose_at_) Propose();
      if (mode_ == Mode::kNormal && now >= phase_deadline_) StartViewChange();
      return;
    case Mode::kViewChanging:
      if (now >= vc_deadline_) MoveViewChangeId(vc_id_ + 1);
      return;
    case Mode::kListening:
      return;
  }
}

void Node::Receive(const Message& m) {
  if (m.from >= n() || m.from == self()) return;
  switch (m.type) {
    case MsgType::kPropose:
      OnPropose(m);
      break;
    case MsgType::kVote:
      OnVote(m);
      break;
    case MsgType::kCommit:
      OnCommit(m);
      break;
    case MsgType::kViewChange:
      OnViewChange(m);
      break;
    case MsgType::kNewView:
      OnNewView(m);
      break;
    default:
      OnSyncMessage(m);
      break;
  }
}

// ---- Syncing -------------------------------------------------------------------------------

void Node::BeginSync() {
  sync_heights_.clear();
  sync_source_.reset();
  pending_.reset();
  sync_deadline_ = clock_->Now() + opt_.params.sync_wait;
  Send(Outgoing::kBroadcast, MsgType::kHeightReq, height(), 0);
  if (n() == 1) ContinueSync();
}

void Node::ContinueSync() {
  uint32_t best = self();
  uint64_t best_height = height();
  for (const auto& [peer, h] : sync_heights_) {
    if (h > best_height) best = peer, best_height = h;
  }
  if (best == self()) return FinishSync();
  sync_source_ = best;
  sync_deadline_ = clock_->Now() + opt_.params.sync_wait;
  Send(best, MsgType::kBlocksReq, height() + 1, 0);
}

void Node::FinishSync() {
  sync_source_.reset();
  uint64_t view = chain_.empty() ? 0 : chain_.back().view + 1;
  EnterNormal(view,
              "synced at height " + std::to_string(height()) +
                  (chain_.empty() ? ", empty chain: view 0" : ", view = last block view + 1"));
}

void Node::OnSyncMessage(const Message& m) {
  switch (m.type) {
    case MsgType::kHeightReq:
      max_peer_height_ = std::max(max_peer_height_, m.height);
      Send(m.from, MsgType::kHeightResp, height(), 0);
      return;
    case MsgType::kBlocksReq: {
      std::vector<Block> blocks;
      for (uint64_t h = std::max<uint64_t>(m.height, 1); h <= height(); ++h) {
        blocks.push_back(chain_[h - 1]);
        if (blocks.size() == kMaxBlocksPerResponse) break;
      }
      Send(m.from, MsgType::kBlocksResp, height(), 0, std::move(blocks));
      return;
    }
    case MsgType::kHeightResp:
      max_peer_height_ = std::max(max_peer_height_, m.height);
      if (mode_ != Mode::kSyncing || sync_source_) return;
      sync_heights_[m.from] = m.height;
      if (sync_heights_.size() + 1 == n()) ContinueSync();
      return;
    case MsgType::kBlocksResp: {
      max_peer_height_ = std::max(max_peer_height_, m.height);
      if (mode_ != Mode::kSyncing || sync_source_ != m.from) return;
      size_t before = chain_.size();
      for (const Block& b : m.blocks) {
        if (b.height == height() + 1) Append(b);
      }
      if (chain_.size() > before) {
        Log("synced " + std::to_string(chain_.size() - before) + " blocks from node " +
            std::to_string(m.from) + ", height=" + std::to_string(height()));
      }
      if (chain_.size() > before && height() < m.height) {
        sync_deadline_ = clock_->Now() + opt_.params.sync_wait;
        Send(m.from, MsgType::kBlocksReq, height() + 1, 0);
        return;
      }
      FinishSync();
      return;
    }
    default:
      return;
  }
}

// ---- Normal mode ---------------------------------------------------------------------------

void Node::EnterNormal(uint64_t view, const std::string& why) {
  bool changed = mode_ != Mode::kNormal || view != view_;
  SetMode(Mode::kNormal, why);
  if (changed)
    Log("view " + std::to_string(view) + ", leader node " + std::to_string(Leader(view)));
  view_ = view;
  vc_id_ = view;
  vc_votes_.clear();
  pending_.reset();
  TimePoint now = clock_->Now();
  phase_deadline_ = now + opt_.params.phase_timeout;
  propose_at_ = now + opt_.params.block;
}

void Node::Propose() {
  Block b{height() + 1, view_, self(), clock_->UnixMillis()};
  pending_ = b;
  pending_votes_ = {self()};
  Send(Outgoing::kBroadcast, MsgType::kPropose, b.height - 1, b.view, {b});
  CheckCommit();
}

void Node::CheckCommit() {
  if (!pending_ || !IsQuorum(Power(pending_votes_))) return;
  Block b = *pending_;
  pending_.reset();
  Append(b);
  Log("commit height=" + std::to_string(b.height) + " view=" + std::to_string(b.view) +
      " leader=" + std::to_string(b.leader) + " (as leader)");
  Send(Outgoing::kBroadcast, MsgType::kCommit, b.height, b.view, {b});
  TimePoint now = clock_->Now();
  propose_at_ = now + opt_.params.block;
  phase_deadline_ = now + opt_.params.phase_timeout;
}

void Node::OnPropose(const Message& m) {
  max_peer_height_ = std::max(max_peer_height_, m.height);
  if (mode_ != Mode::kNormal || m.blocks.size() != 1) return;
  const Block& b = m.blocks[0];
  if (m.from != Leader(view_) || b.view != view_ || b.height != height() + 1) return;
  Send(m.from, MsgType::kVote, b.height, b.view);
}

void Node::OnVote(const Message& m) {
  if (mode_ != Mode::kNormal || !pending_) return;
  if (m.height != pending_->height || m.view != pending_->view) return;
  pending_votes_.insert(m.from);
  CheckCommit();
}

void Node::OnCommit(const Message& m) {
  if (m.blocks.size() != 1) return;
  const Block& b = m.blocks[0];
  max_peer_height_ = std::max(max_peer_height_, b.height);
  if (b.height > height() + 1) {
    if (mode_ != Mode::kSyncing) {
      SetMode(Mode::kSyncing, "commit at height " + std::to_string(b.height) + " is ahead");
      BeginSync();
    }
    return;
  }
  if (b.height != height() + 1) return;
  Append(b);
  Log("commit height=" + std::to_string(b.height) + " view=" + std::to_string(b.view) +
      " leader=" + std::to_string(b.leader));
  if (mode_ == Mode::kSyncing) return;
  if (mode_ == Mode::kNormal && view_ == b.view) {
    phase_deadline_ = clock_->Now() + opt_.params.phase_timeout;
    pending_.reset();
    return;
  }
  EnterNormal(b.view, "quorum-signed commit in view " + std::to_string(b.view));
}

// ---- View change ---------------------------------------------------------------------------

void Node::StartViewChange() {
  SetMode(Mode::kViewChanging,
          "no commit for " + std::to_string(opt_.params.phase_timeout.count()) + " ms");
  pending_.reset();
  // Votes for view + 1 that reached this node while it was still Normal (its peers timed out a
  // few ms earlier) were collected before it had any view-change id: they are kept. Every later
  // move of the id forgets all votes, as the 2019 code did.
  std::set<uint32_t> early = std::move(vc_votes_[view_ + 1]);
  MoveViewChangeId(view_ + 1);
  if (early.empty()) return;
  vc_votes_[vc_id_].insert(early.begin(), early.end());
  if (Leader(vc_id_) == self()) CheckNewView(vc_id_);
}

void Node::MoveViewChangeId(uint64_t id) {
  vc_id_ = id;
  vc_votes_.clear();  // the 2019 code reset its view-change state whenever the id moved
  Duration timer = opt_.params.view_change * static_cast<int64_t>(id - view_);
  vc_deadline_ = clock_->Now() + timer;
  uint32_t leader = Leader(id);
  Log("viewchange id=" + std::to_string(id) + " view=" + std::to_string(view_) +
      " timer=" + std::to_string(timer.count()) + "ms vote to node " + std::to_string(leader));
  if (leader == self()) {
    vc_votes_[id].insert(self());
    CheckNewView(id);
  } else {
    Send(leader, MsgType::kViewChange, height(), id);
  }
}

void Node::OnViewChange(const Message& m) {
  max_peer_height_ = std::max(max_peer_height_, m.height);
  uint64_t id = m.view;
  if (Leader(id) != self() || m.height != height()) return;
  if (mode_ == Mode::kSyncing || mode_ == Mode::kListening) return;
  if (mode_ == Mode::kViewChanging && vc_id_ > id) return;  // "ViewChanging ID Is Low"
  if (mode_ == Mode::kNormal && view_ >= id) return;
  auto& votes = vc_votes_[id];
  votes.insert(m.from);
  if (mode_ == Mode::kViewChanging && vc_id_ == id) votes.insert(self());
  CheckNewView(id);
}

void Node::CheckNewView(uint64_t id) {
  const auto& votes = vc_votes_[id];
  uint64_t power = Power(votes);
  if (!IsQuorum(power)) return;
  Log("newview id=" + std::to_string(id) + " sent: " + std::to_string(votes.size()) +
      " votes, power " + std::to_string(power) + "/" + std::to_string(total_power_));
  Send(Outgoing::kBroadcast, MsgType::kNewView, height(), id);
  EnterNormal(id, "own newview");
}

void Node::OnNewView(const Message& m) {
  uint64_t id = m.view;
  if (m.from != Leader(id) || m.height != height()) return;
  bool adopt =
      (mode_ == Mode::kViewChanging && vc_id_ <= id) || (mode_ == Mode::kNormal && view_ < id);
  if (!adopt) return;
  EnterNormal(id, "newview id=" + std::to_string(id) + " from node " + std::to_string(m.from));
}

}  // namespace vsim
