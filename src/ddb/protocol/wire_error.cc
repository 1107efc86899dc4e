#include "ddb/protocol/wire_error.h"

#include <optional>

namespace ddb::protocol {
namespace {

std::optional<ErrorCode> DynamoDbCode(const Error& error) {
  if (error.code.category() != ErrorCategory()) return std::nullopt;
  return static_cast<ErrorCode>(error.code.value());
}

std::string_view Namespace(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "com.amazon.coral.validate";
    case ErrorCode::kSerialization:
    case ErrorCode::kUnknownOperation:
    case ErrorCode::kMissingAuthenticationToken:
    case ErrorCode::kIncompleteSignature:
    case ErrorCode::kInvalidSignature:
    case ErrorCode::kUnrecognizedClient:
    case ErrorCode::kAccessDenied:
    case ErrorCode::kRequestRefused:
    case ErrorCode::kRequestEntityTooLarge:
      return "com.amazon.coral.service";
    default:
      return "com.amazonaws.dynamodb.v20120810";
  }
}

}  // namespace

std::string WireType(const Error& error) {
  const ErrorCode code = DynamoDbCode(error).value_or(ErrorCode::kInternalServerError);
  std::string out(Namespace(code));
  out += '#';
  out += ErrorCodeName(code);
  return out;
}

int WireStatus(const Error& error) {
  switch (DynamoDbCode(error).value_or(ErrorCode::kInternalServerError)) {
    case ErrorCode::kInternalServerError:
      return 500;
    case ErrorCode::kServiceUnavailable:
      return 503;
    case ErrorCode::kRequestEntityTooLarge:
      return 413;
    case ErrorCode::kRequestTimeout:
      return 408;
    case ErrorCode::kRequestRefused:
      return 403;
    default:
      return 400;
  }
}

}  // namespace ddb::protocol
