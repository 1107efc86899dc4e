// When the client tries a call again, and how long it waits first.
//
// Classification follows the AWS SDKs' "standard" retry mode (botocore
// retries/standard.py, the Java and Go SDKs' RetryableErrors):
//  - throttling: the SDKs' throttling codes - Throttling, ThrottlingException,
//    ThrottledException, RequestThrottledException, TooManyRequestsException,
//    ProvisionedThroughputExceededException, TransactionInProgressException,
//    RequestLimitExceeded, BandwidthLimitExceeded, LimitExceededException,
//    RequestThrottled, SlowDown, EC2ThrottledException;
//  - transient: RequestTimeout, RequestTimeoutException,
//    PriorRequestNotComplete, InternalServerError, ServiceUnavailable, any
//    HTTP 500/502/503/504, the client's own ConnectionError and TimeoutError,
//    and ChecksumError (a body that fails x-amz-crc32, which botocore retries
//    for DynamoDB);
//  - also TransactionConflictException, which DynamoDB's error-handling
//    table marks "OK to retry" (the SDKs leave it to the caller);
//  - nothing else: every other 4xx is the caller's mistake and retrying it
//    cannot help.
// By code: DynamoDB's codes for the names DynamoDB uses, and for any other
// service's names the ClientErrorCode that ParseErrorResponse gives them
// (kThrottled, kServerError).
//
// Backoff is exponential with "full jitter": before attempt n+1 the client
// sleeps a uniformly random time in [0, min(max_backoff, base * 2^(n-1))].
#pragma once

#include <chrono>
#include <string_view>

#include "base/error.h"

namespace aws {

struct RetryPolicy {
  // Attempts per call, the first included (the SDKs' standard mode: 3).
  // 1 disables retries.
  int max_attempts = 3;
  // Ceiling of the first backoff; doubles with each failed attempt.
  std::chrono::milliseconds base_delay{50};
  // Ceiling of any single backoff (the SDKs use 20 s).
  std::chrono::milliseconds max_backoff{20000};
};

enum class RetryClass { kNotRetryable, kThrottling, kTransient };

RetryClass ClassifyError(const base::Error& error);

inline bool IsRetryable(const base::Error& error) {
  return ClassifyError(error) != RetryClass::kNotRetryable;
}

// min(max_backoff, base_delay * 2^(failed_attempt-1)); failed_attempt >= 1.
std::chrono::milliseconds BackoffCeiling(const RetryPolicy& policy, int failed_attempt);

// The full-jitter delay after `failed_attempt` for a uniform `random` in
// [0, 1): floor(random * BackoffCeiling).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int failed_attempt,
                                       double random);

}  // namespace aws
