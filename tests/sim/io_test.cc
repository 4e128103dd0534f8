// The simulator's edges: wire codec, chain store, config parsing, RPC answers.
#include <gtest/gtest.h>

#include <fstream>

#include "sim/chain_store.h"
#include "sim/config.h"
#include "sim/message.h"
#include "sim/rpc.h"
#include "support/test_util.h"

namespace vsim {
namespace {

using shardctl::testing::TempDir;

TEST(Codec, RoundTripsEveryField) {
  Message m{MsgType::kBlocksResp, 3, 42, 7, {Block{41, 6, 1, 1700000000123}, Block{42, 7, 2, 5}}};
  uint32_t shard = 0;
  auto back = DecodeMessage(EncodeMessage(m, 9), &shard);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(shard, 9u);
  EXPECT_EQ(back->type, MsgType::kBlocksResp);
  EXPECT_EQ(back->from, 3u);
  EXPECT_EQ(back->height, 42u);
  EXPECT_EQ(back->view, 7u);
  EXPECT_EQ(back->blocks, m.blocks);
}

TEST(Codec, RejectsGarbage) {
  uint32_t shard = 0;
  EXPECT_FALSE(DecodeMessage("not json", &shard).ok());
  EXPECT_FALSE(DecodeMessage(R"({"t":"vote","s":0,"f":1,"h":1})", &shard).ok());
  EXPECT_FALSE(DecodeMessage(R"({"t":"bogus","s":0,"f":1,"h":1,"v":1,"b":[]})", &shard).ok());
  EXPECT_FALSE(DecodeMessage(R"({"t":"vote","s":0,"f":1,"h":1,"v":1,"b":[[1,2]]})", &shard).ok());
}

TEST(ChainStore, PersistsAcrossReopenAndDropsATornTail) {
  TempDir tmp;
  std::string dir = tmp.path() + "/data";
  {
    std::vector<Block> chain;
    auto store = ChainStore::Open(dir, &chain);
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_TRUE(chain.empty());
    ASSERT_TRUE((*store)->Append({Block{1, 0, 0, 10}, Block{2, 0, 0, 20}}).ok());
    std::vector<Block> other;
    EXPECT_FALSE(ChainStore::Open(dir, &other).ok()) << "the dir is locked while open";
  }
  std::ofstream(dir + "/chain.log", std::ios::app) << "3 1 1";  // crash mid-line
  auto read = ChainStore::Read(dir);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->size(), 2u);
  std::vector<Block> chain;
  auto store = ChainStore::Open(dir, &chain);
  ASSERT_TRUE(store.ok());
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[1], (Block{2, 0, 0, 20}));
  ASSERT_TRUE((*store)->Append({Block{3, 1, 1, 30}}).ok());
  EXPECT_EQ(ChainStore::Read(dir)->size(), 3u);
}

TEST(ChainStore, ErrorsNameTheProblem) {
  TempDir tmp;
  auto missing = ChainStore::Read(tmp.path() + "/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  tmp.WriteFile("d/chain.log", "1 0 0 5\n3 0 0 6\n");
  auto gap = ChainStore::Read(tmp.path() + "/d");
  ASSERT_FALSE(gap.ok());
  EXPECT_NE(gap.status().message().find("chain.log:2: expected height 2"), std::string::npos)
      << gap.status().message();
}

const char kConfig[] = R"({"name": "s0-n1", "shard_id": 0, "index": 1, "data_dir": "/tmp/x",
  "rpc_port": 9501, "p2p_port": 19001,
  "peers": [{"index": 1, "name": "s0-n1", "p2p_port": 19001, "voting_power": 2},
            {"index": 0, "name": "s0-n0", "p2p_port": 19000}],
  "block_ms": 100})";

TEST(Config, ParsesAndDefaults) {
  auto c = ParseConfig(kConfig, "n1.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->peers.size(), 2u);
  EXPECT_EQ(c->peers[0].name, "s0-n0");
  EXPECT_EQ(c->VotingPower(), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(c->params.block, Duration(100));
  EXPECT_EQ(c->params.phase_timeout, Duration(1000));
  EXPECT_EQ(c->params.view_change, Duration(1000));
}

TEST(Config, ErrorsNameTheKey) {
  auto expect_error = [](std::string text, const std::string& from, const std::string& to,
                         const std::string& needle) {
    text.replace(text.find(from), from.size(), to);
    auto c = ParseConfig(text, "n1.json");
    ASSERT_FALSE(c.ok()) << to;
    EXPECT_NE(c.status().message().find(needle), std::string::npos) << c.status().message();
    EXPECT_NE(c.status().message().find("n1.json"), std::string::npos);
  };
  std::string base = kConfig;
  expect_error(base, "\"block_ms\"", "\"blok_ms\"", "blok_ms: expected a known key");
  expect_error(base, "\"rpc_port\": 9501", "\"rpc_port\": \"x\"", "rpc_port: expected an integer");
  expect_error(base, "\"voting_power\": 2", "\"voting_power\": 0", "peers[0].voting_power");
  expect_error(base, "\"index\": 0,", "\"index\": 5,", "peers: expected indices 0..1");
  expect_error(base, "\"p2p_port\": 19001,", "\"p2p_port\": 19002,", "p2p_port: 19002 differs");
  expect_error(base, "{\"name\"", "[{\"name\"", "not valid JSON");
  EXPECT_FALSE(LoadConfig("/nonexistent/n1.json").ok());
}

RpcView SampleView() {
  RpcView v;
  v.version = VersionString();
  v.shard_id = 2;
  v.state.mode = Mode::kViewChanging;
  v.state.view = 4;
  v.state.view_change_id = 6;
  v.state.height = 12;
  v.state.max_peer_height = 12;
  v.state.phase = "Announce";
  v.last_block = Block{12, 4, 4, 1700000000999};
  v.last_block_leader = "s2-n4";
  v.start_unix_s = 1700000000;
  return v;
}

nlohmann::json Call(const std::string& method) {
  return HandleRpc(R"({"jsonrpc":"2.0","method":")" + method + R"(","params":[],"id":7})",
                   SampleView());
}

TEST(Rpc, AnswersHarmonyMethods) {
  EXPECT_EQ(Call("hmyv2_blockNumber")["result"], 12);
  EXPECT_EQ(Call("hmyv2_blockNumber")["id"], 7);
  auto meta = Call("hmyv2_getNodeMetadata")["result"];
  EXPECT_EQ(meta["shard-id"], 2);
  EXPECT_EQ(meta["role"], "validator");
  EXPECT_EQ(meta["current-block-number"], 12);
  EXPECT_EQ(meta["consensus"]["mode"], "ViewChanging");
  EXPECT_EQ(meta["consensus"]["viewId"], 4);
  EXPECT_EQ(meta["consensus"]["viewChangeId"], 6);
  EXPECT_TRUE(meta.contains("is-leader") && meta.contains("node-unix-start-time"));
  auto header = Call("hmyv2_latestHeader")["result"];
  EXPECT_EQ(header["blockNumber"], 12);
  EXPECT_EQ(header["viewID"], 4);
  EXPECT_EQ(header["leader"], "s2-n4");
  EXPECT_EQ(header["unixtime"], 1700000000);
  EXPECT_EQ(header["timestamp"], "2023-11-14 22:13:20 +0000 UTC");
  EXPECT_EQ(Call("hmyv2_inSync")["result"], true);
}

TEST(Rpc, ErrorsFollowJsonRpc) {
  EXPECT_EQ(Call("eth_chainId")["error"]["code"], -32601);
  EXPECT_EQ(HandleRpc("{not json", SampleView())["error"]["code"], -32700);
  EXPECT_EQ(HandleRpc("[1,2]", SampleView())["error"]["code"], -32600);
}

}  // namespace
}  // namespace vsim
