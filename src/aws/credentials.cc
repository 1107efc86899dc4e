#include "aws/credentials.h"

#include "aws/client_error.h"

namespace aws {

namespace {

std::optional<std::string> Value(const IniSection& s, const std::string& key) {
  auto it = s.find(key);
  if (it == s.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// nullopt: the section holds no keys at all; an error: only one of the pair.
std::optional<base::Result<ResolvedCredentials>> FromSection(const IniSection* section,
                                                             const std::string& where) {
  if (section == nullptr) return std::nullopt;
  auto id = Value(*section, "aws_access_key_id");
  auto secret = Value(*section, "aws_secret_access_key");
  if (!id && !secret) return std::nullopt;
  if (!id || !secret) {
    return base::Result<ResolvedCredentials>(ClientError(
        ClientErrorCode::kNoCredentials, "partial credentials in " + where + ": " +
                                             (id ? "aws_secret_access_key" : "aws_access_key_id") +
                                             " is missing"));
  }
  ResolvedCredentials out;
  out.credentials.access_key_id = *id;
  out.credentials.secret_access_key = *secret;
  out.credentials.session_token = Value(*section, "aws_session_token")
                                      .value_or(Value(*section, "aws_security_token").value_or(""));
  out.source = where;
  return base::Result<ResolvedCredentials>(std::move(out));
}

}  // namespace

base::Result<ResolvedCredentials> ResolveCredentials(const EnvLookup& env,
                                                     const SharedConfig& config) {
  auto id = env("AWS_ACCESS_KEY_ID");
  auto secret = env("AWS_SECRET_ACCESS_KEY");
  if (id && secret) {
    ResolvedCredentials out;
    out.credentials.access_key_id = *id;
    out.credentials.secret_access_key = *secret;
    out.credentials.session_token =
        env("AWS_SESSION_TOKEN").value_or(env("AWS_SECURITY_TOKEN").value_or(""));
    out.source = "environment";
    return out;
  }
  if (id || secret) {
    return ClientError(ClientErrorCode::kNoCredentials,
                       std::string("partial credentials in the environment: ") +
                           (id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") + " is not set");
  }

  const std::string profile = " (profile " + config.profile + ")";
  if (auto r = FromSection(config.CredentialsSection(),
                           "shared credentials file " + config.credentials_path + profile)) {
    return std::move(*r);
  }
  if (auto r = FromSection(config.ConfigSection(), "config file " + config.config_path + profile)) {
    return std::move(*r);
  }

  const IniSection* cfg = config.ConfigSection();
  if (config.CredentialsSection() == nullptr && cfg == nullptr && config.profile_explicit) {
    return ClientError(ClientErrorCode::kNoCredentials,
                       "the config profile (" + config.profile + ") could not be found");
  }
  if (cfg != nullptr) {
    for (const char* key : {"role_arn", "sso_session", "sso_start_url", "credential_process",
                            "web_identity_token_file"}) {
      if (cfg->count(key)) {
        return ClientError(ClientErrorCode::kNoCredentials,
                           "profile " + config.profile + " uses " + key +
                               ", which this client does not support; "
                               "use static keys or environment variables");
      }
    }
  }
  return ClientError(ClientErrorCode::kNoCredentials,
                     "Unable to locate credentials: set AWS_ACCESS_KEY_ID and "
                     "AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and aws_secret_access_key "
                     "to profile " +
                         config.profile + " in " +
                         (config.credentials_path.empty() ? std::string("~/.aws/credentials")
                                                          : config.credentials_path));
}

}  // namespace aws
