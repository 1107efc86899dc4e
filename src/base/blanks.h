// Trimming HTTP's optional whitespace (spaces and tabs, RFC 9110 "OWS")
// from header values and list items.
#pragma once

#include <string_view>

namespace base {

// `s` without leading and trailing spaces and tabs (a view into `s`).
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace base
