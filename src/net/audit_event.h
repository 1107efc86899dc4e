// One audit-log event and its JSON line, in CloudTrail's field names:
//
//   {"eventTime":"2026-12-05T20:43:08Z","eventSource":"dynamodb.amazonaws.com",
//    "eventName":"CreateTable","accessKeyId":"AKIDADMIN",
//    "sourceIPAddress":"127.0.0.1","userAgent":"Boto3/1.26.27 ...",
//    "resources":["arn:aws:dynamodb:us-east-1:000000000000:table/t"],
//    "outcome":"success","requestID":"..."}
//
// plus "errorCode" (and "errorMessage", a fixed text of the server's) when
// the outcome is "denied" or "error". An event names who asked and what it
// was about, never what was sent: no request body, item value, secret,
// password, code or token is ever part of one (the callers' contract; the
// fields below have no room for them).
//
// Every string is made safe before it is written: bytes outside printable
// ASCII (controls, DEL, anything non-ASCII) become '?', and each field is
// cut to a bound (user agent 256 characters, see kAuditFieldMax*), so a
// hostile header can neither break a line nor swell it. Quotes and
// backslashes are JSON-escaped.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace net {

inline constexpr std::string_view kDynamoDbEventSource = "dynamodb.amazonaws.com";
inline constexpr std::string_view kCognitoEventSource = "cognito-idp.amazonaws.com";

// Bounds of the fields, in characters.
inline constexpr size_t kAuditFieldMaxUserAgent = 256;
inline constexpr size_t kAuditFieldMaxResource = 1024;
inline constexpr size_t kAuditFieldMax = 128;  // every other string
inline constexpr size_t kAuditMaxResources = 16;

enum class AuditOutcome : uint8_t { kSuccess, kDenied, kError };

// "success", "denied", "error".
std::string_view OutcomeName(AuditOutcome outcome);

struct AuditEvent {
  std::string event_source;            // kDynamoDbEventSource, kCognitoEventSource, ...
  std::string event_name;              // the operation ("CreateTable", "AdminCreateUser")
  std::string access_key_id;           // the signing key's id; "" when none was given
  std::string source_ip;               // the client's address; "" when unknown
  std::string user_agent;              // the User-Agent header
  std::vector<std::string> resources;  // ARNs (at most kAuditMaxResources written)
  AuditOutcome outcome = AuditOutcome::kSuccess;
  std::string error_code;     // e.g. "AccessDeniedException"; "" on success
  std::string error_message;  // a fixed text of the server's, never the request's; may be ""
  std::string request_id;     // x-amzn-RequestId of the response
};

// Several denials of one source summed up (denial_aggregator.h):
//   {"eventTime":...,"eventSource":...,"eventName":"AggregatedDenials",
//    "sourceIPAddress":"10.1.2.3","outcome":"denied","errorCode":...,
//    ["errorMessage":...,]"count":N,"firstTime":...,"lastTime":...}
// For the sources beyond the aggregator's bound, source_ip is
// kOtherSources and event_source / error_code / error_message are those of
// the first.
inline constexpr std::string_view kOtherSources = "other sources";
struct DenialSummary {
  std::string event_source;
  std::string source_ip;
  std::string error_code;
  std::string error_message;
  uint64_t count = 0;
  std::chrono::system_clock::time_point first, last;
};

// The event as one JSON object on one line (no newline), stamped `time`.
std::string FormatAuditEvent(const AuditEvent& event, std::chrono::system_clock::time_point time);
std::string FormatDenialSummary(const DenialSummary& summary,
                                std::chrono::system_clock::time_point time);

// "2026-12-05T20:43:08Z" (UTC, whole seconds, as CloudTrail writes it).
std::string AuditTime(std::chrono::system_clock::time_point time);

// `text` with every byte outside printable ASCII replaced by '?', cut to
// `max` characters.
std::string SanitizeAuditText(std::string_view text, size_t max);

}  // namespace net
