#include "net/auth_error.h"

#include <string>

namespace net {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "aws-auth"; }
  std::string message(int value) const override {
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
};

}  // namespace

const std::error_category& AuthErrorCategory() {
  static const Category category;
  return category;
}

}  // namespace net
