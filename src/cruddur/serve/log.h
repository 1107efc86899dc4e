// Log: the serve process's output. Access logs and events are JSON lines on
// standard output (one object per line, written whole under a lock, so lines
// from many threads never interleave); the start-up banner is for people and
// goes to standard error.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cruddur::serve {

// Writes `json_line` (one JSON object, no newline) and a newline to stdout,
// flushed. Thread-safe.
void WriteLogLine(std::string_view json_line);

// Writes {"time": <now ISO 8601 UTC>, "event": event, <fields...>} as one
// line; field values are strings, escaped.
void LogEvent(std::string_view event,
              const std::vector<std::pair<std::string, std::string>>& fields = {});

// The current time as "2026-11-25T16:08:29.123Z".
std::string NowIso8601();

}  // namespace cruddur::serve
