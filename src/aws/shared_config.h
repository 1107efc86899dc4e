// The environment and the shared AWS files (~/.aws/credentials and
// ~/.aws/config) as the AWS CLI and SDKs read them, for credential, region
// and endpoint resolution.
//
// Files are INI: "[section]" headers, "key = value" lines, full-line
// comments starting with '#' or ';'. An indented line under a key with an
// empty value is a sub-property, stored as "key.subkey" (the config file's
// "dynamodb =\n  endpoint_url = ..." form). Keys are lowercased; values are
// trimmed.
//
// Paths: AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) and
// AWS_CONFIG_FILE (default ~/.aws/config); "~" is $HOME. The profile is the
// one asked for, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
// In the credentials file a profile's section is [name]; in the config file
// it is [profile name], and [default] for the default profile.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace aws {

// Reads one environment variable; nullopt when unset. Injected so that
// tests need not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv). Empty values count as unset, as in the
// AWS CLI.
EnvLookup ProcessEnvironment();

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection>;

// Parses INI text (see above). Never fails: lines it cannot read are skipped.
IniFile ParseIni(std::string_view text);

// Reads and parses a file. A missing file is an empty IniFile; a file that
// exists but cannot be read is an error ("cannot read <path>: <reason>").
base::Result<IniFile> LoadIniFile(const std::string& path);

struct SharedConfig {
  std::string profile;            // the profile in effect
  bool profile_explicit = false;  // named by the caller or the environment
  std::string credentials_path;   // "" when $HOME is unknown and no override
  std::string config_path;
  IniFile credentials;
  IniFile config;

  // The profile's section in each file, or nullptr.
  const IniSection* CredentialsSection() const;
  const IniSection* ConfigSection() const;
  // A key of the profile's config section, or nullopt.
  std::optional<std::string> ConfigValue(const std::string& key) const;
};

// Loads both files for `profile` (or the environment's profile, see above).
// Errors: a file that exists but cannot be read.
base::Result<SharedConfig> LoadSharedConfig(const EnvLookup& env,
                                            std::optional<std::string> profile = std::nullopt);

}  // namespace aws
