#include "ddb/common/error.h"

namespace ddb {

std::string Error::FullType() const {
  if (!type_namespace.empty()) return type_namespace + "#" + type;
  if (type == "ValidationException") return "com.amazon.coral.validate#" + type;
  if (type == "SerializationException" || type == "UnknownOperationException" ||
      type == "MissingAuthenticationTokenException" || type == "IncompleteSignatureException" ||
      type == "InvalidSignatureException" || type == "UnrecognizedClientException" ||
      type == "AccessDeniedException" || type == "RequestEntityTooLargeException") {
    return "com.amazon.coral.service#" + type;
  }
  return "com.amazonaws.dynamodb.v20120810#" + type;
}

Error Validation(std::string message) { return Error{"ValidationException", std::move(message)}; }
Error ResourceNotFound(std::string message) {
  return Error{"ResourceNotFoundException", std::move(message)};
}
Error ResourceInUse(std::string message) {
  return Error{"ResourceInUseException", std::move(message)};
}
Error ConditionalCheckFailed(std::string message) {
  return Error{"ConditionalCheckFailedException", std::move(message)};
}
Error Serialization(std::string message) {
  return Error{"SerializationException", std::move(message)};
}
Error Internal(std::string message) {
  return Error{"InternalServerError", std::move(message), 500};
}
Error LimitExceeded(std::string message) {
  return Error{"LimitExceededException", std::move(message)};
}

}  // namespace ddb
