#include "cruddur/auth/jwt.h"

#include <rapidjson/document.h>

#include "base/base64.h"
#include "base/bounded_json.h"

namespace cruddur::auth {

namespace {

AuthError Malformed(std::string message) {
  return AuthError{AuthErrorCode::kMalformed, std::move(message)};
}

}  // namespace

AuthResult<Jwt> ParseJwt(std::string_view token, size_t max_bytes) {
  if (token.size() > max_bytes) return Malformed("token too long");
  const size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return Malformed("token is not three parts");
  const size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Malformed("token is not three parts");
  }
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_b64 = token.substr(dot2 + 1);
  if (header_b64.empty() || payload_b64.empty()) return Malformed("empty header or payload");

  auto header = base::Base64UrlDecode(header_b64);
  auto payload = base::Base64UrlDecode(payload_b64);
  auto signature = base::Base64UrlDecode(signature_b64);
  if (!header || !payload || !signature) return Malformed("bad base64url");

  // Read before any signature check: the parse is bounded (a JOSE header
  // is one flat object) so a hostile token costs no stack.
  rapidjson::Document doc;
  const auto parsed = base::ParseBoundedJson<rapidjson::kParseDefaultFlags>(
      &doc, std::string_view(header->data(), header->size()), 8);
  if (!parsed.ok() || !doc.IsObject()) return Malformed("header is not a JSON object");

  Jwt jwt;
  if (auto it = doc.FindMember("alg"); it != doc.MemberEnd() && it->value.IsString()) {
    jwt.alg.assign(it->value.GetString(), it->value.GetStringLength());
  }
  if (auto it = doc.FindMember("kid"); it != doc.MemberEnd() && it->value.IsString()) {
    jwt.kid.emplace(it->value.GetString(), it->value.GetStringLength());
  }
  jwt.has_crit = doc.HasMember("crit");
  jwt.payload_json = std::move(*payload);
  jwt.signing_input.assign(token.substr(0, dot2));
  jwt.signature = std::move(*signature);
  return jwt;
}

}  // namespace cruddur::auth
