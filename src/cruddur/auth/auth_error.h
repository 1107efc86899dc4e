// AuthError and AuthResult: how token verification reports a rejected token.
//
// Every rejection carries a reason code (for logs and tests) and a short
// message. An HTTP layer answers every one of them with 401 except
// kJwksUnavailable, where the server could not learn the pool's keys (the
// token may be fine); mapping that one to 401 or 503 is the caller's choice.
// Nothing in src/cruddur/auth throws.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/error.h"

namespace cruddur::auth {

enum class AuthErrorCode {
  kMissingToken,     // no Authorization header, or an empty token
  kBadScheme,        // the header is not "Bearer <token>"
  kMalformed,        // not three base64url parts, bad JSON, missing claims, too long
  kBadAlgorithm,     // header alg is not RS256 (none, HS256, ...) or has "crit"
  kUnknownKey,       // no kid, or kid not in the JWKS even after one refetch
  kJwksUnavailable,  // the JWKS could not be fetched or parsed
  kBadSignature,     // RS256 signature does not verify
  kExpired,          // now >= exp + leeway
  kNotYetValid,      // now + leeway < nbf
  kBadIssuer,        // iss != https://cognito-idp.<region>.amazonaws.com/<pool>
  kBadTokenUse,      // token_use != "access" (e.g. an ID token)
  kBadClient,        // client_id != the configured app client
};

// Stable lowercase name of a code, e.g. "bad_signature".
std::string_view AuthErrorCodeName(AuthErrorCode code);

struct AuthError {
  AuthErrorCode code;
  std::string message;
};

// Either a T or an AuthError.
template <typename T>
using AuthResult = base::Result<T, AuthError>;

}  // namespace cruddur::auth
