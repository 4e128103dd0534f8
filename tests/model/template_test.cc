#include "model/template.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace shardctl {
namespace {

TEST(TemplateTest, SubstitutesAndQuotesEveryValue) {
  Vars vars = {{"dir", "/opt/my node"}, {"rpc_port", "9500"}, {"node.name", "s0-a"}};
  auto r =
      RenderTemplate("cd {{dir}} && curl http://127.0.0.1:{{ rpc_port }}/ -H {{node.name}}", vars);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "cd '/opt/my node' && curl http://127.0.0.1:9500/ -H s0-a");
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

// Issue 20: the shell contexts a value can land in. Only a plain word keeps the quoting whole;
// each refusal names the context.
TEST(TemplateTest, PlaceholdersAreRefusedAnywhereButAPlainWord) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"cat >/dev/null <<EOF\nnote: {{note}}\nEOF\nprobe", "in a here-document body"},
      {"cat <<'EOF'\n{{note}}\nEOF", "in a here-document body"},
      {"cat <<-\"EOF\"\n\t{{note}}\n\tEOF\n", "in a here-document body"},
      {"cat <<EOF; echo ok\nx\n{{v}}\nEOF", "in a here-document body"},
      {"cat <<A <<B\na\nA\n{{v}}\nB", "in a here-document body"},
      {"cat <<{{v}}\nx\n", "in a here-document delimiter"},
      {"echo $'a {{v}}'", "inside $'...' quotes"},
      {"echo `cat {{v}}`", "inside backquotes"},
      {"echo \"$(echo `ls {{v}}`)\"", "inside backquotes"},
      {"probe # {{v}}", "inside a # comment"},
      {"probe\n  # note {{v}}\nnext", "inside a # comment"},
      {"echo ${X:-{{v}}}", "inside ${...}"},
      {"echo $(( {{v}} + 1 ))", "inside arithmetic"},
      {"(( {{v}} > 1 )) && echo", "inside arithmetic"},
      {"echo $[{{v}}]", "inside arithmetic"},
      {"[[ {{v}} -eq 1 ]] && echo", "inside [[ ... ]]"},
      {"echo ${{v}}", "right after a $"},
      {"echo \\{{v}}", "right after a backslash"},
      {"echo \"a {{v}}\"", "inside double quotes"},
      {"echo 'a {{v}}'", "inside single quotes"},
  };
  for (const auto& [tmpl, where] : refused) {
    auto r = TemplateVars(tmpl);
    ASSERT_FALSE(r.ok()) << tmpl;
    EXPECT_NE(r.status().message().find("is " + where), std::string::npos)
        << tmpl << ": " << r.status().message();
  }
  // Plain words stay allowed, also inside $(...) (a command line of its own), after a
  // here-document has ended, after a word containing # and as a here-string.
  for (const char* ok :
       {"cd {{dir}}/bin && ./run --flag={{v}}", "echo \"$(cat {{f}})\"", "X={{v}} cmd",
        "cat <<'EOF'\nfixed $text\nEOF\necho {{x}}", "cat <<-EOF\n\tbody\n\tEOF\nrm {{x}}",
        "# a comment\necho {{x}}", "echo a#{{x}}", "cmd <<<{{x}}", "echo $HOME {{x}}",
        "printf '%s\\n' {{note}} | logger", "{{etcd_member}} stop --dir {{dir}}",
        "echo $(( 1 + 2 )) {{x}}", "[ {{x}} = y ] && echo", "echo ${HOME} {{x}}",
        "f() { echo {{x}}; }; f", "case {{x}} in a) echo;; esac"}) {
    EXPECT_TRUE(TemplateVars(ok).ok()) << ok << ": " << TemplateVars(ok).status().message();
  }
}

// Found by fuzz_template: a backquote inside arithmetic opened a frame while the lexer still
// held a reference to the arithmetic one (a use after free under ASan).
TEST(TemplateTest, ABackquoteInsideArithmeticIsReadSafely) {
  EXPECT_TRUE(TemplateVars("tl$((\x1a`").ok());
  auto r = TemplateVars("echo $(( `echo {{v}}` + 1 ))");
  ASSERT_FALSE(r.ok());
  // The outermost context that taints what it holds is named: the arithmetic.
  EXPECT_NE(r.status().message().find("{{v}} at offset 15 is inside arithmetic"), std::string::npos)
      << r.status().message();
}

// The case of issue 20: quoting means nothing inside an unquoted here-document body, so the
// value would run as code; the template never renders.
TEST(TemplateTest, AHereDocumentValueNeverRenders) {
  auto r = RenderTemplate("cat >/dev/null <<EOF\nnote: {{note}}\nEOF\n",
                          {{"note", "$(touch /tmp/PWN)"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("{{note}}"), std::string::npos) << r.status().message();
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
