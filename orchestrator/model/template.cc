#include "model/template.h"

#include "base/shell_quote.h"
#include "base/text.h"

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

/// How the shell would read the text just before offset pos: outside quotes, inside the
/// author's single or double quotes, or right after an escaping backslash.
enum class ShellContext { kPlain, kSingleQuoted, kDoubleQuoted, kEscaped };

/// Reads the template left to right once, as far as each placeholder in turn.
class ShellLexer {
 public:
  explicit ShellLexer(std::string_view tmpl) : tmpl_(tmpl) {}

  /// The context just before offset pos (pos never decreases between calls).
  ShellContext At(size_t pos) {
    for (; i_ < pos; ++i_) {
      char c = tmpl_[i_];
      if (ctx_ == ShellContext::kSingleQuoted) {
        if (c == '\'') ctx_ = ShellContext::kPlain;
      } else if (c == '\\') {
        if (i_ + 1 == pos) return ShellContext::kEscaped;
        ++i_;  // the next character is literal
      } else if (c == '"') {
        ctx_ = ctx_ == ShellContext::kDoubleQuoted ? ShellContext::kPlain
                                                   : ShellContext::kDoubleQuoted;
      } else if (c == '\'' && ctx_ == ShellContext::kPlain) {
        ctx_ = ShellContext::kSingleQuoted;
      }
    }
    return ctx_;
  }

 private:
  std::string_view tmpl_;
  size_t i_ = 0;
  ShellContext ctx_ = ShellContext::kPlain;
};

/// A placeholder's value is quoted by RenderTemplate; quotes or a backslash of the author's
/// around it would undo that quoting and let the value run as shell code.
Status CheckUnquoted(ShellContext ctx, size_t pos, const std::string& name) {
  const char* where = nullptr;
  switch (ctx) {
    case ShellContext::kPlain:
      return Status::Ok();
    case ShellContext::kSingleQuoted:
      where = "inside single quotes";
      break;
    case ShellContext::kDoubleQuoted:
      where = "inside double quotes";
      break;
    case ShellContext::kEscaped:
      where = "right after a backslash";
      break;
  }
  return Status::Invalid("placeholder {{" + name + "}} at offset " + std::to_string(pos) + " is " +
                         where +
                         " of the template; values are shell-quoted for you, so write it "
                         "without quotes around it (e.g. cd {{dir}}/bin, not cd \"{{dir}}/bin\")");
}

Result<std::vector<Placeholder>> Scan(std::string_view tmpl) {
  std::vector<Placeholder> found;
  ShellLexer lexer(tmpl);
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
    SHARDCTL_RETURN_IF_ERROR(CheckUnquoted(lexer.At(pos), pos, std::string(name)));
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
