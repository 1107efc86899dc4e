// Jwks: the RSA signing keys of a JSON Web Key Set (RFC 7517), by "kid".
//
// Only keys usable for RS256 are kept: kty "RSA", "use" absent or "sig",
// "alg" absent or "RS256", with a kid and valid n/e. Other keys (EC keys,
// encryption keys, malformed entries) are skipped, not errors, so that a
// pool adding a new key type does not break verification.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "cruddur/auth/auth_error.h"
#include "cruddur/auth/rsa_public_key.h"

namespace cruddur::auth {

class Jwks {
 public:
  // Parses `{"keys": [...]}`. Errors (kJwksUnavailable): not JSON, not an
  // object, or no "keys" array. An empty set of usable keys is not an error.
  static AuthResult<Jwks> Parse(std::string_view json);

  // The key with this kid, or nullptr. Valid as long as this Jwks lives.
  const RsaPublicKey* Find(std::string_view kid) const;

  size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, RsaPublicKey, std::less<>> keys_;
};

}  // namespace cruddur::auth
