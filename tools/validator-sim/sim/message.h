// Messages between the nodes of one shard, and their wire form (one JSON object per datagram).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "sim/block.h"

namespace vsim {

enum class MsgType {
  kPropose,     ///< leader -> all: blocks[0] is the proposal.
  kVote,        ///< validator -> leader: votes for (height, view).
  kCommit,      ///< leader -> all: blocks[0] got a quorum of votes.
  kViewChange,  ///< node -> leader of `view`: "make `view` the next view"; height = sender's.
  kNewView,     ///< leader of `view` -> all: a quorum agreed on `view`; height = sender's.
  kHeightReq,   ///< syncing node -> all: what is your height?
  kHeightResp,  ///< -> syncing node: height = responder's height.
  kBlocksReq,   ///< syncing node -> one peer: send blocks from `height` on.
  kBlocksResp,  ///< -> syncing node: consecutive blocks.
};

/// Short, stable name used on the wire and in logs ("propose", "viewchange", ...).
const char* MsgTypeName(MsgType t);

struct Message {
  MsgType type = MsgType::kHeightReq;
  uint32_t from = 0;    ///< Sender's index in the shard.
  uint64_t height = 0;  ///< Meaning depends on type, see MsgType.
  uint64_t view = 0;    ///< Block view (vote) or view-change id (viewchange, newview).
  std::vector<Block> blocks;
};

/// Wire form: compact JSON carrying the shard id so nodes of other shards are told apart.
std::string EncodeMessage(const Message& m, uint32_t shard_id);

/// Parses a datagram; *shard_id receives the sender's shard. Errors say what was malformed.
shardctl::Result<Message> DecodeMessage(const std::string& data, uint32_t* shard_id);

}  // namespace vsim
