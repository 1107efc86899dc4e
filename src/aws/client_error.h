// The AWS client's own errors: the "aws-client" domain. A failure on the
// client's side (configuration, credentials, endpoint, the connection, a
// timeout, a corrupt response) has one of these codes; so has an error a
// service answered with whose name the service's decoder does not know
// (AwsService::decode_error).
#pragma once

#include <string>
#include <system_error>
#include <type_traits>

#include "base/error.h"

namespace aws {

enum class ClientErrorCode {
  // A config or credentials file that exists but cannot be read or parsed.
  kConfig = 1,
  // No usable credentials (or partial ones) in the environment or files.
  kNoCredentials,
  // An endpoint URL that cannot be used.
  kEndpoint,
  // Resolving, connecting, TLS or I/O failed: no response was received.
  kConnection,
  // A timeout elapsed before a response arrived.
  kTimeout,
  // A response whose x-amz-crc32 does not match its body.
  kChecksum,
  // A successful response whose body is not JSON.
  kInvalidResponse,
  // A service's error whose name its decoder does not know; the message is
  // "<Name>: <message>". Status 4xx, or 5xx when kServerError.
  kServiceError,
  // Such an unknown error that is a throttling signal by its name (as the
  // SDKs' standard retry mode lists them: "Throttling", "SlowDown", ...).
  kThrottled,
  // Such an unknown error answered with HTTP 500, 502, 503 or 504, or with a
  // transient name ("RequestTimeout", "PriorRequestNotComplete").
  kServerError,
  // UnknownOperationException from a service without a decoder: the
  // endpoint does not implement the operation (the protocol-level name every
  // AWS JSON service uses).
  kUnknownOperation,
  // The server's TLS certificate did not verify against the trusted CAs
  // (ca_bundle.h) or does not name the host. Not retried: another attempt
  // meets the same certificate.
  kUntrustedCertificate,
};

const std::error_category& ClientErrorCategory();
inline std::error_code make_error_code(ClientErrorCode c) {
  return {static_cast<int>(c), ClientErrorCategory()};
}

// A client-side error with a one-line `message`.
base::Error ClientError(ClientErrorCode code, std::string message);

}  // namespace aws

template <>
struct std::is_error_code_enum<aws::ClientErrorCode> : std::true_type {};
