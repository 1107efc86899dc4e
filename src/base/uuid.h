// UUIDs in their 36-character text form (8-4-4-4-12 hexadecimal digits):
// random version-4 ones for new users, conversations, messages and tokens,
// and the checks on uuids that arrive from clients and databases.
//
// NewUuidV4 calls OpenSSL's CSPRNG: a file that uses it needs libcrypto
// linked (every layer that makes uuids links OpenSSL).
#pragma once

#include <openssl/rand.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace base {

namespace internal {
// 16 bytes from OpenSSL's CSPRNG, drawn 32 uuids' worth at a time per thread:
// one RAND_bytes call costs about as much as a GetItem of the engine, and a
// message send makes two uuids. A forked child draws afresh (the pid is
// checked), so parent and child never hand out the same bytes.
inline bool RandomUuidBytes(uint8_t out[16]) {
  struct Pool {
    uint8_t bytes[512];
    size_t used = sizeof bytes;
    pid_t pid = 0;
  };
  thread_local Pool pool;
  const pid_t pid = getpid();
  if (pool.used == sizeof pool.bytes || pool.pid != pid) {
    if (RAND_bytes(pool.bytes, sizeof pool.bytes) != 1) return false;
    pool.used = 0;
    pool.pid = pid;
  }
  std::memcpy(out, pool.bytes + pool.used, 16);
  std::memset(pool.bytes + pool.used, 0, 16);  // handed out once
  pool.used += 16;
  return true;
}
}  // namespace internal

// A random (version 4, RFC 4122 variant) uuid in lowercase 8-4-4-4-12 form,
// from OpenSSL's CSPRNG; nullopt only if the CSPRNG fails.
inline std::optional<std::string> NewUuidV4() {
  uint8_t b[16];
  if (!internal::RandomUuidBytes(b)) return std::nullopt;
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
