#include "aws/shared_config.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "aws/client_error.h"
#include "base/ascii.h"

namespace aws {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string ExpandHome(std::string path, const EnvLookup& env) {
  if (path == "~" || path.starts_with("~/")) {
    std::optional<std::string> home = env("HOME");
    if (!home) return "";
    return *home + path.substr(1);
  }
  return path;
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
}

IniFile ParseIni(std::string_view text) {
  IniFile out;
  IniSection* section = nullptr;
  std::string parent_key;  // a key with an empty value: indented lines nest under it
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = &out[std::string(Trim(line.substr(1, line.size() - 2)))];
      parent_key.clear();
      continue;
    }
    size_t eq = line.find('=');
    if (section == nullptr || eq == std::string_view::npos) continue;
    std::string key = base::AsciiLowercase(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    if (indented && !parent_key.empty()) {
      (*section)[parent_key + "." + key] = std::move(value);
      continue;
    }
    parent_key = value.empty() ? key : "";
    (*section)[key] = std::move(value);
  }
  return out;
}

base::Result<IniFile> LoadIniFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT || errno == ENOTDIR) return IniFile{};
    return ClientError(ClientErrorCode::kConfig,
                       "cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ClientError(ClientErrorCode::kConfig, "cannot read " + path);
  return ParseIni(text.str());
}

const IniSection* SharedConfig::CredentialsSection() const {
  auto it = credentials.find(profile);
  return it == credentials.end() ? nullptr : &it->second;
}

const IniSection* SharedConfig::ConfigSection() const {
  auto it = config.find("profile " + profile);
  if (it != config.end()) return &it->second;
  if (profile == "default") {
    it = config.find("default");
    if (it != config.end()) return &it->second;
  }
  return nullptr;
}

std::optional<std::string> SharedConfig::ConfigValue(const std::string& key) const {
  const IniSection* s = ConfigSection();
  if (s == nullptr) return std::nullopt;
  auto it = s->find(key);
  if (it == s->end() || it->second.empty()) return std::nullopt;
  return it->second;
}

base::Result<SharedConfig> LoadSharedConfig(const EnvLookup& env,
                                            std::optional<std::string> profile) {
  SharedConfig out;
  if (profile && !profile->empty()) {
    out.profile = *profile;
    out.profile_explicit = true;
  } else if (auto p = env("AWS_PROFILE")) {
    out.profile = *p;
    out.profile_explicit = true;
  } else if (auto p = env("AWS_DEFAULT_PROFILE")) {
    out.profile = *p;
    out.profile_explicit = true;
  } else {
    out.profile = "default";
  }
  out.credentials_path =
      ExpandHome(env("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"), env);
  out.config_path = ExpandHome(env("AWS_CONFIG_FILE").value_or("~/.aws/config"), env);
  if (!out.credentials_path.empty()) {
    ASSIGN_OR_RETURN(out.credentials, LoadIniFile(out.credentials_path));
  }
  if (!out.config_path.empty()) {
    ASSIGN_OR_RETURN(out.config, LoadIniFile(out.config_path));
  }
  return out;
}

}  // namespace aws
