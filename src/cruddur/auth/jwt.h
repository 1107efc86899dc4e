// Jwt: a compact-serialized JSON Web Token (RFC 7519) split into its parts,
// before any signature or claim is trusted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cruddur/auth/auth_error.h"

namespace cruddur::auth {

struct Jwt {
  // From the JOSE header (a JSON object).
  std::string alg;                 // "" when absent or not a string
  std::optional<std::string> kid;  // nullopt when absent or not a string
  bool has_crit = false;           // a "crit" member is present
  // The decoded payload bytes (not yet parsed; parse only after verifying).
  std::string payload_json;
  // "<header b64>.<payload b64>": the bytes the signature covers.
  std::string signing_input;
  // The decoded signature bytes (may be empty, e.g. for alg "none").
  std::string signature;
};

// Splits `token` into exactly three '.'-separated base64url parts, decodes
// them and parses the header. Errors, all kMalformed: longer than
// `max_bytes`, not three parts, an empty header or payload, bad base64url,
// a header that is not a JSON object.
AuthResult<Jwt> ParseJwt(std::string_view token, size_t max_bytes);

}  // namespace cruddur::auth
