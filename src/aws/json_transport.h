// JsonTransport: one attempt of one JSON-protocol call, wherever the service
// lives - over signed HTTP (HttpJsonTransport) or in this process
// (EngineTransport, src/aws/engine/). AwsJsonClient adds retries on top, so
// code written against AwsJsonClient runs unchanged against Amazon
// DynamoDB, a ddb-server, or the embedded engine.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/service.h"
#include "base/error.h"

namespace aws {

class JsonTransport {
 public:
  virtual ~JsonTransport() = default;

  // The service this transport reaches (its X-Amz-Target prefix).
  virtual const AwsService& service() const = 0;

  // Performs `operation` ("PutItem") once with the JSON request `body`,
  // waiting at most `timeout`. Returns the response body (JSON text) of a
  // successful call, or the error: a service error as error_response.h
  // reads it (type, message, HTTP status, extra members), or a client-side
  // client-side error (ClientErrorCode::kConnection, kTimeout, kChecksum).
  // Thread-safe.
  virtual base::Result<std::string> RoundTrip(std::string_view operation, std::string_view body,
                                              std::chrono::milliseconds timeout) = 0;
};

}  // namespace aws
