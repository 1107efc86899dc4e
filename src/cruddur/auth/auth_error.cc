#include "cruddur/auth/auth_error.h"

namespace cruddur::auth {

std::string_view AuthErrorCodeName(AuthErrorCode code) {
  switch (code) {
    case AuthErrorCode::kMissingToken:
      return "missing_token";
    case AuthErrorCode::kBadScheme:
      return "bad_scheme";
    case AuthErrorCode::kMalformed:
      return "malformed";
    case AuthErrorCode::kBadAlgorithm:
      return "bad_algorithm";
    case AuthErrorCode::kUnknownKey:
      return "unknown_key";
    case AuthErrorCode::kJwksUnavailable:
      return "jwks_unavailable";
    case AuthErrorCode::kBadSignature:
      return "bad_signature";
    case AuthErrorCode::kExpired:
      return "expired";
    case AuthErrorCode::kNotYetValid:
      return "not_yet_valid";
    case AuthErrorCode::kBadIssuer:
      return "bad_issuer";
    case AuthErrorCode::kBadTokenUse:
      return "bad_token_use";
    case AuthErrorCode::kBadClient:
      return "bad_client";
  }
  return "unknown";
}

}  // namespace cruddur::auth
