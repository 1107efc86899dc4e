// Mix64: the splitmix64 finalizer, for deriving stable identifiers (table
// ids, backup and stream ARNs, event ids) from counters. Not for security.
#pragma once

#include <cstdint>

namespace ddb {

inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace ddb
