// libFuzzer target: a request's credentials through the server's checks:
// net::CheckAuthShape (the Authorization header / query-string signature
// shape) and aws::VerifySigV4 (key lookup, clock skew, signature) with a
// fixed clock and key. Oracle besides the sanitizers: the same request
// signed by aws::SignRequest verifies, so signer and verifier agree on what
// "canonical" means for any method, path, query, headers and body.
//
// Input, shaped like the HTTP requests botocore sends:
//   POST /path?query\n
//   Name: value\n   (any number; "\r\n" also ends a line)
//   \n
//   body
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/http_types.h"
#include "aws/sigv4.h"
#include "aws/sigv4_verifier.h"
#include "base/ascii.h"
#include "fuzz_check.h"
#include "net/auth_shape.h"

namespace {

constexpr std::string_view kAccessKeyId = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

struct Parsed {
  std::string_view method;
  std::string_view path;
  std::string_view query;
  aws::HeaderList headers;
  std::string_view body;
};

// Removes and returns the next line of `in` (without its "\n" or "\r\n");
// nullopt when there is no newline left.
std::optional<std::string_view> NextLine(std::string_view& in) {
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return std::nullopt;
  std::string_view line = in.substr(0, nl);
  in.remove_prefix(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

Parsed Parse(std::string_view in) {
  Parsed p;
  auto first = NextLine(in);
  if (!first) return p;
  size_t sp = first->find(' ');
  p.method = first->substr(0, sp);
  std::string_view target = sp == std::string_view::npos ? "" : first->substr(sp + 1);
  size_t q = target.find('?');
  p.path = target.substr(0, q);
  if (q != std::string_view::npos) p.query = target.substr(q + 1);
  while (auto line = NextLine(in)) {
    if (line->empty()) break;
    size_t colon = line->find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line->substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    p.headers.push_back({std::string(line->substr(0, colon)), std::string(value)});
  }
  p.body = in;
  return p;
}

// RFC 9110 token characters: what a header name can be on the wire.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c <= 32 || c >= 127) return false;
    if (std::string_view("\"(),/:;<=>?@[\\]{}").find(static_cast<char>(c)) !=
        std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Parsed p = Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  static const auto now = aws::ParseAmzDate("20150830T123600Z").value();

  net::AuthShapeInput shape;
  shape.authorization = aws::FindHeader(p.headers, "Authorization");
  shape.x_amz_date = aws::FindHeader(p.headers, "X-Amz-Date");
  shape.date = aws::FindHeader(p.headers, "Date");
  shape.security_token = aws::FindHeader(p.headers, "X-Amz-Security-Token");
  shape.query = p.query;
  net::SigV4Header parsed;
  (void)net::CheckAuthShape(shape, "dynamodb", &parsed);

  aws::SecretLookup lookup = [](std::string_view id) -> std::optional<std::string> {
    if (id == kAccessKeyId) return std::string(kSecret);
    return std::nullopt;
  };
  aws::VerifyOptions options;
  options.now = now;
  aws::SignableRequest request{p.method, p.path, p.query, p.headers, p.body};
  (void)aws::VerifySigV4(request, lookup, options);

  // The round trip, for requests a client could sign: header names are
  // tokens, values have no line breaks, no query-string signature.
  for (const aws::Header& h : p.headers) {
    if (!IsToken(h.name) || h.value.find_first_of("\r\n") != std::string::npos) return 0;
  }
  for (std::string_view param : {"X-Amz-", "x-amz-", "X-AMZ-"}) {
    if (p.query.find(param) != std::string_view::npos) return 0;
  }
  aws::HeaderList headers = p.headers;
  bool has_host = false;
  for (const aws::Header& h : headers) has_host |= base::AsciiEqualsIgnoreCase(h.name, "host");
  if (!has_host) headers.push_back({"Host", "localhost:8000"});
  aws::Credentials credentials{std::string(kAccessKeyId), std::string(kSecret), ""};
  aws::SigningParams params{"us-east-1", "dynamodb", now};
  (void)aws::SignRequest(p.method, p.path, p.query, headers, p.body, credentials, params);
  aws::SignableRequest signed_request{p.method, p.path, p.query, headers, p.body};
  auto error = aws::VerifySigV4(signed_request, lookup, options);
  if (error) {
    std::fprintf(stderr, "signed request rejected: %s: %s\n", error->Name().c_str(),
                 error->message.c_str());
  }
  FUZZ_CHECK(!error);
  return 0;
}
