// The real driver of one node: UDP on 127.0.0.1:p2p_port to the peers, the wall clock, the chain
// on disk, and the HTTP JSON-RPC server on 127.0.0.1:rpc_port. One thread runs consensus (poll on
// the socket until the node's next deadline), httplib runs the RPC threads; a mutex guards the
// Node.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "sim/chain_store.h"
#include "sim/config.h"
#include "sim/net_faults.h"
#include "sim/node.h"
#include "sim/rpc.h"

namespace httplib {
class Server;
}

namespace vsim {

class Runner {
 public:
  /// Opens the data dir (locked), binds both ports. Errors name the port or path at fault.
  static shardctl::Result<std::unique_ptr<Runner>> Create(SimConfig config);
  ~Runner();  ///< Stops if still running.
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  /// Starts the consensus and RPC threads.
  void Start();
  /// Stops both and joins them; safe to call twice. Blocks committed so far are on disk.
  void Stop();
  /// A consistent copy of what RPC reports. Thread-safe.
  RpcView Snapshot();

 private:
  explicit Runner(SimConfig config);
  shardctl::Status BindUdp();
  shardctl::Status BindRpc();
  void ConsensusLoop();
  void ReceiveAll();
  /// Sends the node's outbox, persists its new blocks, prints its log. Requires mu_ held.
  void FlushNode();
  void SendNow(uint32_t to, const std::string& data);
  /// Sends data to peer `to` now, or queues it when a delay fault is in force. Requires mu_.
  void SendTo(uint32_t to, const std::string& data);
  /// Re-reads the net-faults file (at most every kFaultsCheck) and sends delayed datagrams that
  /// are due. Requires mu_ held.
  void ApplyNetFaults();

  SimConfig config_;
  shardctl::RealClock clock_;
  std::unique_ptr<ChainStore> store_;
  std::mutex mu_;
  std::unique_ptr<Node> node_;   // guarded by mu_
  NetFaultsFile net_faults_;     // guarded by mu_
  DelayQueue delayed_;           // guarded by mu_
  TimePoint next_faults_check_;  // guarded by mu_
  int udp_fd_ = -1;
  std::vector<sockaddr_in> peer_addrs_;
  std::unique_ptr<httplib::Server> http_;
  int64_t start_unix_s_ = 0;
  bool started_ = false;
  std::atomic<bool> stop_{false};
  std::thread consensus_thread_;
  std::thread http_thread_;
};

}  // namespace vsim
