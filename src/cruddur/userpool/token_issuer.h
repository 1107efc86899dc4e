// TokenIssuer: mints the pool's access and ID tokens (RS256 JWTs with
// Cognito's claims) and checks access tokens presented back to the pool.
//
// Access token claims: sub, iss, client_id, origin_jti, event_id, token_use
// "access", scope "aws.cognito.signin.user.admin", auth_time, exp, iat, jti,
// username. ID token claims: sub, the user's other attributes (email_verified
// and phone_number_verified as JSON booleans, the rest as strings), iss,
// cognito:username, origin_jti, aud (the client id), event_id, token_use
// "id", auth_time, exp, iat, jti. The header is {"kid":..,"alg":"RS256"}.
//
// Immutable and thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/userpool/pool_types.h"
#include "cruddur/userpool/signing_key.h"

namespace cruddur::userpool {

struct MintedTokens {
  std::string access_token;
  std::string id_token;
};

// What the pool needs from an access token it accepted.
struct AccessTokenClaims {
  std::string sub;
  std::string username;
  std::string origin_jti;  // the sign-in session the token belongs to
  int64_t exp = 0;
};

class TokenIssuer {
 public:
  TokenIssuer(std::shared_ptr<const SigningKey> key, std::string issuer, std::string client_id,
              std::chrono::seconds access_validity, std::chrono::seconds id_validity);

  // An access token and an ID token for `user` in session `origin_jti`
  // (signed in at `auth_time`), issued at `now` (epoch seconds).
  base::Result<MintedTokens> Mint(const PoolUser& user, std::string_view origin_jti,
                                  int64_t auth_time, int64_t now) const;

  // The claims of an access token this issuer minted, valid at `now`.
  // Errors, all NotAuthorizedException: "Invalid Access Token" (not a JWT,
  // not RS256, another kid, bad signature, not an access token of this pool
  // and client, claims missing) and "Access Token has expired".
  // Revocation is the caller's business (it knows the sessions).
  base::Result<AccessTokenClaims> VerifyAccessToken(std::string_view token, int64_t now) const;

 private:
  base::Result<std::string> Sign(std::string_view payload_json) const;

  std::shared_ptr<const SigningKey> key_;
  std::string issuer_;
  std::string client_id_;
  int64_t access_validity_;
  int64_t id_validity_;
};

}  // namespace cruddur::userpool
