#include "ddb/common/error.h"

#include <array>
#include <utility>

namespace ddb {
namespace {

using enum ErrorCode;

constexpr std::array<std::pair<ErrorCode, std::string_view>, 41> kNames{{
    {kValidation, "ValidationException"},
    {kSerialization, "SerializationException"},
    {kUnknownOperation, "UnknownOperationException"},
    {kRequestEntityTooLarge, "RequestEntityTooLargeException"},
    {kRequestTimeout, "RequestTimeoutException"},
    {kMissingAuthenticationToken, "MissingAuthenticationTokenException"},
    {kIncompleteSignature, "IncompleteSignatureException"},
    {kInvalidSignature, "InvalidSignatureException"},
    {kUnrecognizedClient, "UnrecognizedClientException"},
    {kAccessDenied, "AccessDeniedException"},
    {kRequestRefused, "AccessDeniedException"},
    {kInternalServerError, "InternalServerError"},
    {kServiceUnavailable, "ServiceUnavailable"},
    {kThrottling, "ThrottlingException"},
    {kRequestLimitExceeded, "RequestLimitExceeded"},
    {kProvisionedThroughputExceeded, "ProvisionedThroughputExceededException"},
    {kLimitExceeded, "LimitExceededException"},
    {kResourceNotFound, "ResourceNotFoundException"},
    {kResourceInUse, "ResourceInUseException"},
    {kConditionalCheckFailed, "ConditionalCheckFailedException"},
    {kItemCollectionSizeLimitExceeded, "ItemCollectionSizeLimitExceededException"},
    {kTransactionCanceled, "TransactionCanceledException"},
    {kTransactionConflict, "TransactionConflictException"},
    {kTransactionInProgress, "TransactionInProgressException"},
    {kIdempotentParameterMismatch, "IdempotentParameterMismatchException"},
    {kDuplicateItem, "DuplicateItemException"},
    {kTableNotFound, "TableNotFoundException"},
    {kTableAlreadyExists, "TableAlreadyExistsException"},
    {kTableInUse, "TableInUseException"},
    {kBackupNotFound, "BackupNotFoundException"},
    {kBackupInUse, "BackupInUseException"},
    {kContinuousBackupsUnavailable, "ContinuousBackupsUnavailableException"},
    {kPointInTimeRecoveryUnavailable, "PointInTimeRecoveryUnavailableException"},
    {kInvalidRestoreTime, "InvalidRestoreTimeException"},
    {kExpiredIterator, "ExpiredIteratorException"},
    {kTrimmedDataAccess, "TrimmedDataAccessException"},
    {kExportNotFound, "ExportNotFoundException"},
    {kExportConflict, "ExportConflictException"},
    {kInvalidExportTime, "InvalidExportTimeException"},
    {kImportConflict, "ImportConflictException"},
    {kImportNotFound, "ImportNotFoundException"},
}};

// The name of the code `value` of this domain.
std::string_view CodeName(int value) { return ErrorCodeName(static_cast<ErrorCode>(value)); }

}  // namespace

const std::error_category& ErrorCategory() {
  static const base::NamedCategory category("dynamodb", &CodeName);
  return category;
}

std::string_view ErrorCodeName(ErrorCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "UnknownError";
}

std::optional<ErrorCode> ErrorCodeForName(std::string_view name) {
  // kAccessDenied comes before kRequestRefused, so the name decodes to it.
  for (const auto& [c, n] : kNames) {
    if (n == name) return c;
  }
  return std::nullopt;
}

Error Validation(std::string message) { return Error(kValidation, std::move(message)); }
Error ResourceNotFound(std::string message) { return Error(kResourceNotFound, std::move(message)); }
Error ResourceInUse(std::string message) { return Error(kResourceInUse, std::move(message)); }
Error ConditionalCheckFailed(std::string message) {
  return Error(kConditionalCheckFailed, std::move(message));
}
Error Serialization(std::string message) { return Error(kSerialization, std::move(message)); }
Error Internal(std::string message) { return Error(kInternalServerError, std::move(message)); }
Error LimitExceeded(std::string message) { return Error(kLimitExceeded, std::move(message)); }

}  // namespace ddb
