#include "cruddur/serve/front_handler.h"

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <chrono>

#include "cruddur/serve/log.h"
#include "net/request_id.h"

namespace cruddur::serve {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view kPoolTargetPrefix = "AWSCognitoIdentityProviderService.";

net::HttpResponse JsonResponse(unsigned status, std::string body, std::string_view content_type) {
  net::HttpResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, content_type);
  res.set("x-amzn-RequestId", net::NewRequestId());
  // Browsers (Amplify) call the pool cross-origin, as they call Cognito.
  res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::access_control_expose_headers, "x-amzn-RequestId,x-amzn-ErrorType,Date");
  res.body() = std::move(body);
  return res;
}

}  // namespace

FrontHandler::FrontHandler(server::DynamoDbHandler* dynamodb, userpool::UserPool* pool,
                           unsigned pool_threads)
    : dynamodb_(dynamodb),
      pool_(pool),
      jwks_path_(pool ? "/" + pool->pool_id() + "/.well-known/jwks.json" : ""),
      workers_(pool_threads) {}

FrontHandler::~FrontHandler() { Drain(); }

void FrontHandler::Drain() { workers_.join(); }

void FrontHandler::Handle(net::HttpRequest&& request, net::Responder responder) {
  if (pool_) {
    if (request.method() == http::verb::post) {
      auto it = request.find("X-Amz-Target");
      if (it != request.end()) {
        std::string_view target(it->value().data(), it->value().size());
        if (target.substr(0, kPoolTargetPrefix.size()) == kPoolTargetPrefix) {
          HandlePool(std::move(request), std::move(responder),
                     std::string(target.substr(kPoolTargetPrefix.size())));
          return;
        }
      }
    } else if (request.method() == http::verb::get) {
      std::string_view path(request.target().data(), request.target().size());
      path = path.substr(0, path.find('?'));
      if (path == jwks_path_) {
        responder.Send(JsonResponse(200, pool_->JwksJson(), "application/json"));
        return;
      }
    }
  }
  if (dynamodb_) {
    dynamodb_->Handle(std::move(request), std::move(responder));
    return;
  }
  responder.Send(JsonResponse(
      400,
      R"json({"__type":"com.amazon.coral.service#UnknownOperationException","message":"This endpoint serves the local user pool only; DynamoDB is elsewhere (AWS_ENDPOINT_URL)"})json",
      "application/x-amz-json-1.0"));
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
    responder.Send(JsonResponse(out.status, std::move(out.body), "application/x-amz-json-1.1"));
  });
}

}  // namespace cruddur::serve
