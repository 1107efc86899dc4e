// AwsJsonClient: calls to a JSON-protocol AWS service (DynamoDB, DynamoDB
// Streams, Cognito user pools) with the AWS SDKs' retry behaviour, over any
// JsonTransport: signed HTTP to AWS or a ddb-server, or the embedded engine
// in this process.
//
//   auto client = aws::AwsJsonClient::FromEnvironment(aws::kDynamoDB, {});
//   if (!client.ok()) { ... client.error().message ... }
//   auto out = (*client)->Call("ListTables", "{}");
//
// Each call is tried up to RetryPolicy::max_attempts times while its error
// is retryable (retry.h), sleeping a full-jitter backoff between attempts,
// and never past ClientOptions::total_timeout. Thread-safe when the
// transport is (both provided transports are).
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aws/endpoint.h"
#include "aws/http_client.h"
#include "aws/json_transport.h"
#include "aws/retry.h"
#include "aws/shared_config.h"
#include "aws/sigv4.h"
#include "base/error.h"

namespace aws {

struct ClientOptions {
  RetryPolicy retry;
  // Longest single attempt (connect, send, wait, read).
  std::chrono::milliseconds attempt_timeout{std::chrono::seconds(10)};
  // Longest call, all attempts and backoffs included. When it runs out the
  // last error is returned (or TimeoutError if no attempt could start).
  std::chrono::milliseconds total_timeout{std::chrono::seconds(30)};
  // Sleeps between attempts; tests replace it to observe backoffs.
  std::function<void(std::chrono::milliseconds)> sleep;
  // Uniform random numbers in [0, 1) for the jitter; tests fix them.
  std::function<double()> random;
};

// What a call did, for logging and tests.
struct CallStats {
  int attempts = 0;
  std::chrono::milliseconds slept{0};
};

// How FromEnvironment resolves what the environment does not say, or
// overrides what it does.
struct ClientConfig {
  std::optional<std::string> profile;       // instead of AWS_PROFILE
  std::optional<std::string> region;        // instead of the resolved region
  std::optional<std::string> endpoint_url;  // instead of the resolved endpoint
  // Ignore AWS_ENDPOINT_URL* and configured endpoints: always the public
  // endpoint of the region (the seed tools' "prod").
  bool public_endpoint = false;
  std::optional<Credentials> credentials;  // instead of the resolved ones
  // Used only when nothing is configured (for a local ddb-server, which
  // accepts any keys in any region).
  std::optional<std::string> default_region;
  std::optional<Credentials> default_credentials;
  HttpClientOptions http;
};

class AwsJsonClient {
 public:
  explicit AwsJsonClient(std::unique_ptr<JsonTransport> transport, ClientOptions options = {});

  // A client over signed HTTP, configured from `env` and the shared files:
  // credentials.h for the keys, endpoint.h for region and endpoint,
  // ca_bundle.h for the CAs an https endpoint is checked against (unless
  // config.http.ca_file names them), with `config` applied on top.
  // Errors: NoCredentialsError, EndpointError, ConfigError, each with a
  // one-line message.
  static base::Result<std::unique_ptr<AwsJsonClient>> FromEnvironment(
      const AwsService& service, const ClientConfig& config,
      const EnvLookup& env = ProcessEnvironment(), ClientOptions options = {});

  // Calls `operation` ("PutItem") with the JSON text `request`. Returns the
  // response body, or the last attempt's error. `stats`, if given, is filled.
  base::Result<std::string> Call(std::string_view operation, std::string_view request,
                                 CallStats* stats = nullptr);

  // Call with a JSON value in and a parsed document out. A response that is
  // not JSON is a ClientErrorCode::kInvalidResponse.
  base::Result<rapidjson::Document> CallJson(std::string_view operation,
                                             const rapidjson::Value& request,
                                             CallStats* stats = nullptr);

  // CallJson, cheaper for large answers: the body is parsed in place
  // (RapidJSON's in-situ mode) in a copy that the document's allocator
  // holds, so its strings are not copied out of the text. Such a string
  // stays a reference to that buffer also in a Value copied from the
  // document into another (Value(v, other_allocator)): read the answer, or
  // serialize it, while the document lives; never keep a copy longer.
  base::Result<rapidjson::Document> CallJsonInPlace(std::string_view operation,
                                                    const rapidjson::Value& request,
                                                    CallStats* stats = nullptr);

  JsonTransport& transport() { return *transport_; }
  const ClientOptions& options() const { return options_; }

 private:
  base::Result<rapidjson::Document> CallParsed(std::string_view operation,
                                               const rapidjson::Value& request, bool in_place,
                                               CallStats* stats);

  std::unique_ptr<JsonTransport> transport_;
  ClientOptions options_;
};

}  // namespace aws
