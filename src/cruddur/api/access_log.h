// The access log: one JSON object per request, on one line, e.g.
//
//   {"time":"2026-11-24T00:23:27.123Z","request_id":"8J0...","method":"GET",
//    "path":"/api/message_groups","route":"/api/message_groups","status":200,
//    "duration_ms":1.734,"user":"<cognito sub>"}
//
// "route" is present when the path matched one, "user" (the token's sub)
// once the token verified, "error" (a lower layer's error name, such as
// "ConnectionError") when one decided the answer. The path is the request's
// without its query (cursors are long and say nothing), with bytes outside
// printable ASCII percent-encoded and at most kMaxLoggedPathBytes kept. No
// token, body or message text is ever logged.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace cruddur::api {

inline constexpr size_t kMaxLoggedPathBytes = 512;

struct AccessRecord {
  std::chrono::system_clock::time_point time;  // when the request arrived
  std::string_view request_id;
  std::string_view method;
  std::string_view path;   // without the query
  std::string_view route;  // empty: none matched
  unsigned status = 0;
  double duration_ms = 0;
  std::string_view user;   // empty: unknown
  std::string_view error;  // empty: none
  int transactions = 0;    // a send's transactions; 0: not a send (not logged)
};

// The record as one line of JSON (no trailing newline).
std::string AccessLogLine(const AccessRecord& record);

// "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC, milliseconds).
std::string FormatUtcMillis(std::chrono::system_clock::time_point time);

}  // namespace cruddur::api
