#include "model/template.h"

#include <map>

#include "base/shell_quote.h"
#include "base/text.h"
#include "model/shell_lexer.h"

namespace shardctl {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// One placeholder: its name and the text range [begin, end) it occupies.
struct Placeholder {
  std::string name;
  size_t begin = 0;
  size_t end = 0;
};

/// A placeholder's value is shell-quoted by RenderTemplate; that holds only in a plain word.
/// Anywhere else (the author's quotes, a here-document, a comment, backquotes, ${...},
/// arithmetic) the value could end its context early or be read as code on the node.
Status CheckPlainWord(const std::map<size_t, ShellContext>& contexts, size_t pos,
                      const std::string& name) {
  auto it = contexts.find(pos);
  if (it != contexts.end() && it->second == ShellContext::kWord) return Status::Ok();
  std::string where = it == contexts.end() ? "where the shell's reading could not be followed"
                                           : DescribeShellContext(it->second);
  return Status::Invalid(
      "placeholder {{" + name + "}} at offset " + std::to_string(pos) + " is " + where +
      " of the template; a value is safe only as a plain word, where it is shell-quoted for you "
      "(write cd {{dir}}/bin, not cd \"{{dir}}/bin\"; pass a value to a here-document's "
      "command as an argument, e.g. printf '%s\\n' {{note}} | cmd)");
}

Result<std::vector<Placeholder>> Scan(std::string_view tmpl) {
  std::vector<Placeholder> found;
  const std::map<size_t, ShellContext> contexts = PlaceholderContexts(tmpl);
  size_t pos = 0;
  while ((pos = tmpl.find("{{", pos)) != std::string_view::npos) {
    size_t close = tmpl.find("}}", pos + 2);
    if (close == std::string_view::npos) {
      return Status::Invalid("unclosed \"{{\" at offset " + std::to_string(pos));
    }
    std::string_view name = Trim(tmpl.substr(pos + 2, close - pos - 2));
    bool valid = !name.empty();
    for (char c : name) valid = valid && IsNameChar(c);
    if (!valid) {
      return Status::Invalid("bad placeholder \"" + std::string(tmpl.substr(pos, close + 2 - pos)) +
                             "\" at offset " + std::to_string(pos) +
                             ": expected {{name}} with letters, digits, '_', '.', '-'");
    }
    SHARDCTL_RETURN_IF_ERROR(CheckPlainWord(contexts, pos, std::string(name)));
    found.push_back({std::string(name), pos, close + 2});
    pos = close + 2;
  }
  return found;
}

Result<std::string> Render(std::string_view tmpl, const Vars& vars, bool quote) {
  auto scanned = Scan(tmpl);
  if (!scanned.ok()) return scanned.status();
  std::string out;
  size_t copied = 0;
  for (const Placeholder& p : *scanned) {
    auto it = vars.find(p.name);
    if (it == vars.end()) {
      std::string known;
      for (const auto& [k, v] : vars) known += (known.empty() ? "" : ", ") + k;
      return Status::Invalid("unknown var {{" + p.name + "}} (known: " + known + ")");
    }
    out.append(tmpl.substr(copied, p.begin - copied));
    out += quote ? ShellQuote(it->second) : it->second;
    copied = p.end;
  }
  out.append(tmpl.substr(copied));
  return out;
}

}  // namespace

Result<std::vector<std::string>> TemplateVars(std::string_view tmpl) {
  auto scanned = Scan(tmpl);
  if (!scanned.ok()) return scanned.status();
  std::vector<std::string> names;
  for (const Placeholder& p : *scanned) names.push_back(p.name);
  return names;
}

Result<std::string> RenderTemplate(std::string_view tmpl, const Vars& vars) {
  return Render(tmpl, vars, true);
}

Result<std::string> RenderTemplateUnquoted(std::string_view tmpl, const Vars& vars) {
  return Render(tmpl, vars, false);
}

Result<std::string> RenderCommand(std::string_view tmpl, const Node& node) {
  auto rendered = RenderTemplate(tmpl, node.vars);
  if (!rendered.ok()) return rendered.status().Annotate("node " + node.name + ": ");
  return rendered;
}

}  // namespace shardctl
