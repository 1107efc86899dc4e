// ASCII case folding for protocol tokens (header names and values, media
// types, schemes, hex digits): only 'A'-'Z' fold; every other byte, UTF-8
// included, compares as itself, whatever the process's locale.
#pragma once

#include <string>
#include <string_view>

namespace base {

// `c` with 'A'-'Z' mapped to 'a'-'z'; any other byte unchanged.
constexpr char AsciiToLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// A copy of `s` with AsciiToLower applied to every byte.
inline std::string AsciiLowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiToLower(c);
  return out;
}

// True if `a` and `b` have the same length and are equal byte for byte after
// AsciiToLower.
constexpr bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiToLower(a[i]) != AsciiToLower(b[i])) return false;
  }
  return true;
}

}  // namespace base
