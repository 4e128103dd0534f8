// `shardctl upgrade` end to end, case (a) of the issue: every bad input is refused (exit 2, a
// message saying what failed and what was expected) before any node is touched, on a 4 x 5
// sandbox whose nodes' node-unix-start-time must not change. Artifacts are served over loopback
// HTTP by the test itself.
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "ops/upgrade/artifact.h"
#include "support/artifact_server.h"
#include "support/sandbox_fixture.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;
using upgrade::Sha256Hex;

const char kAccessDenied[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access "
    "Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";

std::map<std::string, int64_t> RefusalStartTimes(const Sandbox& sb) {
  std::map<std::string, int64_t> out;
  for (const SandboxNode& n : sb.nodes()) {
    auto meta = sb.Metadata(n.name);
    out[n.name] = meta && (*meta)["node-unix-start-time"].is_number()
                      ? (*meta)["node-unix-start-time"].get<int64_t>()
                      : -1;
  }
  return out;
}

/// sandbox.json with `edit` applied, written to dir/name.
std::string PlaybookVariant(const TempDir& dir, const std::string& name,
                            const std::function<void(json&)>& edit) {
  json pb = json::parse(ReadFile(SourceDir() + "/playbooks/sandbox.json"));
  edit(pb);
  return dir.WriteFile(name, pb.dump(2));
}

/// A window that opens on a day three days from today (UTC) for one minute: closed now.
json RefusalClosedWindow() {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  time_t now = time(nullptr);
  tm utc{};
  gmtime_r(&now, &utc);
  return {{"days", {kDays[(utc.tm_wday + 3) % 7]}},
          {"start", "00:00"},
          {"end", "00:01"},
          {"time_zone", "UTC"}};
}

struct Case {
  std::string name;
  std::vector<std::string> args;  // after -i INV
  std::string expected;           // in stderr
};

class UpgradeSandboxTest : public SandboxTest {};

TEST_F(UpgradeSandboxTest, BadInputsAreRefusedBeforeAnyNodeIsTouched) {
  SandboxOptions options;
  options.shards = 4;
  options.nodes = 5;
  ASSERT_NO_FATAL_FAILURE(Up(options));
  TempDir tmp;
  std::string v2 = tmp.path() + "/v2";
  std::string err;
  ASSERT_EQ(sb_.Run("release", {"--version", "v2", "--out", v2}, &err), 0) << err;
  std::string v2_bytes = ReadFile(v2);
  std::string v2_sha = Sha256Hex(v2_bytes);
  ArtifactServer http;
  ASSERT_TRUE(http.ok());
  http.Serve("/v2", v2_bytes);
  http.Serve("/denied", kAccessDenied);  // the 2019 file: 200 OK
  http.Serve("/forbidden", kAccessDenied, 403, "application/xml");
  http.Serve("/missing", "Not Found", 404, "text/plain");
  http.ServeTruncated("/truncated", v2_bytes);
  std::string script = tmp.WriteFile("script.sh", "#!/bin/sh\necho v2\n");
  std::string pb = SourceDir() + "/playbooks/sandbox.json";
  std::string pb_arm = PlaybookVariant(tmp, "arm.json", [](json& j) {
    j["upgrade"]["format"] =
        upgrade::HostArtifactFormat().name == "elf-aarch64" ? "elf-x86_64" : "elf-aarch64";
  });
  std::string pb_closed =
      PlaybookVariant(tmp, "closed.json", [](json& j) { j["window"] = RefusalClosedWindow(); });
  std::string wrong_sha(64, 'e');
  const std::vector<Case> cases = {
      {"wrong sha256",
       {"-p", pb, "--artifact", http.Url("/v2"), "--sha256", wrong_sha},
       "expected " + wrong_sha},
      {"AccessDenied XML with 200",
       {"-p", pb, "--artifact", http.Url("/denied"), "--sha256", Sha256Hex(kAccessDenied)},
       "AccessDenied"},
      {"HTTP 403",
       {"-p", pb, "--artifact", http.Url("/forbidden"), "--sha256", v2_sha},
       "HTTP 403"},
      {"HTTP 404", {"-p", pb, "--artifact", http.Url("/missing"), "--sha256", v2_sha}, "HTTP 404"},
      {"truncated",
       {"-p", pb, "--artifact", http.Url("/truncated"), "--sha256", v2_sha},
       http.Url("/truncated")},
      {"not executable",
       {"-p", pb, "--artifact", script, "--sha256", Sha256Hex(ReadFile(script))},
       "not an ELF executable"},
      {"missing --sha256", {"-p", pb, "--artifact", http.Url("/v2")}, "--sha256 is required"},
      {"other machine",
       {"-p", pb_arm, "--artifact", v2, "--sha256", v2_sha},
       "expected an ELF executable for elf-"},
      {"outside the window",
       {"-p", pb_closed, "--artifact", v2, "--sha256", v2_sha},
       "--override-window"},
  };
  auto before = RefusalStartTimes(sb_);
  for (const Case& c : cases) {
    std::vector<std::string> args = {"upgrade", "-i",          sb_.inventory_path(),
                                     "--yes",   "--state-dir", tmp.path() + "/state"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    std::string err_file = tmp.path() + "/err-" + std::to_string(&c - cases.data());
    std::string out;
    EXPECT_EQ(Shardctl(args, err_file, &out, 60), 2) << c.name << ": " << ReadFile(err_file);
    std::string stderr_text = ReadFile(err_file);
    EXPECT_NE(stderr_text.find(c.expected), std::string::npos) << c.name << ": " << stderr_text;
    EXPECT_NE(stderr_text.find("Nothing was touched"), std::string::npos) << c.name;
  }
  // The same checks pass a good release (so each refusal above was about its input).
  std::string out;
  EXPECT_EQ(Shardctl({"upgrade", "-i", sb_.inventory_path(), "-p", pb, "--artifact",
                      http.Url("/v2"), "--sha256", v2_sha, "--dry-run"},
                     tmp.path() + "/err-good", &out, 60),
            0)
      << ReadFile(tmp.path() + "/err-good");
  EXPECT_NE(out.find("sha256 " + v2_sha), std::string::npos) << out;
  EXPECT_EQ(RefusalStartTimes(sb_), before);
  for (const auto& [name, t] : before) EXPECT_GT(t, 0) << name << " did not answer";
}

}  // namespace
}  // namespace shardctl::testing
