// RevokeToken: ends one sign-in session, as aws-amplify v6's signOut asks.
// The refresh token stops refreshing ("Refresh Token has been revoked") and
// every access token issued in its session stops authorizing the pool's own
// operations ("Access Token has been revoked", through Authorize); the
// user's other sessions are untouched. Other verifiers of the access token
// (the Cruddur API) see only its signature and expiry, as with Cognito.
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/secrets.h"

namespace cruddur::userpool {
namespace {

// Three non-empty dot-separated parts: a JWT (the pool's access and ID
// tokens). The pool's refresh tokens are base64url without dots.
bool LooksLikeJwt(std::string_view token) {
  const size_t first = token.find('.');
  if (first == std::string_view::npos || first == 0) return false;
  const size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || second == first + 1) return false;
  return second + 1 < token.size() && token.find('.', second + 1) == std::string_view::npos;
}

}  // namespace

base::Result<std::string> PoolCore::RevokeToken(Request& req) {
  auto token = req.String("Token", shape::kAccessToken, true);
  auto client_id = req.String("ClientId", shape::kClientId, true);
  // The local app client has no secret: a ClientSecret is read and ignored,
  // as SecretHash is elsewhere.
  req.String("ClientSecret", shape::kClientSecret);
  RETURN_IF_ERROR(req.Check());
  // Guessed: another client is answered as every other operation answers it.
  RETURN_IF_ERROR(CheckClientId(*client_id));
  if (LooksLikeJwt(*token)) {
    // Guessed wording (the revocation endpoint answers unsupported_token_type).
    return PoolError(kUnsupportedTokenType, "Only refresh tokens can be revoked.");
  }
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(std::optional<StoredSession> session,
                   store_->FindSessionByRefreshHash(Sha256Hex(*token)));
  // A token the pool does not know, or one already revoked or expired, is
  // revoked already: success, as RFC 7009 has it (guessed for Cognito).
  if (session && !session->revoked) {
    RETURN_IF_ERROR(store_->RevokeSession(session->origin_jti));
  }
  return std::string("{}");
}

}  // namespace cruddur::userpool
