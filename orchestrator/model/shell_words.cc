#include "model/shell_words.h"

#include <cstring>

namespace shardctl {

Result<std::vector<std::string>> SplitShellWords(const std::string& text, ShellWordRules rules,
                                                 const std::string& where) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool escapes = rules.backslash && c == '\\' && i + 1 < text.size() && quote != '\'' &&
                   (quote == 0 || std::strchr("\"\\$`", text[i + 1]) != nullptr);
    if (escapes) {
      cur += text[++i];
      in_word = true;
    } else if (quote != 0) {
      if (c == quote) quote = 0;
      if (c != quote && quote != 0) cur += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else if (rules.comments && c == '#' && !in_word) {
      break;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (quote != 0) return Status::Invalid(where + "unterminated quote");
  if (in_word) out.push_back(cur);
  return out;
}

}  // namespace shardctl
