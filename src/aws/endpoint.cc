#include "aws/endpoint.h"

#include <charconv>

#include "aws/client_error.h"
#include "base/ascii.h"

namespace aws {

namespace {

bool IsTrue(const std::optional<std::string>& v) {
  return v && base::AsciiEqualsIgnoreCase(*v, "true");
}

base::Result<Endpoint> ParseFrom(std::string_view url, const std::string& origin) {
  auto parsed = ParseEndpointUrl(url);
  if (!parsed.ok()) {
    return ClientError(ClientErrorCode::kEndpoint,
                       parsed.error().message + " (from " + origin + ")");
  }
  return parsed;
}

}  // namespace

std::string Endpoint::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  if (!default_port) h += ":" + std::to_string(port);
  return h;
}

base::Result<Endpoint> ParseEndpointUrl(std::string_view url) {
  auto bad = [&](std::string why) {
    return ClientError(ClientErrorCode::kEndpoint,
                       "invalid endpoint URL \"" + std::string(url) + "\": " + why);
  };
  Endpoint out;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return bad("expected http://host[:port] or https://...");
  out.scheme = base::AsciiLowercase(url.substr(0, sep));
  if (out.scheme != "http" && out.scheme != "https") return bad("the scheme must be http or https");
  std::string_view rest = url.substr(sep + 3);
  if (rest.find_first_of("?#") != std::string_view::npos)
    return bad("no query or fragment allowed");
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos) return bad("no user information allowed");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 address");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (port_text.empty()) return bad("empty port");
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return bad("empty port");
    }
  }
  if (out.host.empty()) return bad("no host");
  out.port = out.scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return bad("bad port \"" + std::string(port_text) + "\"");
    }
    out.port = static_cast<uint16_t>(port);
  }
  std::string_view trimmed = url;
  while (trimmed.ends_with('/')) trimmed.remove_suffix(1);
  out.url = std::string(trimmed);
  return out;
}

base::Result<std::string> ResolveRegion(const EnvLookup& env, const SharedConfig& config) {
  if (auto r = env("AWS_REGION")) return *r;
  if (auto r = env("AWS_DEFAULT_REGION")) return *r;
  if (auto r = config.ConfigValue("region")) return *r;
  return ClientError(
      ClientErrorCode::kEndpoint,
      "no region configured: set AWS_REGION or AWS_DEFAULT_REGION, or region in "
      "profile " +
          config.profile + " of " +
          (config.config_path.empty() ? std::string("~/.aws/config") : config.config_path));
}

std::string DefaultEndpointUrl(const AwsService& service, std::string_view region) {
  std::string url = "https://";
  url.append(service.endpoint_prefix).append(".").append(region).append(".amazonaws.com");
  if (region.starts_with("cn-")) url.append(".cn");
  return url;
}

base::Result<Endpoint> ResolveEndpoint(const AwsService& service, std::string_view region,
                                       const EnvLookup& env, const SharedConfig& config) {
  bool ignore_configured = IsTrue(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
                           (!env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") &&
                            IsTrue(config.ConfigValue("ignore_configured_endpoint_urls")));
  if (!ignore_configured) {
    std::string specific = "AWS_ENDPOINT_URL_" + std::string(service.env_suffix);
    if (auto url = env(specific)) return ParseFrom(*url, specific);
    if (auto url = env("AWS_ENDPOINT_URL")) return ParseFrom(*url, "AWS_ENDPOINT_URL");
    if (auto services = config.ConfigValue("services")) {
      auto section = config.config.find("services " + *services);
      if (section != config.config.end()) {
        auto it = section->second.find(std::string(service.config_key) + ".endpoint_url");
        if (it != section->second.end() && !it->second.empty()) {
          return ParseFrom(it->second, config.config_path + " [services " + *services + "]");
        }
      }
    }
    if (auto url = config.ConfigValue("endpoint_url")) {
      return ParseFrom(*url, config.config_path + " (profile " + config.profile + ")");
    }
  }
  return ParseEndpointUrl(DefaultEndpointUrl(service, region));
}

}  // namespace aws
