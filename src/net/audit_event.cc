#include "net/audit_event.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <ctime>

namespace net {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(Writer& w, const char* key, std::string_view value, size_t max = kAuditFieldMax) {
  w.Key(key);
  const std::string safe = SanitizeAuditText(value, max);
  w.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
}

}  // namespace

std::string_view OutcomeName(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kSuccess:
      return "success";
    case AuditOutcome::kDenied:
      return "denied";
    case AuditOutcome::kError:
      return "error";
  }
  return "error";
}

std::string SanitizeAuditText(std::string_view text, size_t max) {
  std::string out(text.substr(0, max));
  for (char& c : out) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7f) c = '?';
  }
  return out;
}

std::string AuditTime(std::chrono::system_clock::time_point time) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string FormatAuditEvent(const AuditEvent& e, std::chrono::system_clock::time_point time) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  Field(w, "eventTime", AuditTime(time));
  Field(w, "eventSource", e.event_source);
  Field(w, "eventName", e.event_name);
  Field(w, "accessKeyId", e.access_key_id);
  Field(w, "sourceIPAddress", e.source_ip);
  Field(w, "userAgent", e.user_agent, kAuditFieldMaxUserAgent);
  w.Key("resources");
  w.StartArray();
  for (size_t i = 0; i < e.resources.size() && i < kAuditMaxResources; ++i) {
    const std::string safe = SanitizeAuditText(e.resources[i], kAuditFieldMaxResource);
    w.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
  }
  w.EndArray();
  Field(w, "outcome", OutcomeName(e.outcome));
  if (e.outcome != AuditOutcome::kSuccess) {
    Field(w, "errorCode", e.error_code);
    if (!e.error_message.empty()) Field(w, "errorMessage", e.error_message, kAuditFieldMaxResource);
  }
  Field(w, "requestID", e.request_id);
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

std::string FormatDenialSummary(const DenialSummary& s,
                                std::chrono::system_clock::time_point time) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  Field(w, "eventTime", AuditTime(time));
  Field(w, "eventSource", s.event_source);
  Field(w, "eventName", "AggregatedDenials");
  Field(w, "sourceIPAddress", s.source_ip);
  Field(w, "outcome", OutcomeName(AuditOutcome::kDenied));
  Field(w, "errorCode", s.error_code);
  if (!s.error_message.empty()) Field(w, "errorMessage", s.error_message, kAuditFieldMaxResource);
  w.Key("count");
  w.Uint64(s.count);
  Field(w, "firstTime", AuditTime(s.first));
  Field(w, "lastTime", AuditTime(s.last));
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

}  // namespace net
