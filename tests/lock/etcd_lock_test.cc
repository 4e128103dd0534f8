// The etcd lock against a real etcd (Debian's etcd-server) on free loopback ports: two holders,
// expiry and takeover, keepalive, release, break, and loss when etcd dies.
#include "lock/etcd_lock.h"

#include <gtest/gtest.h>

#include <atomic>

#include "lock/lease_keeper.h"
#include "support/local_etcd.h"

namespace shardctl {
namespace {

using namespace std::chrono_literals;
using testing::LocalEtcd;
using testing::WaitFor;

EtcdLockConfig Config(const LocalEtcd& etcd, int ttl_s = 30) {
  EtcdLockConfig c;
  c.endpoints = {etcd.endpoint()};
  c.prefix = "/shardctl-test/lock/";
  c.ttl_s = ttl_s;
  return c;
}

LeaseHolder EtcdHolder(const std::string& id) {
  return {id, id == "run-a" ? "alice@ops-1" : "bob@ops-2", "shardctl recover", 1764134400, 0};
}

TEST(EtcdLock, SecondHolderIsRefusedUntilRelease) {
  LocalEtcd etcd;
  ASSERT_TRUE(etcd.ok()) << etcd.error();
  EtcdLock a(EtcdClient(Config(etcd)), "testnet", EtcdHolder("run-a"));
  EtcdLock b(EtcdClient(Config(etcd)), "testnet", EtcdHolder("run-b"));
  EtcdLock other_net(EtcdClient(Config(etcd)), "mainnet", EtcdHolder("run-b"));
  ASSERT_TRUE(a.Acquire().ok());
  Status refused = b.Acquire();
  ASSERT_EQ(refused.code(), Status::Code::kFailed);
  EXPECT_EQ(refused.message(),
            "etcd key /shardctl-test/lock/testnet is held by run run-a (alice@ops-1, 'shardctl "
            "recover', since 2025-11-26 05:20:00 UTC)");
  EXPECT_TRUE(other_net.Acquire().ok()) << "one key per network";
  EtcdClient client(Config(etcd));
  auto holders = ReadEtcdHolders(client);
  ASSERT_TRUE(holders.ok()) << holders.status().message();
  ASSERT_EQ(holders->size(), 2u);
  EXPECT_EQ((*holders)[1].holder.run_id, "run-a");
  EXPECT_TRUE(a.Renew().ok());
  EXPECT_TRUE(a.Release().ok());
  EXPECT_TRUE(a.Release().ok());
  EXPECT_TRUE(b.Acquire().ok());
  EXPECT_TRUE(b.Release().ok());
  EXPECT_TRUE(other_net.Release().ok());
}

TEST(EtcdLock, KeepaliveHoldsPastTheTtlAndExpiryLetsTheNextIn) {
  LocalEtcd etcd;
  ASSERT_TRUE(etcd.ok()) << etcd.error();
  EtcdLock a(EtcdClient(Config(etcd, 2)), "testnet", EtcdHolder("run-a"));
  EtcdLock b(EtcdClient(Config(etcd, 2)), "testnet", EtcdHolder("run-b"));
  ASSERT_TRUE(a.Acquire().ok());
  RealClock clock;
  std::atomic<int> renewals{0};
  LeaseKeeper keeper(
      clock, 500ms, 1500ms,
      [&] {
        Status st = a.Renew();
        if (st.ok()) ++renewals;
        return st;
      },
      nullptr);
  keeper.Start();
  ASSERT_TRUE(WaitFor([&] { return renewals.load() >= 7; }, 20s)) << "3.5 s: past the 2 s TTL";
  EXPECT_EQ(b.Acquire().code(), Status::Code::kFailed);
  keeper.Stop();  // as if the holder were killed: no more keepalives
  EXPECT_TRUE(WaitFor([&] { return b.Acquire().ok(); }, 15s, 200ms));
  EXPECT_EQ(a.Renew().code(), Status::Code::kFailed) << "the expired lease is gone";
  EXPECT_TRUE(b.Release().ok());
}

TEST(EtcdLock, BreakRevokesTheHoldersLease) {
  LocalEtcd etcd;
  ASSERT_TRUE(etcd.ok()) << etcd.error();
  EtcdLock a(EtcdClient(Config(etcd)), "testnet", EtcdHolder("run-a"));
  EtcdLock b(EtcdClient(Config(etcd)), "testnet", EtcdHolder("run-b"));
  ASSERT_TRUE(a.Acquire().ok());
  EtcdClient client(Config(etcd));
  EXPECT_EQ(BreakEtcdLock(client, "run-zzz").status().code(), Status::Code::kNotFound);
  auto broke = BreakEtcdLock(client, "run-a");
  ASSERT_TRUE(broke.ok()) << broke.status().message();
  EXPECT_EQ(broke->key, "/shardctl-test/lock/testnet");
  Status lost = a.Renew();
  EXPECT_EQ(lost.code(), Status::Code::kFailed);
  EXPECT_TRUE(b.Acquire().ok());
}

TEST(EtcdLock, KilledEtcdLosesTheLease) {
  LocalEtcd etcd;
  ASSERT_TRUE(etcd.ok()) << etcd.error();
  EtcdLock a(EtcdClient(Config(etcd, 3)), "testnet", EtcdHolder("run-a"));
  ASSERT_TRUE(a.Acquire().ok());
  RealClock clock;
  std::atomic<bool> told{false};
  std::string why;
  LeaseKeeper keeper(
      clock, 200ms, 1500ms, [&] { return a.Renew(); },
      [&](const std::string& w) {
        why = w;
        told = true;
      });
  keeper.Start();
  etcd.Kill();
  ASSERT_TRUE(WaitFor([&] { return told.load(); }, 20s));
  EXPECT_TRUE(keeper.lost());
  EXPECT_NE(why.find("no renewal succeeded"), std::string::npos) << why;
  EXPECT_NE(why.find(etcd.endpoint()), std::string::npos) << why;
}

// A CA and a server certificate for 127.0.0.1 made with the openssl command; "" on success.
std::string MakeCertificates(const std::string& dir) {
  std::string out;
  for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
           {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/ca.key",
            "-out", dir + "/ca.pem", "-days", "2", "-subj", "/CN=shardctl-test-ca"},
           {"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/srv.key", "-out",
            dir + "/srv.csr", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"},
           {"openssl", "x509", "-req", "-in", dir + "/srv.csr", "-CA", dir + "/ca.pem", "-CAkey",
            dir + "/ca.key", "-CAcreateserial", "-out", dir + "/srv.pem", "-days", "2",
            "-copy_extensions", "copy"}}) {
    if (testing::RunCommand(argv, &out) != 0) return out;
  }
  return "";
}

TEST(EtcdLock, TlsVerifiesTheServerAgainstTheConfiguredCa) {
  testing::TempDir dir;
  std::string failed = MakeCertificates(dir.path());
  ASSERT_EQ(failed, "");
  LocalEtcd etcd(dir.path() + "/srv.pem", dir.path() + "/srv.key");
  ASSERT_TRUE(etcd.ok()) << etcd.error();
  EtcdLockConfig c = Config(etcd);
  c.ca_file = dir.path() + "/ca.pem";
  EtcdLock a(EtcdClient(c), "testnet", EtcdHolder("run-a"));
  ASSERT_TRUE(a.Acquire().ok());
  EtcdLock b(EtcdClient(c), "testnet", EtcdHolder("run-b"));
  EXPECT_EQ(b.Acquire().code(), Status::Code::kFailed);
  c.ca_file = dir.path() + "/srv.pem";  // not the CA that signed it
  EtcdLock untrusting(EtcdClient(c), "testnet", EtcdHolder("run-b"));
  Status st = untrusting.Acquire();
  EXPECT_EQ(st.code(), Status::Code::kUnreachable);
  EXPECT_NE(st.message().find("SSLServerVerification"), std::string::npos) << st.message();
  EXPECT_TRUE(a.Release().ok());
}

TEST(EtcdLock, UnreachableEtcdIsAnErrorNotAHang) {
  EtcdLockConfig c;
  c.endpoints = {"http://127.0.0.1:" + std::to_string(testing::FreePort())};
  EtcdLock a(EtcdClient(c, 1000ms), "testnet", EtcdHolder("run-a"));
  Status st = a.Acquire();
  EXPECT_EQ(st.code(), Status::Code::kUnreachable);
  EXPECT_NE(st.message().find(c.endpoints[0]), std::string::npos) << st.message();
}

}  // namespace
}  // namespace shardctl
