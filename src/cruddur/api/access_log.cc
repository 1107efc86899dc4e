#include "cruddur/api/access_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdio>
#include <ctime>

namespace cruddur::api {
namespace {

// Printable ASCII kept, everything else %XX, so the line is valid UTF-8
// whatever bytes the client sent.
std::string SafePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (out.size() >= kMaxLoggedPathBytes) break;
    if (c > 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

void Field(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* name,
           std::string_view value) {
  w.Key(name);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

std::string FormatUtcMillis(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto ms = time_point_cast<milliseconds>(time).time_since_epoch().count();
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const int millis = static_cast<int>(ms - static_cast<int64_t>(seconds) * 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string AccessLogLine(const AccessRecord& r) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  Field(w, "time", FormatUtcMillis(r.time));
  Field(w, "request_id", r.request_id);
  Field(w, "method", r.method);
  Field(w, "path", SafePath(r.path));
  if (!r.route.empty()) Field(w, "route", r.route);
  w.Key("status");
  w.Uint(r.status);
  w.Key("duration_ms");
  w.Double(std::round(r.duration_ms * 1000) / 1000);
  if (!r.user.empty()) Field(w, "user", r.user);
  if (!r.error.empty()) Field(w, "error", r.error);
  if (r.transactions > 0) {
    w.Key("transactions");
    w.Int(r.transactions);
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace cruddur::api
