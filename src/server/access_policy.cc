#include "server/access_policy.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/field.hpp>

#include "aws/http_types.h"
#include "aws/sigv4_verifier.h"
#include "base/ascii.h"
#include "base/blanks.h"
#include "net/auth_error.h"
#include "net/auth_shape.h"

namespace server {
namespace {

namespace http = boost::beast::http;

std::string_view Trim(std::string_view s) { return base::TrimBlanks(s); }

std::optional<std::string_view> Field(const net::HttpRequest& req, std::string_view name) {
  auto it = req.find(name);
  if (it == req.end()) return std::nullopt;
  return std::string_view(it->value().data(), it->value().size());
}

// "Localhost:8000" -> "localhost"; "[::1]:8000" -> "[::1]"; a trailing '.'
// of a fully qualified name is dropped.
std::string HostName(std::string_view host_header) {
  std::string_view h = Trim(host_header);
  if (!h.empty() && h.front() == '[') {
    const size_t close = h.find(']');
    h = close == std::string_view::npos ? h : h.substr(0, close + 1);
  } else {
    h = h.substr(0, h.find(':'));
  }
  if (!h.empty() && h.back() == '.') h.remove_suffix(1);
  return base::AsciiLowercase(h);
}

constexpr std::string_view kLoopbackNames[] = {"localhost", "127.0.0.1", "[::1]"};

}  // namespace

ddb::Error AsDynamoDbError(base::Error error) {
  if (error.code.category() != net::AuthErrorCategory()) return error;
  switch (static_cast<net::AuthErrorCode>(error.code.value())) {
    case net::AuthErrorCode::kMissingAuthenticationToken:
      error.code = ddb::ErrorCode::kMissingAuthenticationToken;
      break;
    case net::AuthErrorCode::kIncompleteSignature:
      error.code = ddb::ErrorCode::kIncompleteSignature;
      break;
    case net::AuthErrorCode::kInvalidSignature:
      error.code = ddb::ErrorCode::kInvalidSignature;
      break;
    case net::AuthErrorCode::kUnrecognizedClient:
      error.code = ddb::ErrorCode::kUnrecognizedClient;
      break;
    case net::AuthErrorCode::kAccessDenied:
      error.code = ddb::ErrorCode::kAccessDenied;
      break;
    case net::AuthErrorCode::kRequestRefused:
      error.code = ddb::ErrorCode::kRequestRefused;
      break;
  }
  return error;
}

base::Error Refused(std::string message) {
  return base::Error(net::AuthErrorCode::kRequestRefused, std::move(message));
}

std::vector<std::string> SplitOrigins(std::string_view cors) {
  std::vector<std::string> out;
  while (true) {
    const size_t comma = cors.find(',');
    std::string_view one = Trim(cors.substr(0, comma));
    while (!one.empty() && one.back() == '/') one.remove_suffix(1);
    if (!one.empty()) out.emplace_back(one);
    if (comma == std::string_view::npos) break;
    cors.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<std::string> CheckExposure(const std::string& host, bool have_credentials) {
  if (have_credentials) return std::nullopt;
  if (base::AsciiEqualsIgnoreCase(host, "localhost")) return std::nullopt;
  boost::system::error_code ec;
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  const auto address = boost::asio::ip::make_address(bare, ec);
  if (!ec && address.is_loopback()) return std::nullopt;
  return "refusing to listen on " + host +
         " without a credentials file: any client that can reach it could read and change "
         "every table (use --host 127.0.0.1, or --credentials FILE to require signed requests)";
}

AccessPolicy::AccessPolicy(AccessOptions options) : options_(std::move(options)) {
  if (options_.allowed_origins.empty()) {
    for (std::string_view o : kDefaultOrigins) options_.allowed_origins.emplace_back(o);
  }
  for (const std::string& o : options_.allowed_origins) any_origin_ = any_origin_ || o == "*";
  for (std::string& h : options_.allowed_hosts) h = HostName(h);
}

std::optional<std::string_view> AccessPolicy::OriginOf(const net::HttpRequest& request) {
  return Field(request, "Origin");
}

bool AccessPolicy::HostAllowed(std::string_view host_header) const {
  const std::string name = HostName(host_header);
  for (std::string_view n : kLoopbackNames) {
    if (name == n) return true;
  }
  for (const std::string& n : options_.allowed_hosts) {
    if (name == n) return true;
  }
  return false;
}

bool AccessPolicy::OriginAllowed(std::string_view origin) const {
  origin = Trim(origin);
  while (!origin.empty() && origin.back() == '/') origin.remove_suffix(1);
  if (origin.empty() || origin == "null") return any_origin_ && !origin.empty();
  if (any_origin_) return true;
  for (const std::string& o : options_.allowed_origins) {
    if (base::AsciiEqualsIgnoreCase(o, origin)) return true;
  }
  return false;
}

std::optional<base::Error> AccessPolicy::Admit(const net::HttpRequest& request) const {
  if (!credentials_mode()) {
    // A request without Host (HTTP/1.0) comes from no browser.
    if (auto host = Field(request, "Host"); host && !HostAllowed(*host)) {
      return Refused("Host '" + std::string(*host) +
                     "' is refused: without a credentials file this server answers only "
                     "requests for localhost, 127.0.0.1 or [::1] (or names given with "
                     "--allowed-host), so that a web page cannot reach it through DNS "
                     "rebinding");
    }
  }
  if (auto origin = OriginOf(request); origin && !OriginAllowed(*origin)) {
    return Refused("Origin '" + std::string(*origin) +
                   "' is not allowed: browsers may call this endpoint only from the origins "
                   "given with -cors (by default FRONTEND_URL, http://localhost:3000, "
                   "http://127.0.0.1:3000 and http://localhost:5173)");
  }
  return std::nullopt;
}

void AccessPolicy::DecorateCors(const net::HttpRequest& request, std::string_view expose_headers,
                                net::HttpResponse* response) const {
  auto origin = OriginOf(request);
  if (!origin) return;
  response->set(http::field::vary, "Origin");
  if (!OriginAllowed(*origin)) return;
  response->set(http::field::access_control_allow_origin, Trim(*origin));
  if (!expose_headers.empty()) {
    response->set(http::field::access_control_expose_headers, expose_headers);
  }
}

net::HttpResponse AccessPolicy::Preflight(const net::HttpRequest& request,
                                          std::string_view request_id) const {
  net::HttpResponse res{http::status::ok, 11};
  res.set(http::field::content_type, "text/plain");
  res.set("x-amzn-RequestId", request_id);
  res.set(http::field::vary, "Origin");
  auto origin = OriginOf(request);
  const std::string_view method =
      Trim(Field(request, "Access-Control-Request-Method").value_or(""));
  if (!origin || !OriginAllowed(*origin) ||
      !(method.empty() || method == "POST" || method == "GET")) {
    res.result(http::status::forbidden);
    return res;
  }
  res.set(http::field::access_control_allow_origin, Trim(*origin));
  res.set(http::field::access_control_allow_methods, kCorsAllowMethods);
  res.set(http::field::access_control_allow_headers, kCorsAllowHeaders);
  res.set(http::field::access_control_max_age, kCorsMaxAgeSeconds);
  return res;
}

base::Result<const AccessKey*> AccessPolicy::Authenticate(const net::HttpRequest& request,
                                                          std::string_view service) const {
  std::string_view target(request.target().data(), request.target().size());
  std::string_view path = target, query;
  if (size_t q = target.find('?'); q != std::string_view::npos) {
    path = target.substr(0, q);
    query = target.substr(q + 1);
  }
  if (!credentials_mode()) {
    net::AuthShapeInput auth;
    auth.authorization = Field(request, "Authorization");
    auth.x_amz_date = Field(request, "X-Amz-Date");
    auth.date = Field(request, "Date");
    auth.security_token = Field(request, "X-Amz-Security-Token");
    auth.query = query;
    if (auto bad = net::CheckAuthShape(auth, service)) {
      return std::move(*bad);
    }
    return static_cast<const AccessKey*>(nullptr);
  }
  aws::HeaderList headers;
  for (const auto& f : request) {
    headers.push_back({std::string(f.name_string()), std::string(f.value())});
  }
  std::string method(request.method_string());
  aws::SignableRequest signable{method, path, query, headers, request.body()};
  aws::VerifyOptions vo;
  vo.service = service;
  const CredentialsFile* creds = options_.credentials.get();
  std::string key_id;
  auto bad = aws::VerifySigV4(
      signable,
      [creds](std::string_view id) -> std::optional<std::string> {
        const AccessKey* k = creds->Find(id);
        if (k == nullptr) return std::nullopt;
        return k->secret_access_key;
      },
      vo, &key_id);
  if (bad) return std::move(*bad);
  return creds->Find(key_id);
}

std::string AccessPolicy::TableArn(std::string_view table) const {
  const std::string account = credentials() ? credentials()->account_id : "000000000000";
  return "arn:aws:dynamodb:" + options_.region + ":" + account + ":table/" +
         std::string(table.empty() ? "*" : table);
}

base::Error AccessPolicy::Denied(const AccessKey& key, std::string_view action,
                                 std::string_view resource_arn) const {
  const std::string principal = credentials() ? credentials()->PrincipalArn(key) : key.name;
  return base::Error{
      net::AuthErrorCode::kAccessDenied,
      "User: " + principal + " is not authorized to perform: " + std::string(action) +
          " on resource: " + std::string(resource_arn) +
          " because no identity-based policy allows the " + std::string(action) + " action"};
}

std::optional<base::Error> AccessPolicy::Authorize(const AccessKey& key, std::string_view operation,
                                                   bool streams,
                                                   const rapidjson::Value& body) const {
  for (const Need& need : RequiredAccess(operation, streams, body)) {
    if (!Allows(key.grants, need.group, need.table)) {
      return Denied(key, "dynamodb:" + std::string(operation), TableArn(need.table));
    }
  }
  return std::nullopt;
}

}  // namespace server
