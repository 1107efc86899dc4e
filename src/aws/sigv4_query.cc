#include "aws/sigv4_query.h"

#include "base/percent_decode.h"

namespace aws {
namespace {

// SigV4's lenient decoding: what the client signed is what it sent.
std::string Decode(std::string_view s) { return base::PercentDecodeLenient(s); }

}  // namespace

std::optional<PresignedParams> ParsePresignedQuery(std::string_view query) {
  PresignedParams p;
  bool presigned = false;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string name = Decode(pair.substr(0, eq));
    const std::string value =
        eq == std::string_view::npos ? std::string() : Decode(pair.substr(eq + 1));
    if (name == "X-Amz-Signature") {
      p.signature = value;
      continue;  // the one parameter the signature does not cover
    }
    if (!p.signed_query.empty()) p.signed_query.push_back('&');
    p.signed_query.append(pair);
    if (name == "X-Amz-Algorithm") {
      p.algorithm = value;
      presigned = true;
    } else if (name == "X-Amz-Credential") {
      p.credential = value;
    } else if (name == "X-Amz-Date") {
      p.date = value;
    } else if (name == "X-Amz-Expires") {
      p.expires = value;
    } else if (name == "X-Amz-SignedHeaders") {
      p.signed_headers = value;
    } else if (name == "X-Amz-Security-Token") {
      p.security_token = value;
    }
  }
  if (!presigned) return std::nullopt;
  return p;
}

}  // namespace aws
