#include "aws/retry.h"

#include <algorithm>
#include <cmath>

#include "aws/http_client.h"

namespace aws {

namespace {

bool OneOf(std::string_view s, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

}  // namespace

RetryClass ClassifyError(const ddb::Error& error) {
  const std::string_view t = error.type;
  if (OneOf(t,
            {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
             "TooManyRequestsException", "ProvisionedThroughputExceededException",
             "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
             "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException"})) {
    return RetryClass::kThrottling;
  }
  if (OneOf(t, {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
                "InternalServerError", "ServiceUnavailable", "TransactionConflictException",
                kConnectionError, kTimeoutError, kChecksumError})) {
    return RetryClass::kTransient;
  }
  const int s = error.http_status;
  if (s == 500 || s == 502 || s == 503 || s == 504) return RetryClass::kTransient;
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
