// The query-string ("presigned URL") form of AWS Signature Version 4: the
// X-Amz-* parameters a presigned request carries, decoded, and the query
// string the signature covers (every parameter but X-Amz-Signature).
//
//   ?X-Amz-Algorithm=AWS4-HMAC-SHA256
//   &X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fdynamodb%2Faws4_request
//   &X-Amz-Date=20150830T123600Z&X-Amz-Expires=900
//   &X-Amz-SignedHeaders=host%3Bx-amz-target&X-Amz-Signature=<hex>
//   [&X-Amz-Security-Token=...]
//
// Parsing only; sigv4_verifier.h checks what the values say.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aws {

struct PresignedParams {
  // Percent-decoded values; a parameter that is absent is "".
  std::string algorithm;
  std::string credential;  // "AKID/20150830/us-east-1/dynamodb/aws4_request"
  std::string date;        // X-Amz-Date
  std::string expires;     // X-Amz-Expires, seconds as text
  std::string signed_headers;
  std::string signature;
  std::string security_token;
  // The raw query string without the X-Amz-Signature pair: what the
  // signature covers (canonicalized by CanonicalQueryString).
  std::string signed_query;
};

// The presigned parameters of `raw_query` (without '?'), or nullopt when it
// carries no X-Amz-Algorithm parameter (the request is not presigned).
std::optional<PresignedParams> ParsePresignedQuery(std::string_view raw_query);

// The valid range of X-Amz-Expires, in seconds (as AWS: 1 second to 7 days).
inline constexpr long long kMaxPresignedExpiresSeconds = 604800;

}  // namespace aws
