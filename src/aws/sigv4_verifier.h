// Verification of SigV4-signed requests, for the server: recomputes the
// signature a client should have sent and compares it with the one it did
// send, and rejects requests signed too far from the server's clock.
//
// Checks run in DynamoDB's order and produce DynamoDB's errors (HTTP 400):
//  1. the shape of the credentials (net/auth_shape.h): Missing
//     AuthenticationToken, IncompleteSignature, InvalidSignature;
//  2. the access key: a key the lookup does not know is
//     UnrecognizedClientException "The security token included in the
//     request is invalid.";
//  3. the time: more than `max_skew` from `now` is InvalidSignatureException
//     "Signature expired: 20150830T123600Z is now earlier than
//     20150830T124500Z (20150830T130000Z - 15 min.)" or "Signature not yet
//     current: <date> is still later than <now + skew> (<now> + 15 min.)";
//  4. the signature: InvalidSignatureException "The request signature we
//     calculated does not match the signature you provided. Check your AWS
//     Secret Access Key and signing method. Consult the service
//     documentation for details."
//
// Both forms are verified: the Authorization header, and the query string of
// a presigned URL (sigv4_query.h). For a presigned request:
//  - X-Amz-Algorithm other than AWS4-HMAC-SHA256, a Credential without five
//    parts, an X-Amz-Date not in ISO 8601 basic format or an X-Amz-Expires
//    that is not a whole number of seconds: IncompleteSignatureException;
//  - X-Amz-Expires over 604800: InvalidSignatureException "X-Amz-Expires
//    must be less than a week (in seconds); that is, the given X-Amz-Expires
//    must be less than 604800 seconds";
//  - a credential scoped to another service or terminator, or 'host' not
//    signed: InvalidSignatureException (the header form's messages);
//  - the time: X-Amz-Date more than `max_skew` after `now` is "Signature not
//    yet current: ..." as above; `now` later than X-Amz-Date + X-Amz-Expires
//    is InvalidSignatureException "Signature expired: <X-Amz-Date> is now
//    earlier than <now - X-Amz-Expires> (<now> - <X-Amz-Expires> sec.)";
//  - the signature covers the query without X-Amz-Signature and one of the
//    payload hashes presigners use: "UNSIGNED-PAYLOAD" (the SDKs, newer
//    botocore), the SHA-256 of the body, or that of an empty body (older
//    botocore's SigV4QueryAuth, which moves a JSON body into the query). A
//    presigned URL therefore does not cover the body it is sent with: like
//    any presigned URL, it authorizes whoever holds it.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/sigv4.h"
#include "base/error.h"

namespace aws {

struct VerifyOptions {
  // The signing name the credential scope must name.
  std::string_view service = "dynamodb";
  // The server's clock.
  Clock::time_point now = Clock::now();
  // Largest accepted distance between the request's date and `now`.
  std::chrono::seconds max_skew = std::chrono::minutes(15);
};

// The secret access key of an access key id, or nullopt if unknown.
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key_id)>;

// nullopt if `request` is correctly signed by a known key within the
// allowed skew (then `*access_key_id`, when non-null, is the signing key);
// otherwise the error to send (see above).
std::optional<base::Error> VerifySigV4(const SignableRequest& request, const SecretLookup& secrets,
                                       const VerifyOptions& options,
                                       std::string* access_key_id = nullptr);

// The messages above, for servers and tests.
inline constexpr std::string_view kSignatureMismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
inline constexpr std::string_view kUnrecognizedClientMessage =
    "The security token included in the request is invalid.";

}  // namespace aws
