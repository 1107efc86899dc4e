#include "cruddur/auth/jwks.h"

#include <rapidjson/document.h>

#include "base/base64.h"
#include "base/bounded_json.h"

namespace cruddur::auth {

namespace {

// The string member `name`, or nullptr when absent or not a string.
const rapidjson::Value* StringMember(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return nullptr;
  return &it->value;
}

bool HasMember(const rapidjson::Value& obj, const char* name) {
  return obj.FindMember(name) != obj.MemberEnd();
}

std::string_view View(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

}  // namespace

AuthResult<Jwks> Jwks::Parse(std::string_view json) {
  rapidjson::Document doc;
  if (!base::ParseBoundedJson<rapidjson::kParseDefaultFlags>(&doc, json, 8).ok() ||
      !doc.IsObject()) {
    return AuthError{AuthErrorCode::kJwksUnavailable, "JWKS is not a JSON object"};
  }
  auto keys = doc.FindMember("keys");
  if (keys == doc.MemberEnd() || !keys->value.IsArray()) {
    return AuthError{AuthErrorCode::kJwksUnavailable, "JWKS has no \"keys\" array"};
  }
  Jwks jwks;
  for (const auto& jwk : keys->value.GetArray()) {
    if (!jwk.IsObject()) continue;
    const auto* kty = StringMember(jwk, "kty");
    const auto* kid = StringMember(jwk, "kid");
    const auto* n = StringMember(jwk, "n");
    const auto* e = StringMember(jwk, "e");
    if (!kty || View(*kty) != "RSA" || !kid || !n || !e) continue;
    if (HasMember(jwk, "use")) {
      const auto* use = StringMember(jwk, "use");
      if (!use || View(*use) != "sig") continue;
    }
    if (HasMember(jwk, "alg")) {
      const auto* alg = StringMember(jwk, "alg");
      if (!alg || View(*alg) != "RS256") continue;
    }
    auto n_bytes = base::Base64UrlDecode(View(*n));
    auto e_bytes = base::Base64UrlDecode(View(*e));
    if (!n_bytes || !e_bytes) continue;
    auto key = RsaPublicKey::FromComponents(*n_bytes, *e_bytes);
    if (!key) continue;
    // A repeated kid keeps its first key: which one a token meant is unknowable.
    jwks.keys_.emplace(std::string(View(*kid)), std::move(*key));
  }
  return jwks;
}

const RsaPublicKey* Jwks::Find(std::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace cruddur::auth
