#include "aws/sigv4_query.h"

namespace aws {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; a '%' not followed by two hex digits stays literal, and
// '+' stays a plus (as SigV4's canonical query treats it).
std::string Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

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
