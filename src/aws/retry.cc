#include "aws/retry.h"

#include <algorithm>
#include <cmath>

#include "aws/client_error.h"
#include "ddb/common/error.h"

namespace aws {

RetryClass ClassifyError(const base::Error& error) {
  using ddb::ErrorCode;
  const std::error_code c = error.code;
  if (c == ErrorCode::kThrottling || c == ErrorCode::kProvisionedThroughputExceeded ||
      c == ErrorCode::kTransactionInProgress || c == ErrorCode::kRequestLimitExceeded ||
      c == ErrorCode::kLimitExceeded || c == ClientErrorCode::kThrottled) {
    return RetryClass::kThrottling;
  }
  if (c == ErrorCode::kRequestTimeout || c == ErrorCode::kInternalServerError ||
      c == ErrorCode::kServiceUnavailable || c == ErrorCode::kTransactionConflict ||
      c == ClientErrorCode::kConnection || c == ClientErrorCode::kTimeout ||
      c == ClientErrorCode::kChecksum || c == ClientErrorCode::kServerError) {
    return RetryClass::kTransient;
  }
  return RetryClass::kNotRetryable;
}

std::chrono::milliseconds BackoffCeiling(const RetryPolicy& policy, int failed_attempt) {
  int exponent = std::clamp(failed_attempt - 1, 0, 40);
  double ceiling = static_cast<double>(policy.base_delay.count()) * std::ldexp(1.0, exponent);
  double cap = static_cast<double>(policy.max_backoff.count());
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(ceiling, cap)));
}

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failed_attempt,
                                       double random) {
  random = std::clamp(random, 0.0, 1.0);
  auto ceiling = BackoffCeiling(policy, failed_attempt).count();
  auto delay = static_cast<int64_t>(std::floor(random * static_cast<double>(ceiling)));
  return std::chrono::milliseconds(std::min<int64_t>(delay, ceiling));
}

}  // namespace aws
