// Issue 20, two operators on one shard: the lease must name the validator, not one inventory's
// view of it. The shipped playbooks key it by the node's directory; `validate` warns otherwise.
#include "model/lease_identity.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_util.h"

namespace shardctl {
namespace {

std::string LeaseWarningsOf(const Playbook& pb) {
  std::string out;
  for (const std::string& w : LeaseIdentityWarnings(pb)) out += w + "\n";
  return out;
}

TEST(LeaseIdentityTest, ShippedPlaybooksKeyTheLeaseByWhatEveryOperatorAgreesOn) {
  for (const char* name : {"harmony-recover", "etcd", "sandbox"}) {
    auto pb = LoadPlaybook(testing::ShippedPlaybook(name));
    ASSERT_TRUE(pb.ok()) << pb.status().message();
    EXPECT_EQ(LeaseWarningsOf(*pb), "") << name;
    EXPECT_EQ(pb->lease.path.find("{{network}}"), std::string::npos) << name;
    EXPECT_EQ(pb->lease.path.find("{{node."), std::string::npos) << name;
  }
}

TEST(LeaseIdentityTest, InventoryChosenNamesAndTheLoginsHomeAreWarnedAbout) {
  nlohmann::json j = {{"name", "p"},
                      {"commands",
                       {{"stop", "{{dir}}/ctl stop"},
                        {"start", "{{dir}}/ctl start"},
                        {"is_running", "{{dir}}/ctl status"},
                        {"probe", "{{dir}}/ctl probe"}}},
                      {"probe", {{"height", "/h"}, {"mode", "/m"}}}};
  Playbook pb = ParsePlaybook(j, "p.json").value();  // the default lease path
  std::string w = LeaseWarningsOf(pb);
  EXPECT_NE(w.find("p.json:/lease/path: \"~/.shardctl/lease-{{network}}-{{node.name}}\" depends "
                   "on {{network}}, a name the inventory chooses"),
            std::string::npos)
      << w;
  EXPECT_NE(w.find("depends on {{node.name}}"), std::string::npos) << w;
  EXPECT_NE(w.find("relative to the SSH login's home"), std::string::npos) << w;
  EXPECT_NE(w.find("\"{{dir}}/shardctl.lease\""), std::string::npos) << "says the fix: " << w;
  pb.lease.path = "{{dir}}/lease-{{shard.id}}-{{label}}";
  w = LeaseWarningsOf(pb);
  EXPECT_NE(w.find("depends on {{shard.id}}"), std::string::npos) << w;
  EXPECT_NE(w.find("depends on {{label}}, which no command of the playbook uses"),
            std::string::npos)
      << w;
  pb.lease.path = "{{dir}}/shardctl.lease";
  EXPECT_EQ(LeaseWarningsOf(pb), "");
  pb.lease.path = "/var/lib/validator/shardctl.lease";
  EXPECT_EQ(LeaseWarningsOf(pb), "");
}

}  // namespace
}  // namespace shardctl
