#include "aws/client_error.h"

#include <utility>

namespace aws {
namespace {

// The name of the code `value` of this domain.
std::string_view CodeName(int value) {
  switch (static_cast<ClientErrorCode>(value)) {
    case ClientErrorCode::kConfig:
      return "ConfigError";
    case ClientErrorCode::kNoCredentials:
      return "NoCredentialsError";
    case ClientErrorCode::kEndpoint:
      return "EndpointError";
    case ClientErrorCode::kConnection:
      return "ConnectionError";
    case ClientErrorCode::kTimeout:
      return "TimeoutError";
    case ClientErrorCode::kChecksum:
      return "ChecksumError";
    case ClientErrorCode::kInvalidResponse:
      return "InvalidResponseError";
    case ClientErrorCode::kServiceError:
      return "ServiceError";
    case ClientErrorCode::kThrottled:
      return "Throttled";
    case ClientErrorCode::kServerError:
      return "ServerError";
    case ClientErrorCode::kUnknownOperation:
      return "UnknownOperation";
    case ClientErrorCode::kUntrustedCertificate:
      return "SSLError";  // botocore's name for it
  }
  return "ClientError";
}

}  // namespace

const std::error_category& ClientErrorCategory() {
  static const base::NamedCategory category("aws-client", &CodeName);
  return category;
}

base::Error ClientError(ClientErrorCode code, std::string message) {
  return base::Error(code, std::move(message));
}

}  // namespace aws
