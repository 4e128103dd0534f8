#include "sim/runner.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sim/log.h"

namespace vsim {

using shardctl::Result;
using shardctl::Status;

namespace {

constexpr Duration kMaxPoll{100};
constexpr size_t kMaxDatagram = 65536;
constexpr Duration kFaultsCheck{200};

sockaddr_in Loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  return a;
}

}  // namespace

Runner::Runner(SimConfig config)
    : config_(std::move(config)), net_faults_(config_.net_faults_file) {}

Result<std::unique_ptr<Runner>> Runner::Create(SimConfig config) {
  std::unique_ptr<Runner> r(new Runner(std::move(config)));
  std::vector<Block> chain;
  auto store = ChainStore::Open(r->config_.data_dir, &chain);
  if (!store.ok()) return store.status();
  r->store_ = std::move(store.value());
  SHARDCTL_RETURN_IF_ERROR(r->BindUdp());
  SHARDCTL_RETURN_IF_ERROR(r->BindRpc());
  for (const PeerConfig& p : r->config_.peers) r->peer_addrs_.push_back(Loopback(p.p2p_port));
  r->start_unix_s_ = r->clock_.UnixMillis() / 1000;
  NodeOptions opt{r->config_.index, r->config_.VotingPower(), r->config_.params};
  r->node_ = std::make_unique<Node>(opt, std::move(chain), &r->clock_);
  return r;
}

Runner::~Runner() {
  Stop();
  if (udp_fd_ >= 0) close(udp_fd_);
}

Status Runner::BindUdp() {
  udp_fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (udp_fd_ < 0) return Status::Io(std::string("udp socket: ") + std::strerror(errno));
  sockaddr_in a = Loopback(config_.p2p_port);
  if (bind(udp_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    return Status::Unreachable("p2p_port " + std::to_string(config_.p2p_port) +
                               ": cannot bind UDP 127.0.0.1: " + std::strerror(errno));
  }
  return Status::Ok();
}

Status Runner::BindRpc() {
  http_ = std::make_unique<httplib::Server>();
  http_->new_task_queue = [] { return new httplib::ThreadPool(2); };
  http_->set_read_timeout(std::chrono::seconds(5));
  http_->set_write_timeout(std::chrono::seconds(5));
  http_->Post("/", [this](const httplib::Request& req, httplib::Response& res) {
    res.set_content(HandleRpc(req.body, Snapshot()).dump(), "application/json");
  });
  if (!http_->bind_to_port("127.0.0.1", config_.rpc_port)) {
    return Status::Unreachable("rpc_port " + std::to_string(config_.rpc_port) +
                               ": cannot listen on TCP 127.0.0.1 (in use?)");
  }
  return Status::Ok();
}

void Runner::Start() {
  LogLine(config_.name, "validator-sim starting: shard " + std::to_string(config_.shard_id) +
                            " index " + std::to_string(config_.index) + " of " +
                            std::to_string(config_.peers.size()) + ", p2p " +
                            std::to_string(config_.p2p_port) + ", rpc " +
                            std::to_string(config_.rpc_port) + ", data " + config_.data_dir);
  {
    std::lock_guard<std::mutex> l(mu_);
    ApplyNetFaults();
    FlushNode();
  }
  started_ = true;
  http_thread_ = std::thread([this] { http_->listen_after_bind(); });
  consensus_thread_ = std::thread([this] { ConsensusLoop(); });
  // httplib's stop() is a no-op until the server runs: wait, so an early Stop cannot hang.
  TimePoint give_up = clock_.Now() + Duration(2000);
  while (!http_->is_running() && clock_.Now() < give_up) clock_.SleepFor(Duration(1));
}

void Runner::Stop() {
  if (!started_ || stop_.exchange(true)) return;
  if (http_) http_->stop();
  if (http_thread_.joinable()) http_thread_.join();
  if (consensus_thread_.joinable()) consensus_thread_.join();
  LogLine(config_.name, "stopped at height " + std::to_string(Snapshot().state.height));
}

RpcView Runner::Snapshot() {
  std::lock_guard<std::mutex> l(mu_);
  RpcView v;
  v.version = VersionString();
  v.name = config_.name;
  v.shard_id = config_.shard_id;
  v.state = node_->State();
  if (!node_->chain().empty()) {
    v.last_block = node_->chain().back();
    if (v.last_block->leader < config_.peers.size()) {
      v.last_block_leader = config_.peers[v.last_block->leader].name;
    }
  }
  v.start_unix_s = start_unix_s_;
  return v;
}

void Runner::ConsensusLoop() {
  while (!stop_.load()) {
    Duration wait;
    {
      std::lock_guard<std::mutex> l(mu_);
      TimePoint next = node_->NextDeadline();
      if (auto due = delayed_.NextDue()) next = std::min(next, *due);
      wait = std::clamp(next - clock_.Now(), Duration(0), kMaxPoll);
    }
    pollfd p{udp_fd_, POLLIN, 0};
    poll(&p, 1, static_cast<int>(wait.count()));
    ReceiveAll();
    std::lock_guard<std::mutex> l(mu_);
    ApplyNetFaults();
    node_->Tick();
    FlushNode();
  }
}

void Runner::ReceiveAll() {
  std::vector<char> buf(kMaxDatagram);
  while (true) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    ssize_t n =
        recvfrom(udp_fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) return;  // EAGAIN: drained (or a transient error: the next poll retries)
    uint32_t shard = 0;
    auto msg = DecodeMessage(std::string(buf.data(), static_cast<size_t>(n)), &shard);
    if (!msg.ok() || shard != config_.shard_id || msg->from >= peer_addrs_.size() ||
        peer_addrs_[msg->from].sin_port != from.sin_port) {
      continue;  // not from a peer of this shard
    }
    std::lock_guard<std::mutex> l(mu_);
    if (net_faults_.current().Blocks(config_.peers[msg->from].name)) continue;  // partitioned
    node_->Receive(*msg);
    FlushNode();
  }
}

void Runner::FlushNode() {
  for (const Outgoing& o : node_->TakeOutbox()) {
    std::string data = EncodeMessage(o.msg, config_.shard_id);
    for (uint32_t to = 0; to < peer_addrs_.size(); ++to) {
      if (to == config_.index || (o.to != Outgoing::kBroadcast && o.to != to)) continue;
      SendTo(to, data);
    }
  }
  Status st = store_->Append(node_->TakeNewBlocks());
  if (!st.ok()) LogLine(config_.name, "ERROR " + st.message());
  for (const std::string& line : node_->TakeLog()) LogLine(config_.name, line);
}

void Runner::SendNow(uint32_t to, const std::string& data) {
  sendto(udp_fd_, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&peer_addrs_[to]),
         sizeof(sockaddr_in));
}

void Runner::SendTo(uint32_t to, const std::string& data) {
  const NetFaults& faults = net_faults_.current();
  if (faults.Blocks(config_.peers[to].name)) return;
  if (faults.delay.count() > 0) {
    delayed_.Push({clock_.Now() + faults.delay, to, data});
    return;
  }
  SendNow(to, data);
}

void Runner::ApplyNetFaults() {
  TimePoint now = clock_.Now();
  if (now >= next_faults_check_) {
    next_faults_check_ = now + kFaultsCheck;
    if (auto line = net_faults_.Refresh()) LogLine(config_.name, *line);
  }
  for (const DelayQueue::Item& item : delayed_.PopDue(now)) {
    if (!net_faults_.current().Blocks(config_.peers[item.to].name)) SendNow(item.to, item.data);
  }
}

}  // namespace vsim
