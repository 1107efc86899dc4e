#include "net/auth_error.h"

#include <string>

namespace net {
namespace {

// The name of the code `value` of this domain.
std::string_view CodeName(int value) {
  switch (static_cast<AuthErrorCode>(value)) {
    case AuthErrorCode::kMissingAuthenticationToken:
      return "MissingAuthenticationTokenException";
    case AuthErrorCode::kIncompleteSignature:
      return "IncompleteSignatureException";
    case AuthErrorCode::kInvalidSignature:
      return "InvalidSignatureException";
    case AuthErrorCode::kUnrecognizedClient:
      return "UnrecognizedClientException";
    case AuthErrorCode::kAccessDenied:
    case AuthErrorCode::kRequestRefused:
      return "AccessDeniedException";
  }
  return "UnknownAuthError";
}

}  // namespace

const std::error_category& AuthErrorCategory() {
  static const base::NamedCategory category("aws-auth", &CodeName);
  return category;
}

}  // namespace net
