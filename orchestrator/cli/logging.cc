#include "cli/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "cli/output.h"

namespace shardctl::cli {
namespace {

// One JSON object per log line on stderr, for log shippers.
class JsonStderrSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    auto t = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch());
    nlohmann::json j = {{"ts_ms", t.count()},
                        {"level", spdlog::level::to_string_view(msg.level).data()},
                        {"msg", std::string(msg.payload.data(), msg.payload.size())}};
    std::cerr << JsonLine(j);
  }
  void flush_() override { std::cerr.flush(); }
};

}  // namespace

void SetUpLogging(const CommonOptions& o) {
  std::shared_ptr<spdlog::logger> logger;
  if (o.log_format == "json") {
    logger = std::make_shared<spdlog::logger>("shardctl", std::make_shared<JsonStderrSink>());
  } else {
    logger = spdlog::stderr_color_mt("shardctl");
    logger->set_pattern("%^%H:%M:%S.%e %l%$ %v");
  }
  logger->set_level(o.verbose >= 2   ? spdlog::level::debug
                    : o.verbose == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

}  // namespace shardctl::cli
