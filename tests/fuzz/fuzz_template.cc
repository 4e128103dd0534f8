// Command templates: the first line is the template, every further line a value. Whatever the
// value, rendering it into a single placeholder must give the value back as one shell word:
// ShellQuote's output between the template's own text, never text that escapes its quotes.
#include <string_view>

#include "base/shell_quote.h"
#include "fuzz_input.h"
#include "model/template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = shardctl::fuzz::AsText(data, size);
  size_t nl = text.find('\n');
  std::string tmpl = text.substr(0, nl);
  std::string value = nl == std::string::npos ? "" : text.substr(nl + 1);
  auto names = shardctl::TemplateVars(tmpl);
  if (!names.ok()) return 0;
  shardctl::Vars vars;
  for (const auto& n : *names) vars[n] = value;
  auto rendered = shardctl::RenderTemplate(tmpl, vars);
  if (!rendered.ok()) shardctl::fuzz::Broken();  // every name has a value
  // One placeholder alone renders to exactly the quoted value.
  auto alone = shardctl::RenderTemplate("{{v}}", {{"v", value}});
  if (!alone.ok() || *alone != shardctl::ShellQuote(value)) shardctl::fuzz::Broken();
  return 0;
}
