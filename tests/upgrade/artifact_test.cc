// Loading and checking an upgrade artifact: local files and a real HTTP server on loopback.
#include "ops/upgrade/artifact.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <utility>
#include <vector>

#include "support/artifact_server.h"
#include "support/test_util.h"

namespace shardctl::upgrade {
namespace {

using shardctl::testing::ReadFile;
using shardctl::testing::TempDir;

const char kAccessDenied[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access "
    "Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";

/// A small ELF executable for this machine.
const std::string& HostElf() {
  static const std::string bytes = ReadFile("/bin/true");
  return bytes;
}

ArtifactFormat Host() { return HostArtifactFormat(); }

FetchOptions QuickFetch() {
  FetchOptions o;
  o.connect_timeout = Duration(5000);
  o.read_timeout = Duration(5000);
  return o;
}

class ArtifactHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.ok());
    server_.Serve("/good", HostElf());
    server_.Serve("/forbidden", kAccessDenied, 403, "application/xml");
    server_.Serve("/missing", "not here", 404, "text/plain");
    server_.Serve("/xml-200", kAccessDenied);  // 2019: 200 OK
    server_.ServeTruncated("/truncated", HostElf());
  }
  shardctl::testing::ArtifactServer server_;
};

TEST_F(ArtifactHttpTest, GoodDownloadPassesEveryCheck) {
  auto a = LoadArtifact(server_.Url("/good"), Sha256Hex(HostElf()), Host(), QuickFetch());
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->bytes, HostElf());
  EXPECT_EQ(a->sha256, Sha256Hex(HostElf()));
}

TEST_F(ArtifactHttpTest, ForbiddenAndMissingFailWithTheirStatus) {
  auto a = LoadArtifact(server_.Url("/forbidden"), Sha256Hex(kAccessDenied), Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("HTTP 403"), std::string::npos) << a.status().message();
  EXPECT_NE(a.status().message().find("AccessDenied"), std::string::npos);
  EXPECT_NE(a.status().message().find("expected 2xx"), std::string::npos);
  a = LoadArtifact(server_.Url("/missing"), Sha256Hex(HostElf()), Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("HTTP 404"), std::string::npos) << a.status().message();
}

TEST_F(ArtifactHttpTest, AccessDeniedXmlWith200IsRefusedEvenWhenItsShaWasGiven) {
  // Even an operator who pasted the error page's own hash gets no XML installed.
  auto a = LoadArtifact(server_.Url("/xml-200"), Sha256Hex(kAccessDenied), Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  const std::string& m = a.status().message();
  EXPECT_NE(m.find("HTTP 200"), std::string::npos) << m;
  EXPECT_NE(m.find("XML"), std::string::npos) << m;
  EXPECT_NE(m.find("AccessDenied"), std::string::npos) << m;
  EXPECT_NE(m.find(server_.Url("/xml-200")), std::string::npos) << m;
}

TEST_F(ArtifactHttpTest, TruncatedDownloadFails) {
  auto a = LoadArtifact(server_.Url("/truncated"), Sha256Hex(HostElf()), Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find(server_.Url("/truncated")), std::string::npos)
      << a.status().message();
}

TEST_F(ArtifactHttpTest, WrongShaSaysBothHashes) {
  std::string wrong(64, 'a');
  auto a = LoadArtifact(server_.Url("/good"), wrong, Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find(Sha256Hex(HostElf())), std::string::npos);
  EXPECT_NE(a.status().message().find("expected " + wrong), std::string::npos)
      << a.status().message();
}

TEST(ArtifactFetchTest, ConnectionRefusedFailsFast) {
  int port = shardctl::testing::FreePort();  // nothing listens there
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  auto a = LoadArtifact(url, Sha256Hex("x"), Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Status::Code::kUnreachable) << a.status().message();
  EXPECT_NE(a.status().message().find("GET failed"), std::string::npos);
}

TEST(ArtifactFileTest, LocalFileChecks) {
  TempDir dir;
  std::string good = dir.WriteFile("good", HostElf());
  auto a = LoadArtifact(good, Sha256Hex(HostElf()), Host(), QuickFetch());
  ASSERT_TRUE(a.ok()) << a.status().message();
  std::string script = dir.WriteFile("script", "#!/bin/sh\necho hi\n");
  a = LoadArtifact(script, Sha256Hex("#!/bin/sh\necho hi\n"), Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("not an ELF executable"), std::string::npos)
      << a.status().message();
  a = LoadArtifact(dir.path() + "/none", Sha256Hex(""), Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("cannot read"), std::string::npos) << a.status().message();
  a = LoadArtifact(good, "abc", Host(), QuickFetch());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("64 hex digits"), std::string::npos);
}

TEST(ArtifactFormatTest, MachineClassAndTypeAreChecked) {
  ASSERT_TRUE(Host().elf);
  EXPECT_TRUE(CheckArtifactFormat(HostElf(), Host()).ok());
  std::string other = HostElf();
  int machine = Host().elf_machine == 183 ? 62 : 183;
  other[18] = static_cast<char>(machine & 0xff);
  other[19] = static_cast<char>(machine >> 8);
  Status s = CheckArtifactFormat(other, Host());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("expected an ELF executable for " + Host().name), std::string::npos)
      << s.message();
  auto any = ParseArtifactFormat("any");
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(CheckArtifactFormat(other, *any).ok());
  EXPECT_FALSE(CheckArtifactFormat(kAccessDenied, *any).ok());  // never an error page
  std::string library = HostElf();
  library[16] = 3;  // ET_DYN with no entry point: a shared library
  for (int i = 24; i < 32; ++i) library[i] = 0;
  EXPECT_FALSE(CheckArtifactFormat(library, Host()).ok());
  EXPECT_FALSE(CheckArtifactFormat("\x7f"
                                   "ELF",
                                   Host())
                   .ok());
}

TEST(ArtifactFormatTest, ParsesKnownNamesAndRejectsOthers) {
  auto f = ParseArtifactFormat("elf-aarch64");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->elf_machine, 183);
  EXPECT_EQ(f->elf_class, 2);
  auto bad = ParseArtifactFormat("pe-x86_64");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("elf-x86_64"), std::string::npos);
}

TEST(ArtifactShaTest, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(CheckSha256Syntax(std::string(64, 'F')).ok());
  EXPECT_FALSE(CheckSha256Syntax(std::string(63, 'f')).ok());
  EXPECT_FALSE(CheckSha256Syntax(std::string(63, 'f') + "g").ok());
}

// Issue 20: a server trickling one byte at a time never trips a per-read timeout; the overall
// deadline ends the download.
TEST(ArtifactFetchTest, ATrickleEndsAtTheOverallDeadline) {
  shardctl::testing::ArtifactServer server;
  ASSERT_TRUE(server.ok());
  server.ServeTrickle("/slow", 100000, std::chrono::milliseconds(200), std::chrono::seconds(30));
  FetchOptions o = QuickFetch();
  o.deadline = Duration(1500);
  auto body = FetchUrl(server.Url("/slow"), o);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Status::Code::kTimeout) << body.status().message();
  EXPECT_NE(body.status().message().find("did not finish within 1.5s"), std::string::npos)
      << body.status().message();
}

// Issue 20: /dev/zero, a FIFO and a directory are refused by name before a byte is read.
TEST(ArtifactFileTest, OnlyRegularFilesAreReadAndRelativePathsBecomeAbsolute) {
  TempDir dir;
  std::string fifo = dir.path() + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // Should the FIFO ever be opened for a blocking read, a writer lets the test end and fail.
  std::atomic<bool> done{false};
  std::thread unblock([&] {
    if (shardctl::testing::WaitFor([&] { return done.load(); }, std::chrono::seconds(5))) return;
    int fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) close(fd);
  });
  for (const auto& [path, kind] : std::vector<std::pair<std::string, std::string>>{
           {"/dev/zero", "a character device"}, {fifo, "a FIFO"}, {dir.path(), "a directory"}}) {
    auto a = LoadArtifact(path, Sha256Hex(""), Host(), QuickFetch());
    ASSERT_FALSE(a.ok()) << path;
    EXPECT_NE(a.status().message().find(path + ": is " + kind + "; expected a regular file"),
              std::string::npos)
        << a.status().message();
  }
  done = true;
  unblock.join();
  std::string good = dir.WriteFile("good", HostElf());
  std::string relative = std::filesystem::relative(good).string();
  ASSERT_NE(relative[0], '/');
  auto a = LoadArtifact(relative, Sha256Hex(HostElf()), Host(), QuickFetch());
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->source, good) << "the journal keeps a path resume can use from anywhere";
  EXPECT_EQ(AbsoluteSource("http://x/y"), "http://x/y");
}

}  // namespace
}  // namespace shardctl::upgrade
