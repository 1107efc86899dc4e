// The shape checks DynamoDB applies to a request's credentials before it
// verifies any signature: is there an Authorization header (or query-string
// signature) at all, and does it carry the pieces of an AWS Signature
// Version 4? Any credentials pass; the signature itself is verified elsewhere.
//
// Messages are DynamoDB's own, e.g.
//   MissingAuthenticationTokenException: "Request is missing Authentication Token"
//   IncompleteSignatureException: "Authorization header requires 'Signature'
//     parameter. Authorization=AWS4-HMAC-SHA256 Credential=..."
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/auth_error.h"

namespace net {

// What the checks read from the request. Absent headers are nullopt.
struct AuthShapeInput {
  std::optional<std::string_view> authorization;   // Authorization header
  std::optional<std::string_view> x_amz_date;      // X-Amz-Date header
  std::optional<std::string_view> date;            // Date header
  std::optional<std::string_view> security_token;  // X-Amz-Security-Token header
  std::string_view query;                          // raw query string (after '?'), may be empty
};

// A rejected request: an error of the "aws-auth" domain (auth_error.h) with
// DynamoDB's message.
using AuthShapeError = base::Error;

// The pieces of an `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/
// aws4_request, SignedHeaders=a;b, Signature=hex` header (views into it).
struct SigV4Header {
  std::string_view algorithm;
  std::string_view credential;  // the whole Credential value
  std::string_view access_key_id;
  std::string_view scope_date;
  std::string_view region;
  std::string_view service;
  std::string_view terminator;
  std::string_view signed_headers;
  std::string_view signature;
};

// Checks the shape of the request's authentication for service `service`
// (e.g. "dynamodb"). Returns nullopt if it is shaped like a signed request;
// then, when the request was signed with a header and `parsed` is non-null,
// fills `*parsed` (views into input.authorization). Otherwise returns the
// error DynamoDB would send:
//  - no Authorization header, no query-string signature and no security
//    token: MissingAuthenticationTokenException;
//  - both a header and a query-string signature: InvalidSignatureException;
//  - a header missing Credential / Signature / SignedHeaders, a key=value
//    pair without '=', no X-Amz-Date or Date, an X-Amz-Date not in ISO 8601
//    basic format, an algorithm other than AWS4-HMAC-SHA256, or a Credential
//    without exactly five '/'-separated parts: IncompleteSignatureException;
//  - 'host' not among SignedHeaders, or a credential scoped to another
//    service or terminator, or whose date differs from X-Amz-Date's:
//    InvalidSignatureException;
//  - a query-string signature missing one of its five parameters:
//    IncompleteSignatureException.
std::optional<AuthShapeError> CheckAuthShape(const AuthShapeInput& input,
                                             std::string_view service = "dynamodb",
                                             SigV4Header* parsed = nullptr);

}  // namespace net
