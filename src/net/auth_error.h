// The errors every AWS service answers a request's credentials with, before
// any service-specific check: the "aws-auth" domain. Their names are the same
// on every service's wire (DynamoDB and Cognito alike), so each edge writes
// them with Error::Name() (kAccessDenied and kRequestRefused are both
// "AccessDeniedException"; the edge tells them apart by HTTP status).
#pragma once

#include <system_error>
#include <type_traits>

#include "base/error.h"

namespace net {

enum class AuthErrorCode {
  // No Authorization header or query-string signature.
  kMissingAuthenticationToken = 1,
  // A signature lacking a required piece (Credential, SignedHeaders, ...).
  kIncompleteSignature,
  // A signature that is malformed, stale, or does not match.
  kInvalidSignature,
  // An access key id the server does not know.
  kUnrecognizedClient,
  // A verified caller without the permission for the request (HTTP 400).
  kAccessDenied,
  // A request the server refuses to serve at all: a browser origin or Host
  // it does not trust (AccessDeniedException with HTTP 403).
  kRequestRefused,
};

const std::error_category& AuthErrorCategory();
inline std::error_code make_error_code(AuthErrorCode c) {
  return {static_cast<int>(c), AuthErrorCategory()};
}

}  // namespace net

template <>
struct std::is_error_code_enum<net::AuthErrorCode> : std::true_type {};
