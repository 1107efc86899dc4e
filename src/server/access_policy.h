// AccessPolicy: who may use a DynamoDB-compatible endpoint (ddb-server, and
// the :8000 endpoint of `cruddur serve`, user pool included). Immutable after
// construction; shared by the handlers of one endpoint; thread-safe.
//
// Two modes:
//  - no credentials file (DynamoDB Local's convenience): any well-formed
//    signature is accepted, but only on loopback (CheckExposure refuses a
//    non-loopback listening address at start-up), and only requests whose
//    Host is localhost, 127.0.0.1 or [::1] (any port) or a name given with
//    --allowed-host are served, so that a web page cannot reach the server
//    through DNS rebinding;
//  - a credentials file (credentials_file.h): every request is verified
//    (SigV4 header or presigned URL, 15 minutes of clock skew) and the
//    key's permissions (permissions.h) must allow it. No Host rule.
//
// Browsers (requests carrying Origin) are served only from the allowed
// origins: those of -cors ("*": any), else the defaults (FRONTEND_URL and
// the dev servers' http://localhost:3000, http://127.0.0.1:3000,
// http://localhost:5173). Another origin is refused with 403 and its
// preflight gets no Access-Control-Allow-* header. An allowed origin gets
// Access-Control-Allow-Origin: <origin> and Vary: Origin, never "*".
// Which operations a browser may call is the handlers' business
// (dynamodb_handler.h, cruddur/serve/front_handler.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "net/http_server.h"
#include "server/credentials_file.h"

namespace server {

// The origins allowed when -cors is not given (FRONTEND_URL comes first
// when set).
inline constexpr std::string_view kDefaultOrigins[] = {
    "http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:5173"};

// What a preflight grants: the methods and request headers the endpoint
// and the AWS SDKs (JavaScript v3, Amplify) use.
inline constexpr std::string_view kCorsAllowMethods = "POST, GET, OPTIONS";
inline constexpr std::string_view kCorsAllowHeaders =
    "authorization, content-type, x-amz-date, x-amz-target, x-amz-user-agent, "
    "x-amz-security-token, x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, "
    "cache-control";
inline constexpr std::string_view kCorsMaxAgeSeconds = "7200";

struct AccessOptions {
  // The keys and their permissions; null = no credentials file.
  std::shared_ptr<const CredentialsFile> credentials;
  // Allowed browser origins (-cors, split on ','; "*" allows every origin).
  // Empty: kDefaultOrigins.
  std::vector<std::string> allowed_origins;
  // Host names besides localhost, 127.0.0.1 and [::1] served without a
  // credentials file (--allowed-host; compared without case, any port).
  std::vector<std::string> allowed_hosts;
  // Region and account in the ARNs of AccessDeniedException messages (the
  // account is the credentials file's).
  std::string region = "us-east-1";
};

// The -cors value as a list: split on ',', entries trimmed, empty ones
// dropped, a trailing '/' removed.
std::vector<std::string> SplitOrigins(std::string_view cors);

// nullopt when a server may listen on `host` with (or without) a
// credentials file; otherwise the one-line reason it may not: without
// credentials only loopback addresses (127.0.0.0/8, ::1, "localhost").
std::optional<std::string> CheckExposure(const std::string& host, bool have_credentials);

class AccessPolicy {
 public:
  explicit AccessPolicy(AccessOptions options);

  bool credentials_mode() const { return options_.credentials != nullptr; }
  const CredentialsFile* credentials() const { return options_.credentials.get(); }
  const AccessOptions& options() const { return options_; }

  // The request's Origin header, if any.
  static std::optional<std::string_view> OriginOf(const net::HttpRequest& request);

  bool HostAllowed(std::string_view host_header) const;
  bool OriginAllowed(std::string_view origin) const;

  // The first admission check of every request: its Host (without a
  // credentials file), then its Origin. nullopt = go on; otherwise an
  // AccessDeniedException with HTTP status 403 to send without any CORS
  // grant.
  std::optional<base::Error> Admit(const net::HttpRequest& request) const;

  // Access-Control-Allow-Origin / -Expose-Headers and Vary: Origin for a
  // request from an allowed origin (nothing without Origin).
  void DecorateCors(const net::HttpRequest& request, std::string_view expose_headers,
                    net::HttpResponse* response) const;
  // The answer to an admitted preflight (OPTIONS with Origin): 200 with the
  // fixed grant above when Access-Control-Request-Method is POST or GET (or
  // absent), else 403 without a grant.
  net::HttpResponse Preflight(const net::HttpRequest& request, std::string_view request_id) const;

  // Checks the request's credentials for signing name `service`
  // ("dynamodb", "cognito-idp"). Without a credentials file: their shape
  // only (net/auth_shape.h), and the result is null. With one: the
  // signature (aws/sigv4_verifier.h), and the result is the signing key.
  base::Result<const AccessKey*> Authenticate(const net::HttpRequest& request,
                                              std::string_view service) const;

  // "arn:aws:dynamodb:<region>:<account>:table/<table>" ("" or "*": table/*).
  std::string TableArn(std::string_view table) const;
  // AccessDeniedException (400, net::AuthErrorCode::kAccessDenied): "User: <principal arn> is not
  // authorized to perform: <action> on resource: <resource arn> because no identity-based policy
  // allows the <action> action" (IAM's wording).
  base::Error Denied(const AccessKey& key, std::string_view action,
                     std::string_view resource_arn) const;
  // Checks a verified DynamoDB (or Streams) request against the key's
  // permissions: nullopt, or Denied(...) naming the first table refused.
  std::optional<base::Error> Authorize(const AccessKey& key, std::string_view operation,
                                       bool streams, const rapidjson::Value& body) const;

 private:
  AccessOptions options_;
  bool any_origin_ = false;
};

// A 403 AccessDeniedException with `message` (net::AuthErrorCode::
// kRequestRefused).
base::Error Refused(std::string message);

// `error` for the DynamoDB wire: the "aws-auth" domain's codes (this
// policy's errors) as DynamoDB's codes of the same names; any other error
// unchanged.
ddb::Error AsDynamoDbError(base::Error error);

}  // namespace server
