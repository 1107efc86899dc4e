// TokenVerifier: checks Cognito access tokens (RS256 JWTs) from an
// "Authorization: Bearer <token>" header and returns their claims.
//
// A token is accepted only if, in this order: the header alg is exactly
// "RS256" (so "none" and HS256-with-the-public-key are refused before any
// key is used) and there is no "crit"; its kid names a key of the pool's
// JWKS; the signature verifies; and the claims hold: exp (now < exp +
// leeway), nbf if present, iss == https://cognito-idp.<region>.amazonaws.com/<pool>,
// token_use == "access", client_id == the app client; sub and username are
// present. This fixes the reference's lib/cognito_jwt_token.py, which checked
// neither iss nor token_use nor the scheme, and never refreshed its keys.
//
// The JWKS comes from a JwksSource callback (jwks_http.h has one over HTTP).
// It is fetched on first use and cached; a token with an unknown kid causes
// at most one re-fetch (key rotation), and not more often than
// `min_refetch_interval`, so forged kids cannot turn into a fetch flood. A
// failed fetch is retried on use, also at most once per that interval.
//
// Thread-safe: any number of threads may call Verify at once; fetches are
// serialized and never block verification against the cached keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/auth/auth_error.h"
#include "cruddur/auth/jwks.h"

namespace cruddur::auth {

// Returns the JWKS document's text, or an error (any base::Error).
using JwksSource = std::function<base::Result<std::string>()>;

// Returns the current time. Injectable for tests.
using Clock = std::function<std::chrono::system_clock::time_point()>;

struct TokenVerifierConfig {
  std::string region;        // e.g. "us-east-1"; part of the expected iss
  std::string user_pool_id;  // e.g. "us-east-1_AbCdEf123"; part of the expected iss
  std::string client_id;     // the app client the token must be issued to; empty rejects all
  JwksSource jwks_source;    // required
  // Tolerated clock skew for exp and nbf.
  std::chrono::seconds leeway{30};
  // Unknown kids re-fetch the JWKS only if the last fetch (the first one
  // included) is at least this old; failed fetches are retried as often.
  std::chrono::seconds min_refetch_interval{30};
  // Longer tokens are rejected unparsed (Cognito's are ~1 KB).
  size_t max_token_bytes = 8192;
  // Empty for std::chrono::system_clock::now.
  Clock clock;
  // Tokens that verified are remembered (the whole token text is the key),
  // so a client's next requests with the same token skip the RSA check and
  // the JSON parse; only exp is checked again on a hit. At most this many
  // are kept (when full, expired ones are dropped, then all); 0 disables
  // the cache. A key removed from the JWKS does not revoke tokens already
  // remembered before their exp (as with any cached JWKS).
  size_t verified_cache_entries = 10000;
};

struct AccessTokenClaims {
  std::string sub;        // the Cognito user id
  std::string username;   // Cognito's username claim
  std::string client_id;  // the app client
  int64_t exp = 0;        // seconds since the epoch
};

// "https://cognito-idp.<region>.amazonaws.com/<user_pool_id>"
std::string CognitoIssuer(std::string_view region, std::string_view user_pool_id);

// The token of an Authorization header value "Bearer <token>" (the scheme is
// case-insensitive, exactly one space or more separates it). Errors:
// kMissingToken for an empty header or empty token, kBadScheme for any other
// scheme or a header with more than two parts. "Bearer null" (what the
// reference frontend sends without a session) is returned as the token
// "null", which then fails as kMalformed.
AuthResult<std::string> ExtractBearerToken(std::string_view authorization_header);

class TokenVerifier {
 public:
  explicit TokenVerifier(TokenVerifierConfig config);
  ~TokenVerifier();
  TokenVerifier(const TokenVerifier&) = delete;
  TokenVerifier& operator=(const TokenVerifier&) = delete;

  // Verifies the value of an Authorization header.
  AuthResult<AccessTokenClaims> VerifyAuthorizationHeader(std::string_view header) const;

  // Verifies a bare compact JWT.
  AuthResult<AccessTokenClaims> Verify(std::string_view token) const;

  // How many times the JwksSource has been invoked (for tests and metrics).
  int jwks_fetch_count() const;

  // How many Verify calls were answered from the verified-token cache.
  int64_t verified_cache_hits() const;

 private:
  struct Cache;
  struct Verified;
  // The full verification (no cache).
  AuthResult<AccessTokenClaims> VerifyUncached(std::string_view token) const;
  // The cached key set, fetching it first if it never was; error if the
  // fetch fails.
  AuthResult<std::shared_ptr<const Jwks>> CurrentKeys() const;
  // Re-fetches unless another thread already did since `seen`, or the last
  // fetch is younger than min_refetch_interval. Returns the newest key set.
  AuthResult<std::shared_ptr<const Jwks>> Refetch(const std::shared_ptr<const Jwks>& seen) const;
  std::chrono::system_clock::time_point Now() const;

  TokenVerifierConfig config_;
  std::string issuer_;
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<Verified> verified_;
};

}  // namespace cruddur::auth
