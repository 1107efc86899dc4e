// Random secrets and their digests: refresh tokens, challenge sessions,
// confirmation codes and temporary passwords, all from OpenSSL's CSPRNG.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.h"

namespace cruddur::userpool {

// `bytes` random bytes, base64url-encoded without padding (32 bytes -> 43
// characters, 256 bits). InternalErrorException if the CSPRNG fails.
base::Result<std::string> RandomToken(size_t bytes);

// `digits` uniformly random decimal digits (a confirmation code).
base::Result<std::string> RandomDigits(int digits);

// A random 16-character password that meets Cognito's default policy (for
// AdminCreateUser without TemporaryPassword).
base::Result<std::string> RandomTemporaryPassword();

// Lowercase hex of SHA-256(data): how the pool stores refresh tokens,
// challenge sessions and confirmation codes.
std::string Sha256Hex(std::string_view data);

// True iff a and b are equal, in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace cruddur::userpool
