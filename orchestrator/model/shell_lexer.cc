#include "model/shell_lexer.h"

#include <algorithm>
#include <string>
#include <vector>

namespace shardctl {
namespace {

constexpr size_t kEnd = std::string_view::npos;

/// What the shell is reading: a frame per open quote, substitution or compound.
enum class Frame {
  kRoot,          // the command line
  kSubst,         // $( ... ): a command line again
  kCond,          // [[ ... ]]
  kSingle,        // '...'
  kDouble,        // "..."
  kAnsiC,         // $'...'
  kBackquote,     // `...`
  kParam,         // ${...}
  kArith,         // $(( ... )) or (( ... ))
  kArithBracket,  // $[ ... ]
};

struct FrameState {
  Frame kind;
  int depth = 0;  // open ( in a command line or arithmetic, { in ${...}, [ in $[...]
};

struct HereDoc {
  std::string delimiter;
  bool strip_tabs = false;  // <<-
};

bool EndsWord(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' ||
         c == ')' || c == '<' || c == '>';
}

ShellContext ContextOf(Frame f) {
  switch (f) {
    case Frame::kRoot:
    case Frame::kSubst:
      return ShellContext::kWord;
    case Frame::kCond:
      return ShellContext::kConditional;
    case Frame::kSingle:
      return ShellContext::kSingleQuoted;
    case Frame::kDouble:
      return ShellContext::kDoubleQuoted;
    case Frame::kAnsiC:
      return ShellContext::kAnsiC;
    case Frame::kBackquote:
      return ShellContext::kBackquoted;
    case Frame::kParam:
      return ShellContext::kParamExpansion;
    case Frame::kArith:
    case Frame::kArithBracket:
      return ShellContext::kArithmetic;
  }
  return ShellContext::kWord;
}

/// Reads a template once, left to right, recording each placeholder's context. Placeholders are
/// opaque words: their braces never open or close anything.
class Lexer {
 public:
  explicit Lexer(std::string_view t) : t_(t) {}

  std::map<size_t, ShellContext> Run() {
    size_t i = 0;
    while (i != kEnd && i < t_.size()) {
      if (PlaceholderAt(i)) {
        i = Record(i, Context());
        word_start_ = false;
        continue;
      }
      switch (frames_.back().kind) {
        case Frame::kRoot:
        case Frame::kSubst:
        case Frame::kCond:
          i = CommandLine(i);
          break;
        case Frame::kParam:
          i = Param(i);
          break;
        case Frame::kArith:
        case Frame::kArithBracket:
          i = Arith(i);
          break;
        default:
          i = Quoted(i);
      }
    }
    return out_;
  }

 private:
  bool At(size_t i, std::string_view s) const {
    return t_.substr(std::min(i, t_.size()), s.size()) == s;
  }
  bool PlaceholderAt(size_t i) const { return At(i, "{{"); }
  void Push(Frame f) { frames_.push_back({f, 0}); }
  void Pop() {
    if (frames_.size() > 1) frames_.pop_back();
  }

  /// The context of a placeholder here: backquotes, arithmetic and [[ ]] anywhere below taint
  /// what is nested in them (their text is re-read or evaluated); else the innermost frame's.
  ShellContext Context() const {
    for (const FrameState& f : frames_) {
      if (f.kind == Frame::kBackquote || f.kind == Frame::kArith ||
          f.kind == Frame::kArithBracket || f.kind == Frame::kCond) {
        return ContextOf(f.kind);
      }
    }
    return ContextOf(frames_.back().kind);
  }

  /// Records the placeholder at i; the offset after it, kEnd when it has no "}}".
  size_t Record(size_t i, ShellContext ctx) {
    size_t close = t_.find("}}", i + 2);
    if (close == kEnd) return kEnd;
    out_.emplace(i, ctx);
    return close + 2;
  }

  /// A backslash at i: skips the character it escapes, unless that starts a placeholder.
  size_t Escape(size_t i, ShellContext ctx) {
    return PlaceholderAt(i + 1) ? Record(i + 1, ctx) : i + 2;
  }

  size_t CommandLine(size_t i);
  size_t Blank(size_t i, char c, bool start);
  size_t Quoted(size_t i);
  size_t Param(size_t i);
  size_t Arith(size_t i);
  size_t Dollar(size_t i);
  size_t Comment(size_t i);
  size_t HereDocOperator(size_t i);
  size_t HereDocBody(size_t i, const HereDoc& hd);

  std::string_view t_;
  std::vector<FrameState> frames_{{Frame::kRoot, 0}};
  std::vector<HereDoc> pending_;  // here-documents whose bodies start after the next newline
  bool word_start_ = true;
  std::map<size_t, ShellContext> out_;
};

size_t Lexer::CommandLine(size_t i) {
  char c = t_[i];
  bool start = word_start_;
  word_start_ = false;
  switch (c) {
    case '\\':
      return Escape(i, ShellContext::kEscaped);
    case '\'':
      Push(Frame::kSingle);
      return i + 1;
    case '"':
      Push(Frame::kDouble);
      return i + 1;
    case '`':
      Push(Frame::kBackquote);
      return i + 1;
    case '$':
      return Dollar(i);
    case '#':
      return start ? Comment(i) : i + 1;
    case '[':
      if (start && At(i, "[[")) {
        Push(Frame::kCond);
        word_start_ = true;
        return i + 2;
      }
      return i + 1;
    case ']':
      if (frames_.back().kind == Frame::kCond && At(i, "]]")) {
        Pop();
        return i + 2;
      }
      return i + 1;
    default:
      return Blank(i, c, start);
  }
}

/// Blanks and operators: they end a word; a newline also starts pending here-document bodies.
size_t Lexer::Blank(size_t i, char c, bool start) {
  if (!EndsWord(c)) return i + 1;
  word_start_ = true;
  FrameState& f = frames_.back();
  if (c == '\n') {
    size_t next = i + 1;
    for (const HereDoc& hd : pending_) next = next == kEnd ? kEnd : HereDocBody(next, hd);
    pending_.clear();
    return next;
  }
  if (c == '<' && At(i, "<<<")) return i + 3;
  if (c == '<' && At(i, "<<")) return HereDocOperator(i + 2);
  if (c == '(' && start && At(i, "((")) {
    Push(Frame::kArith);
    return i + 2;
  }
  if (c == '(') ++f.depth;
  if (c == ')' && f.depth > 0) {
    --f.depth;
  } else if (c == ')' && f.kind == Frame::kSubst) {
    Pop();
    word_start_ = false;
  }
  return i + 1;
}

/// Inside '...', "...", $'...' or `...`.
size_t Lexer::Quoted(size_t i) {
  char c = t_[i];
  Frame k = frames_.back().kind;
  if (k == Frame::kSingle) {
    if (c == '\'') Pop();
    return i + 1;
  }
  if (c == '\\') return Escape(i, ContextOf(k));
  if (k == Frame::kAnsiC || k == Frame::kBackquote) {
    if (c == (k == Frame::kAnsiC ? '\'' : '`')) Pop();
    return i + 1;
  }
  if (c == '"') {
    Pop();
  } else if (c == '`') {
    Push(Frame::kBackquote);
  } else if (c == '$') {
    return Dollar(i);
  }
  return i + 1;
}

/// Inside ${...}: quotes and substitutions nest; braces count.
size_t Lexer::Param(size_t i) {
  FrameState& f = frames_.back();
  switch (t_[i]) {
    case '\\':
      return Escape(i, ShellContext::kParamExpansion);
    case '\'':
      Push(Frame::kSingle);
      break;
    case '"':
      Push(Frame::kDouble);
      break;
    case '`':
      Push(Frame::kBackquote);
      break;
    case '$':
      return Dollar(i);
    case '{':
      ++f.depth;
      break;
    case '}':
      if (f.depth == 0) {
        Pop();
      } else {
        --f.depth;
      }
      break;
  }
  return i + 1;
}

/// Inside $(( )), (( )) or $[ ].
size_t Lexer::Arith(size_t i) {
  char c = t_[i];
  if (c == '$') return Dollar(i);
  if (c == '`') {
    Push(Frame::kBackquote);
    return i + 1;
  }
  FrameState& f = frames_.back();  // taken after any Push: a Push may move the frames
  char open = f.kind == Frame::kArith ? '(' : '[';
  char close = f.kind == Frame::kArith ? ')' : ']';
  if (c == open) ++f.depth;
  if (c != close) return i + 1;
  if (f.depth > 0) {
    --f.depth;
    return i + 1;
  }
  if (f.kind == Frame::kArithBracket) {
    Pop();
    return i + 1;
  }
  if (At(i, "))")) {
    Pop();
    return i + 2;
  }
  return i + 1;
}

/// A $ where it expands (command lines, double quotes, ${...}, arithmetic).
size_t Lexer::Dollar(size_t i) {
  if (PlaceholderAt(i + 1)) return Record(i + 1, ShellContext::kAfterDollar);
  Frame k = frames_.back().kind;
  bool command_line = k == Frame::kRoot || k == Frame::kSubst || k == Frame::kCond;
  if (At(i, "$((")) {
    Push(Frame::kArith);
    return i + 3;
  }
  if (At(i, "$(")) {
    Push(Frame::kSubst);
    return i + 2;
  }
  if (At(i, "${")) {
    Push(Frame::kParam);
    return i + 2;
  }
  if (At(i, "$[")) {
    Push(Frame::kArithBracket);
    return i + 2;
  }
  if (command_line && At(i, "$'")) {
    Push(Frame::kAnsiC);
    return i + 2;
  }
  if (command_line && At(i, "$\"")) {
    Push(Frame::kDouble);
    return i + 2;
  }
  return i + 1;
}

/// From # to the end of the line; the newline itself is left to the command line.
size_t Lexer::Comment(size_t i) {
  while (i != kEnd && i < t_.size() && t_[i] != '\n') {
    i = PlaceholderAt(i) ? Record(i, ShellContext::kComment) : i + 1;
  }
  return i;
}

/// The delimiter word after << or <<- (i: just after "<<"). Quoting it makes the body literal,
/// but a value there can still end the body early, so both kinds are refused alike.
size_t Lexer::HereDocOperator(size_t i) {
  HereDoc hd;
  if (At(i, "-")) {
    hd.strip_tabs = true;
    ++i;
  }
  while (i < t_.size() && (t_[i] == ' ' || t_[i] == '\t')) ++i;
  char quote = 0;
  while (i != kEnd && i < t_.size()) {
    char c = t_[i];
    if (PlaceholderAt(i)) {
      i = Record(i, ShellContext::kHereDocDelimiter);
    } else if (quote != 0 || c == '\'' || c == '"') {
      if (quote == 0 || c == quote) quote = quote == 0 ? c : 0;
      if (quote != 0 && c != quote) hd.delimiter += c;
      ++i;
    } else if (c == '\\') {
      if (!PlaceholderAt(i + 1) && i + 1 < t_.size()) hd.delimiter += t_[i + 1];
      i = Escape(i, ShellContext::kHereDocDelimiter);
    } else if (EndsWord(c)) {
      break;
    } else {
      hd.delimiter += c;
      ++i;
    }
  }
  if (!hd.delimiter.empty()) pending_.push_back(hd);
  return i;
}

/// One here-document body from offset i (a line start) through its delimiter line; the offset
/// after that line (the text's end when there is none).
size_t Lexer::HereDocBody(size_t i, const HereDoc& hd) {
  while (i != kEnd && i < t_.size()) {
    size_t eol = std::min(t_.find('\n', i), t_.size());
    std::string_view line = t_.substr(i, eol - i);
    if (hd.strip_tabs) line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
    if (line == hd.delimiter) return std::min(eol + 1, t_.size());
    while (i != kEnd && i < t_.size() && t_[i] != '\n') {
      i = PlaceholderAt(i) ? Record(i, ShellContext::kHereDocBody) : i + 1;
    }
    if (i != kEnd) i = std::min(i + 1, t_.size());
  }
  return i;
}

}  // namespace

const char* DescribeShellContext(ShellContext c) {
  switch (c) {
    case ShellContext::kWord:
      return "a plain word";
    case ShellContext::kSingleQuoted:
      return "inside single quotes";
    case ShellContext::kDoubleQuoted:
      return "inside double quotes";
    case ShellContext::kAnsiC:
      return "inside $'...' quotes";
    case ShellContext::kEscaped:
      return "right after a backslash";
    case ShellContext::kAfterDollar:
      return "right after a $";
    case ShellContext::kBackquoted:
      return "inside backquotes (`...`)";
    case ShellContext::kComment:
      return "inside a # comment";
    case ShellContext::kHereDocBody:
      return "in a here-document body";
    case ShellContext::kHereDocDelimiter:
      return "in a here-document delimiter";
    case ShellContext::kParamExpansion:
      return "inside ${...}";
    case ShellContext::kArithmetic:
      return "inside arithmetic ($((...)), ((...)) or $[...])";
    case ShellContext::kConditional:
      return "inside [[ ... ]]";
  }
  return "somewhere the shell re-reads";
}

std::map<size_t, ShellContext> PlaceholderContexts(std::string_view tmpl) {
  return Lexer(tmpl).Run();
}

}  // namespace shardctl
