#include "model/json_text.h"

#include <set>
#include <vector>

#include "base/read_file.h"

namespace shardctl {
namespace {

using json = nlohmann::json;

/// Thrown from the parse callback, caught in ParseJsonText; never escapes this file.
struct Rejected {
  std::string message;
};

/// Tracks where the parser is, to name duplicate keys by JSON pointer.
class KeyTracker {
 public:
  explicit KeyTracker(bool reject_nul) : reject_nul_(reject_nul) {}

  bool Event(json::parse_event_t event, const json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (frames_.size() >= kMaxJsonDepth) {
          throw Rejected{Pointer() + ": nested deeper than " + std::to_string(kMaxJsonDepth)};
        }
        frames_.push_back(Frame{event == json::parse_event_t::object_start, {}, {}, 0});
        break;
      case json::parse_event_t::key:
        OnKey(parsed.get<std::string>());
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        Advance();
        break;
      case json::parse_event_t::value:
        if (reject_nul_ && parsed.is_string()) RejectNul(parsed.get_ref<const std::string&>());
        Advance();
        break;
    }
    return true;
  }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;  // objects: the key being read
    size_t index;     // arrays: the element being read
  };

  void OnKey(const std::string& key) {
    Frame& top = frames_.back();
    top.key = key;
    if (!top.keys.insert(key).second) throw Rejected{Pointer() + ": duplicate key"};
    if (reject_nul_) RejectNul(key);
  }
  void RejectNul(const std::string& s) const {
    if (s.find('\0') != std::string::npos) {
      throw Rejected{Pointer() + ": a NUL character (\\u0000) is not allowed here"};
    }
  }
  void Advance() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  std::string Pointer() const {
    std::string p;
    for (const Frame& f : frames_) {
      p += "/" + (f.object ? JsonPointerToken(f.key) : std::to_string(f.index));
    }
    return p.empty() ? "/" : p;
  }

  bool reject_nul_;
  std::vector<Frame> frames_;
};

/// Line and column of byte offset pos in text (1-based).
std::string TextLineCol(std::string_view text, size_t pos) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    col = text[i] == '\n' ? 1 : col + 1;
    line += text[i] == '\n' ? 1 : 0;
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

/// nlohmann's message without its "[json.exception.x.n] " prefix.
std::string WithoutExceptionId(const json::exception& e) {
  std::string m = e.what();
  size_t close = m.find("] ");
  return m.rfind("[json.exception", 0) == 0 && close != std::string::npos ? m.substr(close + 2) : m;
}

}  // namespace

Result<json> ParseJsonText(std::string_view text, const std::string& origin, bool reject_nul) {
  KeyTracker tracker(reject_nul);
  json::parser_callback_t callback = [&tracker](int, json::parse_event_t event, json& parsed) {
    return tracker.Event(event, parsed);
  };
  try {
    return json::parse(text.begin(), text.end(), callback);
  } catch (const Rejected& r) {
    return Status::Invalid(origin + ":" + r.message);
  } catch (const json::parse_error& e) {
    return Status::Invalid(origin + ":" + TextLineCol(text, e.byte > 0 ? e.byte - 1 : 0) +
                           ": not valid JSON: " + WithoutExceptionId(e));
  } catch (const json::exception& e) {
    return Status::Invalid(origin + ": not valid JSON: " + WithoutExceptionId(e));
  }
}

Result<json> ReadJsonFile(const std::string& path) {
  auto text = ReadRegularFile(path);
  if (!text.ok()) return text.status();
  return ParseJsonText(*text, path, /*reject_nul=*/true);
}

std::string JsonPointerToken(const std::string& key) {
  std::string out;
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

std::string ToJsonText(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace shardctl
