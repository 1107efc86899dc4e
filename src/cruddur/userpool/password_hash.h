// Password hashes: salted scrypt (OpenSSL EVP_PBE_scrypt), stored as a
// self-describing string so the cost can change without breaking old hashes:
//
//   $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt, base64url>$<32-byte key, base64url>
//
// A fresh 16-byte salt per hash; r = 8, p = 1.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace cruddur::userpool {

// The accepted range of log2(N), for new hashes and for stored ones (so a
// corrupted database cannot make a verification allocate gigabytes).
inline constexpr int kMinScryptLog2N = 1;
inline constexpr int kMaxScryptLog2N = 18;

// Hashes `password` with N = 2^log2_n. InvalidParameterException for log2_n
// outside [kMinScryptLog2N, kMaxScryptLog2N]; InternalErrorException if
// OpenSSL fails (randomness, memory).
base::Result<std::string> HashPassword(std::string_view password, int log2_n);

// True iff `stored` is a well-formed hash (of any accepted cost) of
// `password`. Compares in constant time. A malformed `stored` (including "")
// never matches.
bool VerifyPassword(std::string_view password, std::string_view stored);

}  // namespace cruddur::userpool
