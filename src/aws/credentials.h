// Where the client's access keys come from, in the AWS CLI's order:
//  1. the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with
//     AWS_SESSION_TOKEN (or the legacy AWS_SECURITY_TOKEN) for temporary
//     credentials;
//  2. the shared credentials file, the profile's [name] section:
//     aws_access_key_id, aws_secret_access_key, aws_session_token;
//  3. the config file, the profile's [profile name] section (same keys).
// Roles, SSO, credential_process and instance metadata are not supported:
// a profile that only has those is an error saying so.
#pragma once

#include <optional>
#include <string>

#include "aws/shared_config.h"
#include "aws/sigv4.h"
#include "base/error.h"

namespace aws {

struct ResolvedCredentials {
  Credentials credentials;
  // Where they came from, for messages: "environment",
  // "shared credentials file /home/u/.aws/credentials (profile default)", ...
  std::string source;
};

// Every failure below is a ClientErrorCode::kNoCredentials.

// Resolves credentials from `env` and `config` (see above). Errors
// (NoCredentialsError, one line):
//  - only one of AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY is set, or a
//    profile section has only one of the two keys: "partial credentials ...";
//  - an explicitly named profile exists in neither file: "the config profile
//    (name) could not be found";
//  - a profile configured for roles/SSO/processes only: "... is not
//    supported";
//  - nothing found: "Unable to locate credentials ...".
base::Result<ResolvedCredentials> ResolveCredentials(const EnvLookup& env,
                                                     const SharedConfig& config);

}  // namespace aws
