#include "cruddur/serve/web_config.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>

namespace cruddur::serve {

namespace {

// Host names the browser may be given back: letters, digits, '.', '-',
// and a bracketed IPv6 address. Anything else becomes "localhost".
bool PlainHost(std::string_view h) {
  if (h.empty()) return false;
  if (h.front() == '[') {
    if (h.back() != ']') return false;
    for (char c : h.substr(1, h.size() - 2)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    return true;
  }
  for (char c : h) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  return true;
}

}  // namespace

std::string_view HostName(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  const size_t colon = host.find(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

WebAppConfig WebAppConfigFor(const ServeConfig& c, uint16_t api_port, uint16_t ddb_port) {
  WebAppConfig w;
  w.scheme = c.scheme();
  // BACKEND_URL's default names the configured port; the page's host is
  // better then (and the bound port, for --api-port 0).
  if (c.backend_url != w.scheme + "://localhost:" + std::to_string(c.api_port)) {
    w.api_url = c.backend_url;
  }
  w.api_port = api_port;
  w.region = c.region;
  w.user_pool_id = c.user_pool_id;
  w.client_id = c.client_id;
  if (c.local_pool() && ddb_port != 0) w.pool_port = ddb_port;
  w.local = !c.prod;
  return w;
}

std::string WebAppConfigJson(const WebAppConfig& c, std::string_view page_host) {
  std::string host(HostName(page_host));
  if (!PlainHost(host)) host = "localhost";
  const std::string base = c.scheme + "://" + host + ":";
  const std::string api_url = c.api_url.empty() ? base + std::to_string(c.api_port) : c.api_url;

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("apiUrl");
  w.String(api_url.c_str());
  w.Key("region");
  w.String(c.region.c_str());
  w.Key("userPoolId");
  w.String(c.user_pool_id.c_str());
  w.Key("userPoolClientId");
  w.String(c.client_id.c_str());
  w.Key("cognitoEndpoint");
  if (c.pool_port) {
    w.String((base + std::to_string(*c.pool_port)).c_str());
  } else {
    w.Null();
  }
  w.Key("authFlow");
  w.String(c.auth_flow.c_str());
  w.Key("local");
  w.Bool(c.local);
  w.Key("pollIntervalMs");
  w.Int(c.poll_interval_ms);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace cruddur::serve
