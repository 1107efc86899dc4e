// DynamoDB's error codes: the domain of every error the engine, its protocol
// and its server raise, and of the errors a DynamoDB endpoint returns to the
// AWS client.
//
// Each code is one exception DynamoDB (or DynamoDB Streams) answers with; its
// name (Error::Name(), ErrorCodeForName) is the exception's short name, as
// botocore reads it after the '#' of "__type". The wire form (the '__type'
// namespace, the HTTP status, the JSON body) is made at the protocol's edge
// (ddb/protocol/wire_error.h). The engine's layers use base::Error, Result
// and Status under their ddb:: names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "base/error.h"

namespace ddb {

using base::Error;
using base::Result;
using base::Status;

enum class ErrorCode {
  // Request shape and protocol.
  kValidation = 1,
  kSerialization,
  kUnknownOperation,
  kRequestEntityTooLarge,
  kRequestTimeout,
  // Authentication and authorisation.
  kMissingAuthenticationToken,
  kIncompleteSignature,
  kInvalidSignature,
  kUnrecognizedClient,
  kAccessDenied,
  // AccessDeniedException with HTTP 403: a request this server refuses to
  // serve at all (a browser origin or Host it does not trust).
  kRequestRefused,
  // The service.
  kInternalServerError,
  kServiceUnavailable,
  kThrottling,
  kRequestLimitExceeded,
  kProvisionedThroughputExceeded,
  kLimitExceeded,
  // Tables, items and transactions.
  kResourceNotFound,
  kResourceInUse,
  kConditionalCheckFailed,
  kItemCollectionSizeLimitExceeded,
  kTransactionCanceled,
  kTransactionConflict,
  kTransactionInProgress,
  kIdempotentParameterMismatch,
  kDuplicateItem,
  // Backups and point-in-time recovery.
  kTableNotFound,
  kTableAlreadyExists,
  kTableInUse,
  kBackupNotFound,
  kBackupInUse,
  kContinuousBackupsUnavailable,
  kPointInTimeRecoveryUnavailable,
  kInvalidRestoreTime,
  // Streams.
  kExpiredIterator,
  kTrimmedDataAccess,
  // Exports to and imports from S3 (a folder here: engine/export_root.h);
  // the import codes are reserved for ImportTable (not implemented yet).
  kExportNotFound,
  kExportConflict,
  kInvalidExportTime,
  kImportConflict,
  kImportNotFound,
};

// The "dynamodb" domain.
const std::error_category& ErrorCategory();
inline std::error_code make_error_code(ErrorCode c) {
  return {static_cast<int>(c), ErrorCategory()};
}

// The exception's short name of `code` ("ValidationException").
std::string_view ErrorCodeName(ErrorCode code);
// The code whose exception name is `name`; nullopt for a name DynamoDB does
// not use (or one this engine does not know).
std::optional<ErrorCode> ErrorCodeForName(std::string_view name);

// Constructors for the errors the engine raises most.
Error Validation(std::string message);
Error ResourceNotFound(std::string message = "Requested resource not found");
Error ResourceInUse(std::string message);
Error ConditionalCheckFailed(std::string message = "The conditional request failed");
Error Serialization(std::string message);
Error Internal(std::string message = "Internal server error");
Error LimitExceeded(std::string message);

}  // namespace ddb

template <>
struct std::is_error_code_enum<ddb::ErrorCode> : std::true_type {};
