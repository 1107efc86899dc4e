#include "cruddur/api/cors.h"

#include <boost/beast/http/field.hpp>

#include "base/ascii.h"
#include "base/blanks.h"

namespace cruddur::api {
namespace {

namespace http = boost::beast::http;

std::string_view Trim(std::string_view s) { return base::TrimBlanks(s); }

std::string_view HeaderValue(const net::HttpRequest& request, http::field field) {
  auto it = request.find(field);
  if (it == request.end()) return {};
  return std::string_view(it->value().data(), it->value().size());
}

}  // namespace

CorsPolicy::CorsPolicy(const std::vector<std::string>& origins) {
  for (std::string origin : origins) {
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    if (!origin.empty()) origins_.push_back(std::move(origin));
  }
}

bool CorsPolicy::Allows(std::string_view origin) const {
  origin = Trim(origin);
  if (origin.empty()) return false;
  for (const auto& allowed : origins_) {
    if (base::AsciiEqualsIgnoreCase(origin, allowed)) return true;
  }
  return false;
}

void CorsPolicy::Decorate(const net::HttpRequest& request, net::HttpResponse* response) const {
  response->set(http::field::vary, "Origin");
  const std::string_view origin = HeaderValue(request, http::field::origin);
  if (!Allows(origin)) return;
  response->set(http::field::access_control_allow_origin, Trim(origin));
  response->set(http::field::access_control_expose_headers, kCorsExposeHeaders);
}

void CorsPolicy::DecoratePreflight(const net::HttpRequest& request,
                                   net::HttpResponse* response) const {
  response->set(http::field::vary, "Origin");
  const std::string_view origin = HeaderValue(request, http::field::origin);
  if (!Allows(origin)) return;
  const std::string_view method =
      Trim(HeaderValue(request, http::field::access_control_request_method));
  if (!method.empty() && method != "OPTIONS" && method != "GET" && method != "HEAD" &&
      method != "POST") {
    return;  // the browser refuses the actual request
  }
  response->set(http::field::access_control_allow_origin, Trim(origin));
  response->set(http::field::access_control_allow_methods, kCorsAllowMethods);
  response->set(http::field::access_control_allow_headers, kCorsAllowHeaders);
  response->set(http::field::access_control_max_age, kCorsMaxAge);
}

}  // namespace cruddur::api
