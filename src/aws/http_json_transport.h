// HttpJsonTransport: a JsonTransport over HTTP(S) - every request signed
// with SigV4, every response's x-amz-crc32 checked when present.
//
// A request is "POST <endpoint path>" with headers Host, Content-Type
// (the service's application/x-amz-json-1.x), X-Amz-Target
// (<prefix>.<operation>), X-Amz-Date, X-Amz-Security-Token (temporary
// credentials) - all signed - and an unsigned User-Agent.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "aws/endpoint.h"
#include "aws/http_client.h"
#include "aws/json_transport.h"
#include "aws/sigv4.h"

namespace aws {

struct HttpJsonTransportOptions {
  AwsService service = kDynamoDB;
  Endpoint endpoint;   // where to send (see endpoint.h)
  std::string region;  // signing region
  Credentials credentials;
  HttpClientOptions http;
  std::string user_agent = "cruddur-aws/1.0";
  // The signing clock; tests fix it.
  std::function<Clock::time_point()> clock = [] { return Clock::now(); };
};

class HttpJsonTransport : public JsonTransport {
 public:
  explicit HttpJsonTransport(HttpJsonTransportOptions options);

  const AwsService& service() const override { return options_.service; }

  // See JsonTransport. Non-200 responses become errors by
  // ParseErrorResponse; a response whose x-amz-crc32 header disagrees with
  // the CRC32 of its body is a ChecksumError (retryable), whatever its
  // status.
  base::Result<std::string> RoundTrip(std::string_view operation, std::string_view body,
                                      std::chrono::milliseconds timeout) override;

  const HttpJsonTransportOptions& options() const { return options_; }

 private:
  HttpJsonTransportOptions options_;
  std::string url_;
  std::string host_header_;
  HttpClient http_;
};

}  // namespace aws
