// Where a placeholder of a command template lands as the node's shell (POSIX sh or bash) reads
// it. A substituted value is shell-quoted (base/shell_quote.h); that quoting holds only in a plain
// word. Everywhere else (quotes, here-documents, comments, substitutions, arithmetic) a value can
// end its context early or be read as code, so the template is refused there (model/template.h).
#pragma once

#include <map>
#include <string_view>

namespace shardctl {

enum class ShellContext {
  kWord,              // a plain word (also inside $(...)): the value stays one word
  kSingleQuoted,      // '...'
  kDoubleQuoted,      // "..."
  kAnsiC,             // $'...' (backslash escapes would undo the quoting)
  kEscaped,           // right after a backslash
  kAfterDollar,       // right after a $ ($'...' would read the value's quotes)
  kBackquoted,        // `...` (backslashes are processed before the inner command runs)
  kComment,           // after # (a newline in the value ends the comment; the rest runs)
  kHereDocBody,       // a here-document's body: expanded, or ended by a line of the value
  kHereDocDelimiter,  // the word after << or <<-
  kParamExpansion,    // ${...}
  kArithmetic,        // $((...)), ((...)), $[...]: operands are evaluated, a[$(cmd)] runs cmd
  kConditional,       // [[ ... ]]: -eq and friends evaluate operands as arithmetic
};

/// "inside single quotes", "in a here-document body", ... for messages.
const char* DescribeShellContext(ShellContext c);

/// The context of every placeholder in tmpl, keyed by the offset of its "{{" (found the way
/// TemplateVars finds them: each "{{" up to the next "}}"). Reads tmpl once, left to right;
/// stops at a "{{" without "}}".
std::map<size_t, ShellContext> PlaceholderContexts(std::string_view tmpl);

}  // namespace shardctl
