// Message timestamps: the one format Cruddur writes, and the forms it reads.
//
// New data is written as UTC with microseconds and an explicit offset, fixed
// width so that the strings sort lexically in time order (they are sort keys):
//
//   2026-11-24T00:23:27.123456+00:00
//
// Readers also accept what the reference wrote (docs/DESIGN.md §10.2):
// Python's naive `datetime.now().isoformat()` ("2023-03-20T22:30:15.123456",
// or without ".ffffff" when the microseconds are 0), taken as UTC as the
// reference's containers and frontend do; and any ISO 8601 offset (`Z`,
// `+05:30`), converted to UTC.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/messaging/errors.h"

namespace cruddur::messaging {

// Microseconds since the Unix epoch, UTC.
using Micros = int64_t;

// Length of the fixed format: "YYYY-MM-DDTHH:MM:SS.ffffff+00:00".
inline constexpr size_t kTimestampLength = 32;

// `t` in the fixed format. Years outside 0000..9999 are clamped into it.
std::string FormatTimestamp(Micros t);

// The current time (system clock), in microseconds.
Micros NowMicros();

// Parses "YYYY-MM-DDTHH:MM:SS[.f{1,6}][Z|+HH:MM|-HH:MM]"; no offset means UTC.
// Errors (kInvalidTimestamp, naming the text): any other shape, an impossible
// date or time, more than 6 fractional digits.
base::Result<Micros> ParseTimestamp(std::string_view text);

// The fixed form of `text`, an accepted timestamp that parsed to `t`:
// `text` itself when it is already in that form (what Cruddur writes), else
// FormatTimestamp(t).
std::string FixedForm(std::string_view text, Micros t);

// The fixed form of any accepted timestamp: FixedForm(text, ParseTimestamp()).
base::Result<std::string> NormalizeTimestamp(std::string_view text);

// For display: "2026-11-24 00:23" (UTC) from a fixed-format or accepted
// timestamp; the text itself if it does not parse.
std::string DisplayDateTime(std::string_view text);

}  // namespace cruddur::messaging
