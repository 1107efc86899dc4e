#include "cruddur/serve/front_handler.h"

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <chrono>

#include "cruddur/serve/log.h"
#include "cruddur/userpool/pool_error.h"
#include "net/auth_error.h"
#include "net/request_id.h"
#include "server/permissions.h"
#include "server/request_audit.h"

namespace cruddur::serve {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kPoolTargetPrefix = "AWSCognitoIdentityProviderService.";
constexpr std::string_view kExposeHeaders = "x-amzn-RequestId,x-amzn-ErrorType,Date";

// `request_id` "" = a new one.
net::HttpResponse JsonResponse(unsigned status, std::string body, std::string_view content_type,
                               const server::AccessPolicy& access, const net::HttpRequest& request,
                               std::string_view request_id = {}) {
  net::HttpResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, content_type);
  if (request_id.empty()) {
    res.set("x-amzn-RequestId", net::NewRequestId());
  } else {
    res.set("x-amzn-RequestId", request_id);
  }
  // Browsers (Amplify) call the pool cross-origin, as they call Cognito.
  access.DecorateCors(request, kExposeHeaders, &res);
  res.body() = std::move(body);
  return res;
}

net::HttpResponse CognitoError(const base::Error& error, const server::AccessPolicy& access,
                               const net::HttpRequest& request, std::string_view request_id = {}) {
  auto res =
      JsonResponse(static_cast<unsigned>(userpool::ErrorStatus(error)), userpool::ErrorBody(error),
                   "application/x-amz-json-1.1", access, request, request_id);
  res.set("x-amzn-ErrorType", userpool::ErrorName(error));
  return res;
}

}  // namespace

bool IsPublicPoolOperation(std::string_view operation) {
  for (std::string_view op : kPublicPoolOperations) {
    if (op == operation) return true;
  }
  return false;
}

FrontHandler::FrontHandler(server::DynamoDbHandler* dynamodb, userpool::UserPool* pool,
                           std::shared_ptr<const server::AccessPolicy> access,
                           unsigned pool_threads, std::shared_ptr<net::AuditLog> audit)
    : dynamodb_(dynamodb),
      pool_(pool),
      access_(access ? std::move(access)
                     : std::make_shared<const server::AccessPolicy>(server::AccessOptions{})),
      jwks_path_(pool ? "/" + pool->pool_id() + "/.well-known/jwks.json" : ""),
      audit_(std::move(audit)),
      workers_(pool_threads) {}

FrontHandler::~FrontHandler() { Drain(); }

void FrontHandler::Drain() { workers_.join(); }

std::optional<base::Error> FrontHandler::CheckPoolAdmin(const net::HttpRequest& request,
                                                        std::string_view operation) const {
  if (auto origin = server::AccessPolicy::OriginOf(request)) {
    return server::Refused(std::string(operation) +
                           " is an IAM-authorized operation of the user pool and is never "
                           "accepted from a browser (Origin '" +
                           std::string(*origin) + "')");
  }
  auto key = access_->Authenticate(request, "cognito-idp");
  if (!key.ok()) {
    base::Error e = key.error();
    if (e.code == net::AuthErrorCode::kMissingAuthenticationToken) {
      e.message = "Missing Authentication Token";
    }
    return e;
  }
  const server::AccessKey* k = key.value();
  if (k == nullptr) return std::nullopt;  // no credentials file: any signature
  if (server::Allows(k->grants, server::ActionGroup::kUserPoolAdmin, pool_->pool_id())) {
    return std::nullopt;
  }
  return access_->Denied(*k, "cognito-idp:" + std::string(operation), PoolArn());
}

std::string FrontHandler::PoolArn() const {
  const std::string account =
      access_->credentials() ? access_->credentials()->account_id : "000000000000";
  return "arn:aws:cognito-idp:" + access_->options().region + ":" + account + ":userpool/" +
         (pool_ ? pool_->pool_id() : std::string());
}

void FrontHandler::AuditDenial(const net::HttpRequest& request, const net::Responder& responder,
                               std::string_view operation, std::string_view request_id,
                               const base::Error& error, std::string_view reason) const {
  if (!audit_) return;
  net::AuditEvent e =
      server::DenialFor(request, net::kCognitoEventSource, operation,
                        server::ClientAddress(responder), request_id, error.Name(), reason);
  if (pool_) e.resources.push_back(PoolArn());
  audit_->Record(e);
}

void FrontHandler::Handle(net::HttpRequest&& request, net::Responder responder) {
  if (pool_) {
    // The DynamoDB routes check admission themselves (same policy).
    const bool to_pool = [&] {
      if (request.method() == http::verb::options) return true;
      if (request.method() == http::verb::get) {
        std::string_view path(request.target().data(), request.target().size());
        return path.substr(0, path.find('?')) == jwks_path_;
      }
      if (request.method() != http::verb::post) return false;
      auto it = request.find("X-Amz-Target");
      if (it == request.end()) return false;
      std::string_view target(it->value().data(), it->value().size());
      return target.starts_with(kPoolTargetPrefix);
    }();
    if (to_pool) {
      if (auto refused = access_->Admit(request)) {
        const std::string id = net::NewRequestId();
        AuditDenial(request, responder, server::AuditOperationName(request), id, *refused,
                    server::AdmissionRefusalReason(*access_, request));
        return responder.Send(CognitoError(*refused, *access_, request, id));
      }
      if (request.method() == http::verb::options) {
        if (server::AccessPolicy::OriginOf(request)) {
          return responder.Send(access_->Preflight(request, net::NewRequestId()));
        }
      } else if (request.method() == http::verb::get) {
        return responder.Send(
            JsonResponse(200, pool_->JwksJson(), "application/json", *access_, request));
      } else {
        auto it = request.find("X-Amz-Target");
        std::string operation(std::string_view(it->value().data(), it->value().size())
                                  .substr(kPoolTargetPrefix.size()));
        if (!IsPublicPoolOperation(operation)) {
          if (auto refused = CheckPoolAdmin(request, operation)) {
            LogEvent("userpool_refused", {{"operation", operation}, {"type", refused->Name()}});
            const std::string id = net::NewRequestId();
            AuditDenial(request, responder, operation, id, *refused,
                        server::AccessPolicy::OriginOf(request)
                            ? "IAM-authorized pool operations are never accepted from a browser"
                            : "");
            return responder.Send(CognitoError(*refused, *access_, request, id));
          }
        }
        HandlePool(std::move(request), std::move(responder), std::move(operation));
        return;
      }
    }
  }
  if (dynamodb_) {
    dynamodb_->Handle(std::move(request), std::move(responder));
    return;
  }
  if (auto refused = access_->Admit(request)) {
    const std::string id = net::NewRequestId();
    AuditDenial(request, responder, server::AuditOperationName(request), id, *refused,
                server::AdmissionRefusalReason(*access_, request));
    return responder.Send(CognitoError(*refused, *access_, request, id));
  }
  responder.Send(JsonResponse(
      400,
      R"json({"__type":"com.amazon.coral.service#UnknownOperationException","message":"This endpoint serves the local user pool only; DynamoDB is elsewhere (AWS_ENDPOINT_URL)"})json",
      "application/x-amz-json-1.0", *access_, request));
}

void FrontHandler::AuditPoolCall(const net::HttpRequest& request, const net::Responder& responder,
                                 std::string_view operation, std::string_view request_id,
                                 int status, std::string_view body) const {
  const bool admin = !IsPublicPoolOperation(operation);
  if (!admin && status < 300) return;  // the common case: a public call that went through
  net::AuditEvent e = server::AuditEventFor(request, net::kCognitoEventSource, operation,
                                            server::ClientAddress(responder), request_id);
  server::SetOutcome(e, status, body);
  if (!admin) {
    // A public operation is recorded only when it was refused.
    if (e.error_code != "NotAuthorizedException") return;
    e.outcome = net::AuditOutcome::kDenied;
  }
  e.resources.push_back(PoolArn());
  audit_->Record(e);
}

void FrontHandler::HandlePool(net::HttpRequest&& request, net::Responder responder,
                              std::string operation) {
  boost::asio::post(workers_, [this, request = std::move(request), responder = std::move(responder),
                               operation = std::move(operation)]() mutable {
    const auto start = std::chrono::steady_clock::now();
    auto out = pool_->Call(operation, request.body());
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    LogEvent("userpool", {{"operation", operation},
                          {"status", std::to_string(out.status)},
                          {"duration_ms", std::to_string(us / 1000.0)}});
    const std::string id = net::NewRequestId();
    if (audit_) AuditPoolCall(request, responder, operation, id, out.status, out.body);
    responder.Send(JsonResponse(out.status, std::move(out.body), "application/x-amz-json-1.1",
                                *access_, request, id));
  });
}

}  // namespace cruddur::serve
