#include "cruddur/serve/log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace cruddur::serve {

namespace {
std::mutex& OutMutex() {
  static std::mutex m;
  return m;
}
}  // namespace

void WriteLogLine(std::string_view json_line) {
  std::lock_guard lock(OutMutex());
  std::fwrite(json_line.data(), 1, json_line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::string NowIso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

void LogEvent(std::string_view event,
              const std::vector<std::pair<std::string, std::string>>& fields) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("time");
  w.String(NowIso8601());
  w.Key("event");
  w.String(event.data(), static_cast<rapidjson::SizeType>(event.size()));
  for (const auto& [k, v] : fields) {
    w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v);
  }
  w.EndObject();
  WriteLogLine({sb.GetString(), sb.GetSize()});
}

}  // namespace cruddur::serve
