#include "model/template.h"

#include <gtest/gtest.h>

namespace shardctl {
namespace {

TEST(TemplateTest, SubstitutesAndQuotesEveryValue) {
  Vars vars = {{"dir", "/opt/my node"}, {"rpc_port", "9500"}, {"node.name", "s0-a"}};
  auto r =
      RenderTemplate("cd {{dir}} && curl http://127.0.0.1:{{ rpc_port }}/ # {{node.name}}", vars);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "cd '/opt/my node' && curl http://127.0.0.1:9500/ # s0-a");
}

TEST(TemplateTest, AValueCannotInjectACommand) {
  auto r = RenderTemplate("ls {{dir}}", {{"dir", "x; rm -rf / #'"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "ls 'x; rm -rf / #'\"'\"''");
}

TEST(TemplateTest, SingleBracesAreLeftAlone) {
  auto r = RenderTemplate("curl -d '{\"a\":{\"b\":1}}' :{{p}}", {{"p", "1"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "curl -d '{\"a\":{\"b\":1}}' :1");
}

TEST(TemplateTest, UnknownVarNamesItAndTheKnownOnes) {
  auto r = RenderTemplate("{{dir}}/{{bin}}", {{"dir", "/x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "unknown var {{bin}} (known: dir)");
}

TEST(TemplateTest, MalformedPlaceholdersAreErrors) {
  EXPECT_EQ(TemplateVars("a {{dir").status().message(), "unclosed \"{{\" at offset 2");
  EXPECT_FALSE(TemplateVars("{{}}").ok());
  EXPECT_FALSE(TemplateVars("{{a b}}").ok());
  auto names = TemplateVars("{{a}} {{ node.name }} {{a}}");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "node.name", "a"}));
}

TEST(TemplateTest, PlaceholdersInsideTheAuthorsQuotesAreRefused) {
  // Inside "..." the value's own quotes are literal: $(...) in it would run on the node.
  auto dq = TemplateVars("echo \"{{v}}\" >/dev/null; probe");
  ASSERT_FALSE(dq.ok());
  EXPECT_EQ(dq.status().message().rfind("placeholder {{v}} at offset 6 is inside double quotes", 0),
            0u)
      << dq.status().message();
  EXPECT_NE(TemplateVars("echo '{{v}}'").status().message().find("inside single quotes"),
            std::string::npos);
  EXPECT_NE(TemplateVars("echo \\{{v}}").status().message().find("after a backslash"),
            std::string::npos);
  EXPECT_FALSE(RenderTemplate("echo \"x {{v}}\"", {{"v", "$(touch /tmp/x)"}}).ok());
  // Quotes that are closed, escaped, or of the other kind inside quotes do not count.
  for (const char* ok : {"echo 'a' {{v}} \"b\" {{v}}", "echo \\\" {{v}}", "echo \"it's\" {{v}}",
                         "curl -d '{\"a\":1}' :{{v}}", "echo \"\\\"\" {{v}}"}) {
    EXPECT_TRUE(TemplateVars(ok).ok()) << ok << ": " << TemplateVars(ok).status().message();
  }
}

TEST(TemplateTest, RenderCommandNamesTheNode) {
  Node n;
  n.name = "s1-b";
  n.vars = {{"node.name", "s1-b"}};
  auto r = RenderCommand("{{dir}}/ctl stop", n);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "node s1-b: unknown var {{dir}} (known: node.name)");
}

}  // namespace
}  // namespace shardctl
