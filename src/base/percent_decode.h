// Percent-decoding (RFC 3986 %XX escapes), in the two flavours the servers
// need: strict for paths and query parameters a handler acts on, lenient for
// SigV4's canonical forms, which must reproduce what the client signed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace base {

// 0-15 for a hex digit, -1 otherwise.
inline int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `s` decoded, or nullopt if a '%' is not followed by two hex digits. With
// `plus_is_space`, '+' decodes to ' ' (form encoding).
inline std::optional<std::string> PercentDecodeStrict(std::string_view s,
                                                      bool plus_is_space = false) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (s.size() - i < 3) return std::nullopt;
      const int hi = HexDigitValue(s[i + 1]), lo = HexDigitValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c == '+' && plus_is_space ? ' ' : c);
    }
  }
  return out;
}

// `s` decoded; a '%' not followed by two hex digits stays literal and '+'
// stays a plus (as SigV4's canonical query treats them).
inline std::string PercentDecodeLenient(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && s.size() - i >= 3) {
      const int hi = HexDigitValue(s[i + 1]), lo = HexDigitValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace base
