// Checks on the text a caller hands the directory, done before any SQL runs so
// that both backends reject bad input the same way (PostgreSQL would refuse
// invalid UTF-8 and NUL bytes that SQLite stores).
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace cruddur::users {

// OK if `value` is non-empty, valid UTF-8, at most kMaxFieldBytes long and free
// of control characters; otherwise kInvalidUserInput naming `field`.
base::Status CheckField(std::string_view field, std::string_view value);

// base::NormalizeUuid as this layer's Result: `uuid` in lowercase if it has
// the 8-4-4-4-12 hex form; otherwise kInvalidUserInput.
base::Result<std::string> NormalizeUuid(std::string_view uuid);

// True if `s` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace cruddur::users
