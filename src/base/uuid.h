// UUIDs in their 36-character text form (8-4-4-4-12 hexadecimal digits):
// random version-4 ones for new users, conversations, messages and tokens,
// and the checks on uuids that arrive from clients and databases.
//
// NewUuidV4 calls OpenSSL's CSPRNG: a file that uses it needs libcrypto
// linked (every layer that makes uuids links OpenSSL).
#pragma once

#include <openssl/rand.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace base {

// A random (version 4, RFC 4122 variant) uuid in lowercase 8-4-4-4-12 form,
// from OpenSSL's CSPRNG; nullopt only if the CSPRNG fails.
inline std::optional<std::string> NewUuidV4() {
  uint8_t b[16];
  if (RAND_bytes(b, sizeof b) != 1) return std::nullopt;
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0F]);
  }
  return out;
}

// True if `s` is 8-4-4-4-12 hexadecimal digits (either case; any version).
constexpr bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

// `s` with its hexadecimal digits lowercased if IsUuid(s), else nullopt.
inline std::optional<std::string> NormalizeUuid(std::string_view s) {
  if (!IsUuid(s)) return std::nullopt;
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace base
