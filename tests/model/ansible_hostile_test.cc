// Issue 20, the Ansible importer and exporter against hostile input: group cycles, YAML alias
// fan-out, range bombs, repeated hosts and keys, bytes that are not UTF-8, secrets, proxies that
// are never run, and values that must survive export and import unchanged (or be refused).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "model/ansible_inventory.h"

namespace shardctl {
namespace {

using nlohmann::json;

std::string HostileError(const Result<AnsibleTree>& tree) {
  return tree.ok() ? "(parsed)" : tree.status().message();
}

TEST(AnsibleHostileTest, GroupCyclesAreErrorsNamingTheCycle) {
  auto self = ParseAnsibleIni("[a:children]\na\n[a]\nh1\n", "c.ini");
  ASSERT_FALSE(self.ok());
  EXPECT_NE(HostileError(self).find("c.ini: group cycle: a -> a"), std::string::npos)
      << HostileError(self);
  auto mutual = ParseAnsibleIni("[a:children]\nb\n[b:children]\na\n[shard0]\nh1\n", "m.ini");
  ASSERT_FALSE(mutual.ok());
  EXPECT_NE(HostileError(mutual).find("group cycle: "), std::string::npos) << HostileError(mutual);
  EXPECT_NE(HostileError(mutual).find("a -> b"), std::string::npos) << HostileError(mutual);
  auto yaml =
      ParseAnsibleYaml("all:\n  children:\n    a: &a\n      children:\n        b: *a\n", "c.yml");
  EXPECT_FALSE(yaml.ok());
}

// Nine levels of ten aliases stand for 10^9 groups: refused at the entry cap.
TEST(AnsibleHostileTest, YamlAliasFanOutStopsAtTheEntryCap) {
  std::string text = "x0: &x0 {hosts: {h: {v: 1}}}\n";
  for (int level = 1; level <= 9; ++level) {
    std::string prev = "*x" + std::to_string(level - 1);
    text += "x" + std::to_string(level) + ": &x" + std::to_string(level) + "\n  children:\n";
    for (int i = 0; i < 10; ++i) {
      text += "    g" + std::to_string(level) + "_" + std::to_string(i) + ": " + prev + "\n";
    }
  }
  auto tree = ParseAnsibleYaml(text, "bomb.yml");
  ASSERT_FALSE(tree.ok());
  EXPECT_NE(HostileError(tree).find("in all"), std::string::npos) << HostileError(tree);
  EXPECT_NE(HostileError(tree).find("bomb.yml:"), std::string::npos) << HostileError(tree);
}

TEST(AnsibleHostileTest, HostRangesAreCountedBeforeTheyExpand) {
  // 50 ranges of 100,001 names in a 1 KB file, and one range past the host cap.
  std::string bomb = "[shard0]\n";
  for (int i = 0; i < 50; ++i) bomb += "x" + std::to_string(i) + "[0:100000]\n";
  auto tree = ParseAnsibleIni(bomb, "r.ini");
  ASSERT_FALSE(tree.ok());
  EXPECT_NE(HostileError(tree).find("r.ini:2: more than 2000 hosts"), std::string::npos)
      << HostileError(tree);
  auto big = ParseAnsibleIni("[shard0]\nn[1:40000]\n", "big.ini");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(HostileError(big).find("hosts (ranges expanded) in all"), std::string::npos)
      << HostileError(big);
  // The cap itself imports: membership is checked per host, never by scanning the group.
  auto cap = ParseAnsibleIni("[shard0]\nn[0001:2000]\n", "cap.ini");
  ASSERT_TRUE(cap.ok()) << HostileError(cap);
  auto imported = ImportAnsible(*cap, {}, "cap.ini");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->inventory["shards"][0]["nodes"].size(), 2000u);
  // Host vars count per host, so a long var list times a range is capped too.
  std::string wide = "[shard0]\nn[1:1000]";
  for (int i = 0; i < 20; ++i) wide += " k" + std::to_string(i) + "=v";
  auto entries = ParseAnsibleIni(wide + "\n", "w.ini");
  ASSERT_FALSE(entries.ok());
  EXPECT_NE(HostileError(entries).find("w.ini:2: more than 10000 hosts, vars and groups in all"),
            std::string::npos)
      << HostileError(entries);
}

TEST(AnsibleHostileTest, RepeatedHostsAndKeysAreErrorsNotMerges) {
  auto ini = ParseAnsibleIni("[shard0]\nn1 a=1\nn2\nn1 a=2\n", "d.ini");
  ASSERT_FALSE(ini.ok());
  EXPECT_NE(HostileError(ini).find("d.ini:4: host \"n1\" is listed twice in [shard0]"),
            std::string::npos)
      << HostileError(ini);
  auto range = ParseAnsibleIni("[shard0]\nn[1:3]\nn2\n", "r.ini");
  EXPECT_FALSE(range.ok());
  auto yaml =
      ParseAnsibleYaml("shard0:\n  hosts:\n    n1: {a: 1}\n    n2:\n    n1: {a: 2}\n", "d.yml");
  ASSERT_FALSE(yaml.ok());
  EXPECT_NE(HostileError(yaml).find("d.yml:5: \"n1\" appears twice in the hosts of group shard0"),
            std::string::npos)
      << HostileError(yaml);
  auto var = ParseAnsibleYaml("shard0:\n  hosts:\n    n1: {a: 1, a: 2}\n", "v.yml");
  ASSERT_FALSE(var.ok());
  EXPECT_NE(HostileError(var).find("\"a\" appears twice in the vars of host n1"), std::string::npos)
      << HostileError(var);
  // One host in two groups is Ansible's normal case, not a repeat.
  EXPECT_TRUE(ParseAnsibleIni("[shard0]\nn1\n[web]\nn1\n", "ok.ini").ok());
}

TEST(AnsibleHostileTest, BytesThatAreNotUtf8AreErrorsNotReplacementCharacters) {
  auto yaml = ParseAnsibleYaml("shard0:\n  hosts:\n    n1: {dir: \"/opt/\xff\"}\n", "u.yml");
  ASSERT_FALSE(yaml.ok());
  EXPECT_NE(HostileError(yaml).find("u.yml:3:"), std::string::npos) << HostileError(yaml);
  EXPECT_NE(HostileError(yaml).find("not valid UTF-8 (byte 0xFF)"), std::string::npos)
      << HostileError(yaml);
  auto ini = ParseAnsibleIni("[shard0]\nn1 dir=/opt/\xc3\x28\n", "u.ini");
  ASSERT_FALSE(ini.ok());
  EXPECT_NE(HostileError(ini).find("u.ini:2:"), std::string::npos) << HostileError(ini);
  EXPECT_TRUE(ParseAnsibleIni("[shard0]\nn1 dir=/opt/h\xc3\xa9\n", "ok.ini").ok());
}

TEST(AnsibleHostileTest, PasswordsAreDroppedWithAWarningThatNeverShowsThem) {
  auto tree = ParseAnsibleIni(
      "[shard0]\nn1 ansible_password=hunter2 ansible_become_pass=s3cret\nn2\n"
      "[shard0:vars]\nansible_ssh_pass=p4ss\n",
      "p.ini");
  ASSERT_TRUE(tree.ok()) << HostileError(tree);
  auto imported = ImportAnsible(*tree, {}, "p.ini");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  std::string dumped = imported->inventory.dump();
  for (const char* secret : {"hunter2", "s3cret", "p4ss", "ansible_password"}) {
    EXPECT_EQ(dumped.find(secret), std::string::npos) << secret << " in " << dumped;
  }
  std::string warnings;
  for (const std::string& w : imported->warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("\"ansible_password\" not carried over for 1 host(s) (n1): a secret"),
            std::string::npos)
      << warnings;
  EXPECT_NE(warnings.find("\"ansible_ssh_pass\" not carried over for 2 host(s)"), std::string::npos)
      << warnings;
  EXPECT_EQ(warnings.find("hunter2"), std::string::npos) << warnings;
}

TEST(AnsibleHostileTest, AProxyJumpInSshArgsBecomesTheJumpAProxyCommandIsRefused) {
  auto tree = ParseAnsibleIni(
      "[shard0]\nn1 ansible_ssh_common_args='-o ProxyJump=ops@bastion:2222'\n"
      "n2 ansible_ssh_extra_args='-J ops@bastion:2222 -o ServerAliveInterval=5'\n",
      "j.ini");
  ASSERT_TRUE(tree.ok()) << HostileError(tree);
  auto imported = ImportAnsible(*tree, {}, "j.ini");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  auto inv = ParseInventory(imported->inventory, "j.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  for (const Node* n : inv->AllNodes()) {
    EXPECT_EQ(n->ssh.jump, "ops@bastion:2222") << n->name;
    EXPECT_EQ(n->vars.count("ansible_ssh_common_args"), 0u) << n->name;
  }
  ASSERT_EQ(imported->warnings.size(), 1u);
  EXPECT_NE(imported->warnings[0].find("ansible_ssh_extra_args"), std::string::npos);

  auto proxied = ParseAnsibleIni(
      "[shard0]\nn1 ansible_ssh_common_args='-o ProxyCommand=\"ssh -W %h:%p bastion\"'\n", "c.ini");
  ASSERT_TRUE(proxied.ok()) << HostileError(proxied);
  auto refused = ImportAnsible(*proxied, {}, "c.ini");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find(
                "c.ini: host \"n1\": ansible_ssh_common_args: ProxyCommand \"ssh -W %h:%p "
                "bastion\" is never run"),
            std::string::npos)
      << refused.status().message();
}

TEST(AnsibleHostileTest, BadShardNumbersAndHostsSayWhatIsWrong) {
  auto big = ParseAnsibleIni("[shard99999999]\nn1\n", "s.ini");
  ASSERT_TRUE(big.ok());
  auto shard = ImportAnsible(*big, {}, "s.ini");
  ASSERT_FALSE(shard.ok());
  EXPECT_NE(shard.status().message().find("group \"shard99999999\" matches the shard pattern"),
            std::string::npos)
      << shard.status().message();
  EXPECT_NE(shard.status().message().find("\"99999999\" is not a shard number (0 to 1000000)"),
            std::string::npos)
      << shard.status().message();
  auto port = ParseAnsibleIni("[shard0]\nn1 ansible_host=[::1]:22\n", "h.ini");
  ASSERT_TRUE(port.ok());
  auto host = ImportAnsible(*port, {}, "h.ini");
  ASSERT_FALSE(host.ok());
  EXPECT_NE(host.status().message().find("ansible_host \"[::1]:22\" is not a host name or IP"),
            std::string::npos)
      << host.status().message();
  EXPECT_NE(host.status().message().find("a port goes in ansible_port"), std::string::npos);
  auto v6 = ParseAnsibleIni("[shard0]\nn1 ansible_host=::1 ansible_port=22\n", "v6.ini");
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(ImportAnsible(*v6, {}, "v6.ini").ok());
}

// Found by fuzz_ansible: groups that share children (diamonds, 24 deep: 2^24 paths) were
// written out once per path (48 s and 2 GB for a 2 KB file). Each group is written once now.
TEST(AnsibleHostileTest, YamlExportWritesEachGroupOnceHoweverManyPathsLeadToIt) {
  std::string ini = "[shard0]\nh1\n";
  for (int i = 0; i < 24; ++i) {
    for (const char* side : {"a", "b"}) {
      ini += "[" + std::string(side) + std::to_string(i) + ":children]\na" + std::to_string(i + 1) +
             "\nb" + std::to_string(i + 1) + "\n";
    }
  }
  ini += "[a24:children]\nshard0\n[b24:children]\nshard0\n";
  auto tree = ParseAnsibleIni(ini, "d.ini");
  ASSERT_TRUE(tree.ok()) << HostileError(tree);
  std::string yaml = EmitAnsibleYaml(*tree);
  EXPECT_LT(yaml.size(), 10000u) << "linear in the groups";
  auto back = ParseAnsibleYaml(yaml, "d.yml");
  ASSERT_TRUE(back.ok()) << HostileError(back) << yaml;
  EXPECT_EQ(back->GroupsOf("h1"), tree->GroupsOf("h1"));
}

/// A shardctl inventory whose vars hold what an attacker would put there.
Inventory HostileInventory() {
  json vars = {{"note", "x\n[shard0]\nevil.example.com"},
               {"quotes", "it's a \"quoted\" value"},
               {"tricky", "a=b #c ;d\t'\"'"},
               {"empty", ""},
               {"nullish", "null"},
               {"spaces", "  lead and trail  "}};
  json nodes = json::array();
  for (int i = 0; i < 4; ++i) {
    nodes.push_back({{"name", "s0-n" + std::to_string(i)},
                     {"host", "10.0.0." + std::to_string(i + 1)},
                     {"vars", {{"i", std::to_string(i)}, {"odd", i % 2 ? "x\ny" : "it's"}}}});
  }
  json j = {{"defaults", {{"vars", vars}}}, {"shards", {{{"id", 0}, {"nodes", nodes}}}}};
  return ParseInventory(j, "hostile.json").value();
}

/// Every node's name, host and vars: what must survive the round trip.
std::map<std::string, Vars> HostileNodeSet(const Inventory& inv) {
  std::map<std::string, Vars> out;
  for (const Node* n : inv.AllNodes()) out[n->name + "@" + n->ssh.host] = n->vars;
  return out;
}

TEST(AnsibleHostileTest, ExportRoundTripsHostileValuesOrRefuses) {
  Inventory inv = HostileInventory();
  AnsibleTree tree = ExportAnsible(inv);
  auto ini = EmitAnsibleIni(tree);
  ASSERT_FALSE(ini.ok()) << *ini;
  EXPECT_NE(ini.status().message().find("var \"note\" holds a line break"), std::string::npos)
      << ini.status().message();
  std::string yaml = EmitAnsibleYaml(tree);
  auto back = ParseAnsibleYaml(yaml, "out.yml");
  ASSERT_TRUE(back.ok()) << HostileError(back) << "\n" << yaml;
  auto imported = ImportAnsible(*back, {}, "out.yml");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  auto again = ParseInventory(imported->inventory, "again.json");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(HostileNodeSet(*again), HostileNodeSet(inv)) << yaml;
  // Without line breaks INI carries the rest, both quote kinds included.
  for (Shard& s : inv.shards) {
    for (Node& n : s.nodes) {
      n.vars.erase("note");
      if (n.vars["odd"] == "x\ny") n.vars["odd"] = "x y";
    }
  }
  auto text = EmitAnsibleIni(ExportAnsible(inv));
  ASSERT_TRUE(text.ok()) << text.status().message();
  auto from_ini = ImportAnsible(ParseAnsibleIni(*text, "out.ini").value(), {}, "out.ini");
  ASSERT_TRUE(from_ini.ok()) << from_ini.status().message() << "\n" << *text;
  EXPECT_EQ(HostileNodeSet(ParseInventory(from_ini->inventory, "x.json").value()),
            HostileNodeSet(inv))
      << *text;
}

TEST(AnsibleHostileTest, TemplateSyntaxIsRefusedInIniAndMarkedUnsafeInYaml) {
  Inventory inv = HostileInventory();
  inv.shards[0].nodes[0].vars = {{"cmd", "{{ lookup('pipe', 'id') }}"}};
  AnsibleTree tree = ExportAnsible(inv);
  for (auto& [h, vars] : tree.host_vars) vars.erase("odd");
  for (auto& [g, group] : tree.groups) group.vars.erase("note");
  auto ini = EmitAnsibleIni(tree);
  ASSERT_FALSE(ini.ok());
  EXPECT_NE(ini.status().message().find("which Ansible would run as a template"), std::string::npos)
      << ini.status().message();
  std::string yaml = EmitAnsibleYaml(tree);
  EXPECT_NE(yaml.find("!unsafe \"{{ lookup('pipe', 'id') }}\""), std::string::npos) << yaml;
  auto back = ParseAnsibleYaml(yaml, "u.yml");
  ASSERT_TRUE(back.ok()) << HostileError(back);
  EXPECT_EQ(back->host_vars["s0-n0"]["cmd"], "{{ lookup('pipe', 'id') }}");
}

}  // namespace
}  // namespace shardctl
