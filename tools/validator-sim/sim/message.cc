#include "sim/message.h"

#include <array>
#include <nlohmann/json.hpp>

namespace vsim {
namespace {

constexpr std::array<const char*, 9> kNames = {"propose",     "vote",       "commit",
                                               "viewchange",  "newview",    "height_req",
                                               "height_resp", "blocks_req", "blocks_resp"};

}  // namespace

const char* MsgTypeName(MsgType t) { return kNames[static_cast<size_t>(t)]; }

std::string EncodeMessage(const Message& m, uint32_t shard_id) {
  nlohmann::json blocks = nlohmann::json::array();
  for (const Block& b : m.blocks) blocks.push_back({b.height, b.view, b.leader, b.unix_ms});
  nlohmann::json j = {
      {"t", MsgTypeName(m.type)}, {"s", shard_id}, {"f", m.from}, {"h", m.height}, {"v", m.view},
      {"b", std::move(blocks)}};
  return j.dump();
}

shardctl::Result<Message> DecodeMessage(const std::string& data, uint32_t* shard_id) {
  nlohmann::json j = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return shardctl::Status::Invalid("not a JSON object");
  auto get_uint = [&j](const char* key, uint64_t* out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned()) return false;
    *out = it->get<uint64_t>();
    return true;
  };
  Message m;
  uint64_t shard = 0, from = 0;
  if (!get_uint("s", &shard) || !get_uint("f", &from) || !get_uint("h", &m.height) ||
      !get_uint("v", &m.view)) {
    return shardctl::Status::Invalid("missing or non-integer field s/f/h/v");
  }
  auto t = j.find("t");
  if (t == j.end() || !t->is_string()) return shardctl::Status::Invalid("missing type t");
  size_t i = 0;
  while (i < kNames.size() && t->get<std::string>() != kNames[i]) ++i;
  if (i == kNames.size()) return shardctl::Status::Invalid("unknown type " + t->dump());
  m.type = static_cast<MsgType>(i);
  m.from = static_cast<uint32_t>(from);
  *shard_id = static_cast<uint32_t>(shard);
  auto b = j.find("b");
  if (b == j.end() || !b->is_array()) return shardctl::Status::Invalid("missing block list b");
  for (const auto& e : *b) {
    if (!e.is_array() || e.size() != 4 || !e[0].is_number_unsigned() ||
        !e[1].is_number_unsigned() || !e[2].is_number_unsigned() || !e[3].is_number_integer()) {
      return shardctl::Status::Invalid("block is not [height, view, leader, unix_ms]");
    }
    m.blocks.push_back(Block{e[0].get<uint64_t>(), e[1].get<uint64_t>(), e[2].get<uint32_t>(),
                             e[3].get<int64_t>()});
  }
  return m;
}

}  // namespace vsim
