#include "cruddur/serve/serve_config.h"

#include <charconv>
#include <string_view>

#include "cruddur/messaging/message_store.h"

namespace cruddur::serve {

namespace {

std::string Get(const aws::EnvLookup& env, std::string_view name, std::string fallback) {
  auto v = env(name);
  return v && !v->empty() ? *v : fallback;
}

// A positive integer from the environment, else 0.
int64_t GetPositive(const aws::EnvLookup& env, std::string_view name) {
  const std::string text = Get(env, name, "");
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && ptr == text.data() + text.size() && v > 0 ? v : 0;
}

}  // namespace

bool NamesThisServer(const std::string& url, uint16_t ddb_port) {
  for (const char* host : {"localhost", "127.0.0.1", "[::1]", "0.0.0.0"}) {
    for (const char* scheme : {"http://", "https://"}) {
      const std::string prefix = std::string(scheme) + host + ":" + std::to_string(ddb_port);
      if (url == prefix || url == prefix + "/") return true;
    }
  }
  return false;
}

std::string LocalPoolId(std::string_view region) { return std::string(region) + kLocalPoolSuffix; }

void ResolveFromEnvironment(ServeConfig& c, const aws::EnvLookup& env) {
  c.region = Get(env, "AWS_DEFAULT_REGION", Get(env, "AWS_REGION", "us-east-1"));
  c.user_pool_id = Get(env, "AWS_COGNITO_USER_POOL_ID", LocalPoolId(c.region));
  c.client_id = Get(env, "AWS_COGNITO_USER_POOL_CLIENT_ID", kLocalClientId);
  c.connection_url =
      Get(env, "CONNECTION_URL", c.in_memory ? "sqlite::memory:" : c.data_dir + "/cruddur.sqlite3");
  c.table = Get(env, "DDB_MESSAGE_TABLE", std::string(messaging::kDefaultMessageTable));
  const std::string scheme = c.scheme();
  c.frontend_url = Get(env, "FRONTEND_URL", scheme + "://localhost:3000");
  c.backend_url = Get(env, "BACKEND_URL", scheme + "://localhost:" + std::to_string(c.api_port));
  c.ddb_endpoint_url = c.prod ? "" : Get(env, "AWS_ENDPOINT_URL", "");
  if (NamesThisServer(c.ddb_endpoint_url, c.ddb_port)) c.ddb_endpoint_url.clear();
  c.pool_code_validity_seconds = GetPositive(env, "CRUDDUR_POOL_CODE_VALIDITY_SECONDS");
  c.pool_lockout_unit_ms = GetPositive(env, "CRUDDUR_POOL_LOCKOUT_UNIT_MS");
  c.pool_access_token_seconds = GetPositive(env, "CRUDDUR_POOL_ACCESS_TOKEN_SECONDS");
}

uint16_t WebPort(const ServeConfig& c) {
  if (c.web_port >= 0) return static_cast<uint16_t>(c.web_port);
  const uint16_t named = UrlPort(c.frontend_url);
  return named != 0 ? named : 3000;
}

uint16_t UrlPort(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return 0;
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return 0;
    rest = rest.substr(close + 1);
  }
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) return 0;
  const std::string_view digits = rest.substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || port == 0 || port > 65535) {
    return 0;
  }
  return static_cast<uint16_t>(port);
}

void ConfigurePool(const ServeConfig& c, userpool::UserPoolOptions& pool) {
  constexpr std::string_view kPrefix = "custom:";
  pool.custom_attributes.clear();
  for (const std::string& name : c.custom_attributes) {
    pool.custom_attributes.push_back(name.starts_with(kPrefix) ? name.substr(kPrefix.size())
                                                               : name);
  }
  if (c.pool_code_validity_seconds > 0) {
    pool.code_validity = std::chrono::seconds(c.pool_code_validity_seconds);
  }
  if (c.pool_lockout_unit_ms > 0) {
    pool.lockout_unit = std::chrono::milliseconds(c.pool_lockout_unit_ms);
  }
  if (c.pool_access_token_seconds > 0) {
    pool.access_token_validity = std::chrono::seconds(c.pool_access_token_seconds);
    pool.id_token_validity = std::chrono::seconds(c.pool_access_token_seconds);
  }
}

std::string MaskPassword(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::vector<std::pair<std::string, std::string>> DescribeConfig(const ServeConfig& c) {
  std::string dynamodb;
  if (c.prod) {
    dynamodb = "Amazon DynamoDB (" + c.region + ")";
  } else if (!c.ddb_endpoint_url.empty()) {
    dynamodb = c.ddb_endpoint_url;
  } else {
    dynamodb = c.in_memory ? "in-process engine (in memory)"
                           : "in-process engine (" + c.data_dir + "/ddb)";
  }
  return {
      {"AWS_DEFAULT_REGION", c.region},
      {"AWS_COGNITO_USER_POOL_ID", c.user_pool_id},
      {"AWS_COGNITO_USER_POOL_CLIENT_ID", c.client_id},
      {"CONNECTION_URL", MaskPassword(c.connection_url)},
      {"DDB_MESSAGE_TABLE", c.table},
      {"FRONTEND_URL", c.frontend_url},
      {"BACKEND_URL", c.backend_url},
      {"AWS_ENDPOINT_URL", c.ddb_endpoint_url.empty() ? "(unset)" : c.ddb_endpoint_url},
      {"dynamodb", dynamodb},
  };
}

}  // namespace cruddur::serve
