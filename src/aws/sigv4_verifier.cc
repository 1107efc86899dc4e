#include "aws/sigv4_verifier.h"

#include <openssl/crypto.h>

#include <ctime>
#include <vector>

#include "aws/crypto.h"
#include "aws/sigv4_query.h"
#include "base/ascii.h"
#include "net/auth_shape.h"

namespace aws {

namespace {

base::Error Reject(net::AuthErrorCode code, std::string message) {
  return base::Error(code, std::move(message));
}

// RFC 1123 date ("Sun, 30 Aug 2015 12:36:00 GMT"), the Date header's form.
std::optional<Clock::time_point> ParseHttpDate(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  // As ParseAmzDate: far-off years would overflow Clock's nanoseconds.
  if (tm.tm_year < 0 || tm.tm_year > 200) return std::nullopt;
  return Clock::from_time_t(timegm(&tm));
}

std::vector<std::string> SplitSignedHeaders(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t semi = list.find(';', start);
    if (semi == std::string_view::npos) semi = list.size();
    if (semi > start) out.emplace_back(list.substr(start, semi - start));
    start = semi + 1;
  }
  return out;
}

std::string SkewMinutes(std::chrono::seconds skew) {
  return std::to_string(std::chrono::duration_cast<std::chrono::minutes>(skew).count()) + " min.";
}

bool SameSignature(std::string_view expected, std::string_view given) {
  return expected.size() == given.size() &&
         CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

// "Signature not yet current" when `signed_at` is too far ahead of `now`.
std::optional<base::Error> CheckNotAhead(Clock::time_point signed_at, const std::string& amz_date,
                                         const VerifyOptions& options) {
  if (signed_at <= options.now + options.max_skew) return std::nullopt;
  return Reject(net::AuthErrorCode::kInvalidSignature,
                "Signature not yet current: " + amz_date + " is still later than " +
                    FormatAmzDate(options.now + options.max_skew) + " (" +
                    FormatAmzDate(options.now) + " + " + SkewMinutes(options.max_skew) + ")");
}

// The query-string form (see the header's list).
std::optional<base::Error> VerifyPresigned(const SignableRequest& request, const PresignedParams& p,
                                           const SecretLookup& secrets,
                                           const VerifyOptions& options,
                                           std::string* access_key_id) {
  if (p.algorithm != kAlgorithm) {
    return Reject(
        net::AuthErrorCode::kIncompleteSignature,
        "Unsupported AWS 'algorithm': '" + p.algorithm + "' (only AWS4-HMAC-SHA256 for now). ");
  }
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t slash = p.credential.find('/', start);
    parts.push_back(p.credential.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (parts.size() != 5) {
    return Reject(net::AuthErrorCode::kIncompleteSignature,
                  "Credential must have exactly 5 slash-delimited elements, e.g. "
                  "keyid/date/region/service/term, got '" +
                      p.credential + "'");
  }
  std::optional<Clock::time_point> signed_at = ParseAmzDate(p.date);
  if (!signed_at) {
    return Reject(net::AuthErrorCode::kIncompleteSignature,
                  "Date must be in ISO-8601 'basic format'. Got '" + p.date +
                      "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  long long expires = -1;
  if (!p.expires.empty() && p.expires.size() <= 9 &&
      p.expires.find_first_not_of("0123456789") == std::string::npos) {
    expires = std::stoll(p.expires);
  }
  if (expires < 0) {
    return Reject(net::AuthErrorCode::kIncompleteSignature,
                  "X-Amz-Expires must be a whole number of seconds. Got '" + p.expires + "'.");
  }
  if (expires > kMaxPresignedExpiresSeconds) {
    return Reject(net::AuthErrorCode::kInvalidSignature,
                  "X-Amz-Expires must be less than a week (in seconds); that is, the given "
                  "X-Amz-Expires must be less than 604800 seconds");
  }
  std::string scope_msg;
  if (parts[2].empty()) scope_msg += "Credential should be scoped to a valid region, not ''. ";
  if (parts[3] != options.service) {
    scope_msg +=
        "Credential should be scoped to correct service: '" + std::string(options.service) + "'. ";
  }
  if (parts[4] != "aws4_request") {
    scope_msg += "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                 parts[4] + "'. ";
  }
  if (parts[1] != p.date.substr(0, 8)) {
    scope_msg +=
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
        "HTTP: '" +
        parts[1] + "' != '" + p.date.substr(0, 8) + "', from '" + p.date + "'.";
  }
  std::vector<std::string> names = SplitSignedHeaders(p.signed_headers);
  bool host_signed = false;
  for (const std::string& n : names)
    host_signed = host_signed || base::AsciiEqualsIgnoreCase(n, "host");
  if (!host_signed) {
    scope_msg += "'Host' must be a 'SignedHeader' in the AWS Authorization.";
  }
  if (!scope_msg.empty()) {
    while (scope_msg.back() == ' ') scope_msg.pop_back();
    return Reject(net::AuthErrorCode::kInvalidSignature, std::move(scope_msg));
  }

  std::optional<std::string> secret = secrets(parts[0]);
  if (!secret)
    return Reject(net::AuthErrorCode::kUnrecognizedClient, std::string(kUnrecognizedClientMessage));

  if (auto ahead = CheckNotAhead(*signed_at, p.date, options)) return ahead;
  if (options.now > *signed_at + std::chrono::seconds(expires)) {
    return Reject(net::AuthErrorCode::kInvalidSignature,
                  "Signature expired: " + p.date + " is now earlier than " +
                      FormatAmzDate(options.now - std::chrono::seconds(expires)) + " (" +
                      FormatAmzDate(options.now) + " - " + std::to_string(expires) + " sec.)");
  }

  SignableRequest signed_part = request;
  signed_part.query = p.signed_query;
  const std::string scope = CredentialScope(parts[1], parts[2], parts[3]);
  const std::string key = DeriveSigningKey(*secret, parts[1], parts[2], parts[3]);
  for (const std::string& payload_hash :
       {std::string("UNSIGNED-PAYLOAD"), Sha256Hex(request.payload), Sha256Hex("")}) {
    CanonicalRequest creq = BuildCanonicalRequest(signed_part, names, payload_hash);
    if (SameSignature(ComputeSignature(key, StringToSign(p.date, scope, creq.text)), p.signature)) {
      if (access_key_id) *access_key_id = parts[0];
      return std::nullopt;
    }
  }
  return Reject(net::AuthErrorCode::kInvalidSignature, std::string(kSignatureMismatchMessage));
}

}  // namespace

std::optional<base::Error> VerifySigV4(const SignableRequest& request, const SecretLookup& secrets,
                                       const VerifyOptions& options, std::string* access_key_id) {
  net::AuthShapeInput shape;
  shape.authorization = FindHeader(request.headers, "Authorization");
  shape.x_amz_date = FindHeader(request.headers, "X-Amz-Date");
  shape.date = FindHeader(request.headers, "Date");
  shape.security_token = FindHeader(request.headers, "X-Amz-Security-Token");
  shape.query = request.query;
  net::SigV4Header auth;
  if (auto bad = net::CheckAuthShape(shape, options.service, &auth)) {
    return std::move(*bad);
  }
  if (!shape.authorization) {
    if (auto presigned = ParsePresignedQuery(request.query)) {
      return VerifyPresigned(request, *presigned, secrets, options, access_key_id);
    }
    // A session token without any signature: CheckAuthShape reported it.
    return Reject(net::AuthErrorCode::kMissingAuthenticationToken,
                  "Request is missing Authentication Token");
  }

  std::optional<std::string> secret = secrets(auth.access_key_id);
  if (!secret)
    return Reject(net::AuthErrorCode::kUnrecognizedClient, std::string(kUnrecognizedClientMessage));

  std::optional<Clock::time_point> signed_at =
      shape.x_amz_date ? ParseAmzDate(*shape.x_amz_date) : ParseHttpDate(*shape.date);
  if (!signed_at) {
    return Reject(net::AuthErrorCode::kIncompleteSignature,
                  "Date must be in ISO-8601 'basic format'. Got '" +
                      std::string(shape.x_amz_date ? *shape.x_amz_date : *shape.date) + "'.");
  }
  std::string amz_date =
      shape.x_amz_date ? std::string(*shape.x_amz_date) : FormatAmzDate(*signed_at);
  std::string now = FormatAmzDate(options.now);
  if (*signed_at < options.now - options.max_skew) {
    return Reject(net::AuthErrorCode::kInvalidSignature,
                  "Signature expired: " + amz_date + " is now earlier than " +
                      FormatAmzDate(options.now - options.max_skew) + " (" + now + " - " +
                      SkewMinutes(options.max_skew) + ")");
  }
  if (auto ahead = CheckNotAhead(*signed_at, amz_date, options)) return ahead;

  std::vector<std::string> names = SplitSignedHeaders(auth.signed_headers);
  CanonicalRequest creq = BuildCanonicalRequest(request, names, Sha256Hex(request.payload));
  std::string scope = CredentialScope(auth.scope_date, auth.region, auth.service);
  std::string expected =
      ComputeSignature(DeriveSigningKey(*secret, auth.scope_date, auth.region, auth.service),
                       StringToSign(amz_date, scope, creq.text));
  if (!SameSignature(expected, auth.signature)) {
    return Reject(net::AuthErrorCode::kInvalidSignature, std::string(kSignatureMismatchMessage));
  }
  if (access_key_id) access_key_id->assign(auth.access_key_id);
  return std::nullopt;
}

}  // namespace aws
