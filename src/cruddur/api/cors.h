// CORS for /api/*, as the seed configured flask-cors: origins FRONTEND_URL
// and BACKEND_URL (compared case-insensitively, the request's Origin echoed
// back), request headers Content-Type and
// Authorization (and Last-Event-ID, for GET /api/events), methods OPTIONS, GET, HEAD, POST, no
// credentials mode. The exposed headers add X-Next-Cursor and X-Request-Id to the seed's
// Authorization so that the web client can page and report request ids.
//
// Every /api/ response varies by Origin (Vary: Origin); only an allowed
// origin gets Access-Control-* headers, so for any other the browser blocks
// the response.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/http_server.h"

namespace cruddur::api {

inline constexpr std::string_view kCorsAllowMethods = "OPTIONS, GET, HEAD, POST";
inline constexpr std::string_view kCorsAllowHeaders = "Content-Type, Authorization, Last-Event-ID";
inline constexpr std::string_view kCorsExposeHeaders = "Authorization, X-Next-Cursor, X-Request-Id";
// How long a browser may cache a preflight (seconds).
inline constexpr std::string_view kCorsMaxAge = "600";

class CorsPolicy {
 public:
  // Origins such as "http://localhost:3000"; a trailing '/' is dropped and
  // empty entries are ignored.
  explicit CorsPolicy(const std::vector<std::string>& origins);

  bool Allows(std::string_view origin) const;

  // Headers of an actual (non-preflight) response to `request`.
  void Decorate(const net::HttpRequest& request, net::HttpResponse* response) const;

  // Headers of a preflight response (OPTIONS): Decorate's plus the allowed
  // methods, headers and max age, when the origin is allowed and the
  // requested method (Access-Control-Request-Method) is one of them.
  void DecoratePreflight(const net::HttpRequest& request, net::HttpResponse* response) const;

 private:
  std::vector<std::string> origins_;
};

}  // namespace cruddur::api
