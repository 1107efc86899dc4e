// WebAppConfig: the web app's runtime configuration, the JSON object that
// `GET /config.json` of `cruddur serve`'s web port answers (its format is
// web/README.md's "Runtime configuration").
//
// The URLs the browser is to use are made for the host name the page itself
// was loaded from (the request's Host, e.g. "localhost" or "127.0.0.1"), so
// that the app, the API and the pool are reached the same way; BACKEND_URL
// wins for the API when it is set to anything but its default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cruddur/serve/serve_config.h"

namespace cruddur::serve {

struct WebAppConfig {
  // "https" when the stack serves TLS (--tls-cert), else "http": the scheme
  // of the URLs below made from the page's host.
  std::string scheme = "http";
  // The API's origin; empty: "<scheme>://<page host>:<api_port>".
  std::string api_url;
  uint16_t api_port = 4567;
  std::string region;
  std::string user_pool_id;
  std::string client_id;
  // The local pool's port (cognitoEndpoint "<scheme>://<page host>:<port>");
  // nullopt: the real Cognito (cognitoEndpoint null).
  std::optional<uint16_t> pool_port;
  std::string auth_flow = "USER_SRP_AUTH";
  bool local = true;
  int poll_interval_ms = 5000;
};

// The web app's configuration for the running stack: `api_port` and
// `ddb_port` are the ports actually bound (0: no :8000 endpoint).
WebAppConfig WebAppConfigFor(const ServeConfig& config, uint16_t api_port, uint16_t ddb_port);

// The JSON object for a page loaded from `page_host` (a Host header value,
// with or without its port; empty: "localhost").
std::string WebAppConfigJson(const WebAppConfig& config, std::string_view page_host);

// The host name of a Host header value: "localhost:3000" -> "localhost",
// "[::1]:3000" -> "[::1]".
std::string_view HostName(std::string_view host_header);

}  // namespace cruddur::serve
