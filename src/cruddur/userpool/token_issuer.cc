#include "cruddur/userpool/token_issuer.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/base64.h"
#include "base/bounded_json.h"
#include "cruddur/auth/jwt.h"
#include "cruddur/userpool/attributes.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/users/ids.h"

namespace cruddur::userpool {
namespace {

// Longer tokens are not ours (ours are ~1 KB).
constexpr size_t kMaxTokenBytes = 16 * 1024;

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void Int(Writer& w, std::string_view key, int64_t value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.Int64(value);
}

base::Error InvalidAccessToken() { return NotAuthorized("Invalid Access Token"); }

std::optional<std::string> StringClaim(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

TokenIssuer::TokenIssuer(std::shared_ptr<const SigningKey> key, std::string issuer,
                         std::string client_id, std::chrono::seconds access_validity,
                         std::chrono::seconds id_validity)
    : key_(std::move(key)),
      issuer_(std::move(issuer)),
      client_id_(std::move(client_id)),
      access_validity_(access_validity.count()),
      id_validity_(id_validity.count()) {}

base::Result<std::string> TokenIssuer::Sign(std::string_view payload_json) const {
  const std::string header = R"({"kid":")" + key_->kid() + R"(","alg":"RS256"})";
  std::string input = base::Base64UrlEncode(header) + "." + base::Base64UrlEncode(payload_json);
  ASSIGN_OR_RETURN(std::string sig, key_->SignRs256(input));
  return input + "." + base::Base64UrlEncode(sig);
}

base::Result<MintedTokens> TokenIssuer::Mint(const PoolUser& user, std::string_view origin_jti,
                                             int64_t auth_time, int64_t now) const {
  ASSIGN_OR_RETURN(std::string event_id, users::NewUuidV4());
  ASSIGN_OR_RETURN(std::string access_jti, users::NewUuidV4());
  ASSIGN_OR_RETURN(std::string id_jti, users::NewUuidV4());
  MintedTokens out;
  {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    Str(w, "sub", user.sub);
    Str(w, "iss", issuer_);
    Str(w, "client_id", client_id_);
    Str(w, "origin_jti", origin_jti);
    Str(w, "event_id", event_id);
    Str(w, "token_use", "access");
    Str(w, "scope", "aws.cognito.signin.user.admin");
    Int(w, "auth_time", auth_time);
    Int(w, "exp", now + access_validity_);
    Int(w, "iat", now);
    Str(w, "jti", access_jti);
    Str(w, "username", user.username);
    w.EndObject();
    ASSIGN_OR_RETURN(out.access_token, Sign(std::string_view(buf.GetString(), buf.GetSize())));
  }
  {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    w.StartObject();
    Str(w, "sub", user.sub);
    for (const auto& [name, value] : user.attributes) {
      if (name == "sub") continue;
      if (IsVerifiedFlag(name)) {
        w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
        w.Bool(value == "true");
      } else {
        Str(w, name, value);
      }
    }
    Str(w, "iss", issuer_);
    Str(w, "cognito:username", user.username);
    Str(w, "origin_jti", origin_jti);
    Str(w, "aud", client_id_);
    Str(w, "event_id", event_id);
    Str(w, "token_use", "id");
    Int(w, "auth_time", auth_time);
    Int(w, "exp", now + id_validity_);
    Int(w, "iat", now);
    Str(w, "jti", id_jti);
    w.EndObject();
    ASSIGN_OR_RETURN(out.id_token, Sign(std::string_view(buf.GetString(), buf.GetSize())));
  }
  return out;
}

base::Result<AccessTokenClaims> TokenIssuer::VerifyAccessToken(std::string_view token,
                                                               int64_t now) const {
  auto jwt = auth::ParseJwt(token, kMaxTokenBytes);
  if (!jwt.ok()) return InvalidAccessToken();
  if (jwt->alg != "RS256" || jwt->has_crit || !jwt->kid || *jwt->kid != key_->kid()) {
    return InvalidAccessToken();
  }
  if (!key_->VerifyRs256(jwt->signing_input, jwt->signature)) return InvalidAccessToken();

  rapidjson::Document doc;
  if (!base::ParseBoundedJson<rapidjson::kParseDefaultFlags>(&doc, jwt->payload_json, 16).ok() ||
      !doc.IsObject()) {
    return InvalidAccessToken();
  }
  if (StringClaim(doc, "token_use") != "access" || StringClaim(doc, "iss") != issuer_ ||
      StringClaim(doc, "client_id") != client_id_) {
    return InvalidAccessToken();
  }
  AccessTokenClaims claims;
  auto sub = StringClaim(doc, "sub");
  auto username = StringClaim(doc, "username");
  auto origin_jti = StringClaim(doc, "origin_jti");
  auto exp = doc.FindMember("exp");
  if (!sub || !username || !origin_jti || exp == doc.MemberEnd() || !exp->value.IsInt64()) {
    return InvalidAccessToken();
  }
  claims.sub = std::move(*sub);
  claims.username = std::move(*username);
  claims.origin_jti = std::move(*origin_jti);
  claims.exp = exp->value.GetInt64();
  if (now >= claims.exp) return NotAuthorized("Access Token has expired");
  return claims;
}

}  // namespace cruddur::userpool
