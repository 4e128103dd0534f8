// Splitting a line into words the way a POSIX shell (and Python's shlex, which Ansible uses)
// does: blanks separate, '...' and "..." group without their quotes, quoted runs join the word
// around them. Shared by the Ansible INI reader and its ssh argument vars.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace shardctl {

struct ShellWordRules {
  bool comments = false;   // a # starting a word ends the line
  bool backslash = false;  // \ escapes the next character (in "...", only \ " $ `)
};

/// The words of text. Invalid(where + "unterminated quote") when a quote is left open.
Result<std::vector<std::string>> SplitShellWords(const std::string& text, ShellWordRules rules,
                                                 const std::string& where);

}  // namespace shardctl
