#include "cruddur/users/field_checks.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "base/uuid.h"
#include "cruddur/users/errors.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte, overlong lead (C0, C1) or F5..FF
    }
    if (i + extra >= s.size()) return false;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) return false;  // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;                                // surrogate
    if (cp > 0x10FFFF) return false;
    i += extra + 1;
  }
  return true;
}

base::Status CheckField(std::string_view field, std::string_view value) {
  if (value.empty()) return InvalidInputError(std::string(field) + " must not be empty");
  if (value.size() > kMaxFieldBytes) {
    return InvalidInputError(std::string(field) + " is longer than " +
                             std::to_string(kMaxFieldBytes) + " bytes");
  }
  for (char ch : value) {
    const auto c = static_cast<uint8_t>(ch);
    if (c < 0x20 || c == 0x7F) {
      return InvalidInputError(std::string(field) + " contains a control character");
    }
  }
  if (!IsValidUtf8(value)) return InvalidInputError(std::string(field) + " is not valid UTF-8");
  return base::Status::Ok();
}

base::Result<std::string> NormalizeUuid(std::string_view uuid) {
  // The input is not echoed: it may be anything, including invalid UTF-8.
  std::optional<std::string> normalized = base::NormalizeUuid(uuid);
  if (!normalized) {
    return InvalidInputError("not a uuid (expected 8-4-4-4-12 hexadecimal digits)");
  }
  return std::move(*normalized);
}

}  // namespace cruddur::users
