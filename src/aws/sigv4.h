// AWS Signature Version 4 (header form, non-S3 rules): the canonical
// request, the string to sign, the signing key and the Authorization header.
//
// The pieces are public so that the signer and the verifier
// (sigv4_verifier.h) share one definition of "canonical", and so that tests
// can check each step against the aws-sig-v4-test-suite files (.creq, .sts,
// .authz).
//
// Rules implemented, as the suite and botocore apply them to services other
// than S3:
//  - canonical URI: the path as sent on the wire, with "." and ".." segments
//    resolved and empty segments dropped (a trailing '/' is kept), then every
//    byte but A-Z a-z 0-9 - . _ ~ and '/' percent-encoded with uppercase hex.
//    A path already percent-encoded on the wire is therefore encoded a second
//    time ("%20" -> "%2520"), which is what AWS specifies for non-S3 services;
//  - canonical query: each name and value percent-decoded, then encoded as
//    above (with '/' encoded too), pairs sorted by name then value, a name
//    without '=' gets an empty value, '+' is a literal plus;
//  - canonical headers: names lowercased, values trimmed with inner runs of
//    spaces collapsed to one, repeated headers joined with ',' in order;
//  - payload hash: lowercase hex SHA-256 of the body.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_types.h"

namespace aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  // Temporary credentials carry a session token; empty for long-term keys.
  std::string session_token;
};

// A request as the signer sees it. Views: the caller keeps the data alive.
struct SignableRequest {
  std::string_view method;  // "POST"
  std::string_view path;    // as on the wire, without the query: "/"
  std::string_view query;   // raw query string without '?', may be empty
  std::span<const Header> headers;
  std::string_view payload;  // the body bytes
};

using Clock = std::chrono::system_clock;

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// "20150830T123600Z" (ISO 8601 basic, UTC), the X-Amz-Date format.
std::string FormatAmzDate(Clock::time_point t);
// Parses the X-Amz-Date format; nullopt unless exactly "YYYYMMDDTHHMMSSZ".
std::optional<Clock::time_point> ParseAmzDate(std::string_view text);

// RFC 3986 percent-encoding of every byte except unreserved characters (and
// '/' when `keep_slash`), uppercase hex.
std::string UriEncode(std::string_view bytes, bool keep_slash);

// The canonical URI of a wire path (see the rules above). "" -> "/".
std::string CanonicalUri(std::string_view wire_path);

// The canonical query string of a raw query string (see the rules above).
std::string CanonicalQueryString(std::string_view raw_query);

// A header value trimmed, inner runs of spaces and tabs collapsed to one.
std::string CanonicalHeaderValue(std::string_view value);

struct CanonicalRequest {
  std::string text;            // the whole canonical request
  std::string signed_headers;  // "host;x-amz-date"
};

// Builds the canonical request over the headers named in
// `signed_header_names` (any case; duplicates ignored; sorted here). A name
// absent from the request contributes an empty value, so that a verifier
// fails on the signature rather than on bookkeeping.
CanonicalRequest BuildCanonicalRequest(const SignableRequest& request,
                                       std::span<const std::string> signed_header_names,
                                       std::string_view payload_hash);

// "20150830/us-east-1/service/aws4_request".
std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service);

// "AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256 of canonical request>".
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
// "aws4_request"), raw bytes. `date` is the 8-digit scope date.
std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service);

// Lowercase hex HMAC-SHA256 of the string to sign under the signing key.
std::string ComputeSignature(std::string_view signing_key, std::string_view string_to_sign);

// What is signed, and for whom.
struct SigningParams {
  std::string_view region;   // "us-east-1"
  std::string_view service;  // signing name: "dynamodb", "cognito-idp"
  Clock::time_point time;    // must match the request's X-Amz-Date
};

// Every intermediate value, for callers and tests.
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lowercase hex
  std::string authorization;  // the Authorization header value
};

// Signs `request` as it stands: every header it carries is signed except
// those proxies and clients rewrite (User-Agent, Expect, X-Amzn-Trace-Id,
// Authorization, Content-Length, Connection). The request should already
// carry Host and X-Amz-Date (for params.time) and, for temporary
// credentials, X-Amz-Security-Token; SignRequest adds them.
SigningResult Sign(const SignableRequest& request, const Credentials& credentials,
                   const SigningParams& params);

// Signs a request in place: replaces any X-Amz-Date, X-Amz-Security-Token
// and Authorization in `headers` with X-Amz-Date for params.time, the
// session token (when the credentials carry one) and the Authorization
// header. `headers` must carry Host. Returns the signing details.
SigningResult SignRequest(std::string_view method, std::string_view path, std::string_view query,
                          HeaderList& headers, std::string_view payload,
                          const Credentials& credentials, const SigningParams& params);

}  // namespace aws
