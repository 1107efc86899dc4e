#include "cruddur/auth/token_verifier.h"

#include <rapidjson/document.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>

#include "base/ascii.h"
#include "base/bounded_json.h"
#include "cruddur/auth/jwt.h"

namespace cruddur::auth {

struct TokenVerifier::Cache {
  std::mutex fetch_mu;    // serializes fetches
  mutable std::mutex mu;  // guards the members below
  std::shared_ptr<const Jwks> jwks;
  std::optional<std::chrono::system_clock::time_point> last_fetch;
  int fetch_count = 0;
};

struct TokenVerifier::Verified {
  mutable std::shared_mutex mu;
  std::unordered_map<std::string, AccessTokenClaims> tokens;
  std::atomic<int64_t> hits{0};
};

namespace {

AuthError Fail(AuthErrorCode code, std::string message) {
  return AuthError{code, std::move(message)};
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::optional<std::string_view> StringClaim(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string_view(it->value.GetString(), it->value.GetStringLength());
}

// NumericDate claims must be integers (Cognito writes them so).
std::optional<int64_t> IntClaim(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsInt64()) return std::nullopt;
  return it->value.GetInt64();
}

}  // namespace

std::string CognitoIssuer(std::string_view region, std::string_view user_pool_id) {
  std::string iss = "https://cognito-idp.";
  iss += region;
  iss += ".amazonaws.com/";
  iss += user_pool_id;
  return iss;
}

AuthResult<std::string> ExtractBearerToken(std::string_view header) {
  while (!header.empty() && IsSpace(header.front())) header.remove_prefix(1);
  while (!header.empty() && IsSpace(header.back())) header.remove_suffix(1);
  if (header.empty()) return Fail(AuthErrorCode::kMissingToken, "no Authorization header");
  size_t space = 0;
  while (space < header.size() && !IsSpace(header[space])) ++space;
  const std::string_view scheme = header.substr(0, space);
  std::string_view token = header.substr(space);
  while (!token.empty() && IsSpace(token.front())) token.remove_prefix(1);
  if (!base::AsciiEqualsIgnoreCase(scheme, "Bearer")) {
    return Fail(AuthErrorCode::kBadScheme, "Authorization scheme is not Bearer");
  }
  if (token.empty()) return Fail(AuthErrorCode::kMissingToken, "empty bearer token");
  // memchr's scan (a token is ~1 KB; a loop over it was 2% of an API GET).
  if (token.find(' ') != std::string_view::npos || token.find('\t') != std::string_view::npos) {
    return Fail(AuthErrorCode::kBadScheme, "Authorization header has extra parts");
  }
  return std::string(token);
}

TokenVerifier::TokenVerifier(TokenVerifierConfig config)
    : config_(std::move(config)),
      issuer_(CognitoIssuer(config_.region, config_.user_pool_id)),
      cache_(std::make_unique<Cache>()),
      verified_(std::make_unique<Verified>()) {}

TokenVerifier::~TokenVerifier() = default;

std::chrono::system_clock::time_point TokenVerifier::Now() const {
  return config_.clock ? config_.clock() : std::chrono::system_clock::now();
}

int TokenVerifier::jwks_fetch_count() const {
  std::lock_guard lock(cache_->mu);
  return cache_->fetch_count;
}

AuthResult<std::shared_ptr<const Jwks>> TokenVerifier::CurrentKeys() const {
  {
    std::lock_guard lock(cache_->mu);
    if (cache_->jwks) return cache_->jwks;
  }
  return Refetch(nullptr);
}

AuthResult<std::shared_ptr<const Jwks>> TokenVerifier::Refetch(
    const std::shared_ptr<const Jwks>& seen) const {
  std::lock_guard fetch_lock(cache_->fetch_mu);
  {
    std::lock_guard lock(cache_->mu);
    // Another thread fetched while we waited: use its result.
    if (cache_->jwks && cache_->jwks != seen) return cache_->jwks;
    if (cache_->last_fetch && Now() - *cache_->last_fetch < config_.min_refetch_interval) {
      if (cache_->jwks) return cache_->jwks;
      return Fail(AuthErrorCode::kJwksUnavailable, "JWKS fetch failed recently");
    }
    cache_->last_fetch = Now();
    ++cache_->fetch_count;
  }
  if (!config_.jwks_source) return Fail(AuthErrorCode::kJwksUnavailable, "no JWKS source");
  auto text = config_.jwks_source();
  if (!text.ok()) {
    return Fail(AuthErrorCode::kJwksUnavailable, "JWKS fetch failed: " + text.error().message);
  }
  auto parsed = Jwks::Parse(*text);
  if (!parsed.ok()) return std::move(parsed).error();
  auto jwks = std::make_shared<const Jwks>(std::move(parsed).value());
  std::lock_guard lock(cache_->mu);
  cache_->jwks = jwks;
  return jwks;
}

AuthResult<AccessTokenClaims> TokenVerifier::VerifyAuthorizationHeader(
    std::string_view header) const {
  auto token = ExtractBearerToken(header);
  if (!token.ok()) return std::move(token).error();
  return Verify(*token);
}

int64_t TokenVerifier::verified_cache_hits() const { return verified_->hits.load(); }

AuthResult<AccessTokenClaims> TokenVerifier::Verify(std::string_view token) const {
  if (config_.verified_cache_entries == 0 || token.size() > config_.max_token_bytes) {
    return VerifyUncached(token);
  }
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  const int64_t leeway = config_.leeway.count();
  {
    std::shared_lock lock(verified_->mu);
    auto it = verified_->tokens.find(std::string(token));
    if (it != verified_->tokens.end()) {
      // Everything but the time was checked when it was remembered; nbf
      // only gets truer as time passes.
      if (now - leeway >= it->second.exp) return Fail(AuthErrorCode::kExpired, "token expired");
      verified_->hits.fetch_add(1, std::memory_order_relaxed);
      return it->second;
    }
  }
  auto claims = VerifyUncached(token);
  if (claims.ok()) {
    std::unique_lock lock(verified_->mu);
    auto& tokens = verified_->tokens;
    if (tokens.size() >= config_.verified_cache_entries) {
      std::erase_if(tokens, [&](const auto& e) { return now - leeway >= e.second.exp; });
      if (tokens.size() >= config_.verified_cache_entries) tokens.clear();
    }
    tokens.emplace(std::string(token), claims.value());
  }
  return claims;
}

AuthResult<AccessTokenClaims> TokenVerifier::VerifyUncached(std::string_view token) const {
  if (token.empty()) return Fail(AuthErrorCode::kMissingToken, "no token");
  auto parsed = ParseJwt(token, config_.max_token_bytes);
  if (!parsed.ok()) return std::move(parsed).error();
  const Jwt& jwt = parsed.value();

  // The algorithm is fixed by us, never chosen by the token.
  if (jwt.alg != "RS256") return Fail(AuthErrorCode::kBadAlgorithm, "alg is not RS256");
  if (jwt.has_crit) return Fail(AuthErrorCode::kBadAlgorithm, "unsupported crit header");
  if (!jwt.kid) return Fail(AuthErrorCode::kUnknownKey, "token has no kid");

  auto keys = CurrentKeys();
  if (!keys.ok()) return std::move(keys).error();
  std::shared_ptr<const Jwks> jwks = std::move(keys).value();
  const RsaPublicKey* key = jwks->Find(*jwt.kid);
  if (key == nullptr) {
    auto fresh = Refetch(jwks);
    if (!fresh.ok()) return std::move(fresh).error();
    jwks = std::move(fresh).value();
    key = jwks->Find(*jwt.kid);
    if (key == nullptr) return Fail(AuthErrorCode::kUnknownKey, "kid not in the pool's JWKS");
  }
  if (!key->VerifyRs256(jwt.signing_input, jwt.signature)) {
    return Fail(AuthErrorCode::kBadSignature, "signature does not verify");
  }

  // Signed by the pool: now the claims may be read.
  rapidjson::Document doc;
  if (!base::ParseBoundedJson<rapidjson::kParseDefaultFlags>(&doc, jwt.payload_json, 16).ok() ||
      !doc.IsObject()) {
    return Fail(AuthErrorCode::kMalformed, "payload is not a JSON object");
  }
  const auto exp = IntClaim(doc, "exp");
  if (!exp) return Fail(AuthErrorCode::kMalformed, "exp missing or not an integer");
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  const int64_t leeway = config_.leeway.count();
  if (now - leeway >= *exp) return Fail(AuthErrorCode::kExpired, "token expired");
  if (doc.HasMember("nbf")) {
    const auto nbf = IntClaim(doc, "nbf");
    if (!nbf) return Fail(AuthErrorCode::kMalformed, "nbf not an integer");
    if (*nbf - leeway > now) return Fail(AuthErrorCode::kNotYetValid, "token not yet valid");
  }
  if (StringClaim(doc, "iss") != std::optional<std::string_view>(issuer_)) {
    return Fail(AuthErrorCode::kBadIssuer, "wrong issuer");
  }
  if (StringClaim(doc, "token_use") != std::optional<std::string_view>("access")) {
    return Fail(AuthErrorCode::kBadTokenUse, "not an access token");
  }
  const auto client_id = StringClaim(doc, "client_id");
  if (config_.client_id.empty() ||
      client_id != std::optional<std::string_view>(config_.client_id)) {
    return Fail(AuthErrorCode::kBadClient, "token issued to another client");
  }
  const auto sub = StringClaim(doc, "sub");
  const auto username = StringClaim(doc, "username");
  if (!sub || sub->empty() || !username) {
    return Fail(AuthErrorCode::kMalformed, "sub or username missing");
  }
  AccessTokenClaims claims;
  claims.sub = std::string(*sub);
  claims.username = std::string(*username);
  claims.client_id = std::string(*client_id);
  claims.exp = *exp;
  return claims;
}

}  // namespace cruddur::auth
