#include "aws/sigv4_verifier.h"

#include <openssl/crypto.h>

#include <ctime>
#include <vector>

#include "aws/crypto.h"
#include "net/auth_shape.h"

namespace aws {

namespace {

ddb::Error Reject(std::string type, std::string message) {
  ddb::Error e;
  e.type = std::move(type);
  e.message = std::move(message);
  e.http_status = 400;
  return e;
}

// RFC 1123 date ("Sun, 30 Aug 2015 12:36:00 GMT"), the Date header's form.
std::optional<Clock::time_point> ParseHttpDate(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
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

}  // namespace

std::optional<ddb::Error> VerifySigV4(const SignableRequest& request, const SecretLookup& secrets,
                                      const VerifyOptions& options) {
  net::AuthShapeInput shape;
  shape.authorization = FindHeader(request.headers, "Authorization");
  shape.x_amz_date = FindHeader(request.headers, "X-Amz-Date");
  shape.date = FindHeader(request.headers, "Date");
  shape.security_token = FindHeader(request.headers, "X-Amz-Security-Token");
  shape.query = request.query;
  net::SigV4Header auth;
  if (auto bad = net::CheckAuthShape(shape, options.service, &auth)) {
    return Reject(bad->type, bad->message);
  }
  if (!shape.authorization) {
    return Reject("InvalidSignatureException",
                  "Query-string (presigned) authentication is not supported by this server.");
  }

  std::optional<std::string> secret = secrets(auth.access_key_id);
  if (!secret)
    return Reject("UnrecognizedClientException", std::string(kUnrecognizedClientMessage));

  std::optional<Clock::time_point> signed_at =
      shape.x_amz_date ? ParseAmzDate(*shape.x_amz_date) : ParseHttpDate(*shape.date);
  if (!signed_at) {
    return Reject("IncompleteSignatureException",
                  "Date must be in ISO-8601 'basic format'. Got '" +
                      std::string(shape.x_amz_date ? *shape.x_amz_date : *shape.date) + "'.");
  }
  std::string amz_date =
      shape.x_amz_date ? std::string(*shape.x_amz_date) : FormatAmzDate(*signed_at);
  std::string now = FormatAmzDate(options.now);
  if (*signed_at < options.now - options.max_skew) {
    return Reject("InvalidSignatureException",
                  "Signature expired: " + amz_date + " is now earlier than " +
                      FormatAmzDate(options.now - options.max_skew) + " (" + now + " - " +
                      SkewMinutes(options.max_skew) + ")");
  }
  if (*signed_at > options.now + options.max_skew) {
    return Reject("InvalidSignatureException",
                  "Signature not yet current: " + amz_date + " is still later than " +
                      FormatAmzDate(options.now + options.max_skew) + " (" + now + " + " +
                      SkewMinutes(options.max_skew) + ")");
  }

  std::vector<std::string> names = SplitSignedHeaders(auth.signed_headers);
  CanonicalRequest creq = BuildCanonicalRequest(request, names, Sha256Hex(request.payload));
  std::string scope = CredentialScope(auth.scope_date, auth.region, auth.service);
  std::string expected =
      ComputeSignature(DeriveSigningKey(*secret, auth.scope_date, auth.region, auth.service),
                       StringToSign(amz_date, scope, creq.text));
  if (expected.size() != auth.signature.size() ||
      CRYPTO_memcmp(expected.data(), auth.signature.data(), expected.size()) != 0) {
    return Reject("InvalidSignatureException", std::string(kSignatureMismatchMessage));
  }
  return std::nullopt;
}

}  // namespace aws
