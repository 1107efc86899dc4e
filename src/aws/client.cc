#include "aws/client.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <random>
#include <thread>

#include "aws/ca_bundle.h"
#include "aws/client_error.h"
#include "aws/credentials.h"
#include "aws/http_json_transport.h"

namespace aws {

namespace {

double ThreadLocalRandom() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

AwsJsonClient::AwsJsonClient(std::unique_ptr<JsonTransport> transport, ClientOptions options)
    : transport_(std::move(transport)), options_(std::move(options)) {
  if (!options_.sleep)
    options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  if (!options_.random) options_.random = &ThreadLocalRandom;
  if (options_.retry.max_attempts < 1) options_.retry.max_attempts = 1;
}

base::Result<std::unique_ptr<AwsJsonClient>> AwsJsonClient::FromEnvironment(
    const AwsService& service, const ClientConfig& config, const EnvLookup& env,
    ClientOptions options) {
  ASSIGN_OR_RETURN(SharedConfig shared, LoadSharedConfig(env, config.profile));

  HttpJsonTransportOptions t;
  t.service = service;
  t.http = config.http;
  if (t.http.ca_file.empty()) {
    ASSIGN_OR_RETURN(t.http.ca_file, ResolveCaBundle(env, shared));
  }
  if (config.region) {
    t.region = *config.region;
  } else {
    auto region = ResolveRegion(env, shared);
    if (!region.ok() && !config.default_region) return std::move(region).error();
    t.region = region.ok() ? *region : *config.default_region;
  }

  if (config.endpoint_url) {
    ASSIGN_OR_RETURN(t.endpoint, ParseEndpointUrl(*config.endpoint_url));
  } else if (config.public_endpoint) {
    ASSIGN_OR_RETURN(t.endpoint, ParseEndpointUrl(DefaultEndpointUrl(service, t.region)));
  } else {
    ASSIGN_OR_RETURN(t.endpoint, ResolveEndpoint(service, t.region, env, shared));
  }

  if (config.credentials) {
    t.credentials = *config.credentials;
  } else {
    auto resolved = ResolveCredentials(env, shared);
    if (resolved.ok()) {
      t.credentials = resolved->credentials;
    } else if (config.default_credentials) {
      t.credentials = *config.default_credentials;
    } else {
      return std::move(resolved).error();
    }
  }
  return std::make_unique<AwsJsonClient>(std::make_unique<HttpJsonTransport>(std::move(t)),
                                         std::move(options));
}

base::Result<std::string> AwsJsonClient::Call(std::string_view operation, std::string_view request,
                                              CallStats* stats) {
  using std::chrono::milliseconds;
  using SteadyClock = std::chrono::steady_clock;
  const auto deadline = SteadyClock::now() + options_.total_timeout;
  CallStats local;
  CallStats& s = stats != nullptr ? *stats : local;
  s = CallStats{};

  std::optional<base::Error> last;
  for (int attempt = 1; attempt <= options_.retry.max_attempts; ++attempt) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
    if (left <= milliseconds(0)) break;
    ++s.attempts;
    auto result =
        transport_->RoundTrip(operation, request, std::min(left, options_.attempt_timeout));
    if (result.ok()) return result;
    last = std::move(result).error();
    if (attempt == options_.retry.max_attempts || !IsRetryable(*last)) break;
    milliseconds delay = BackoffDelay(options_.retry, attempt, options_.random());
    left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
    if (delay >= left) break;  // no time left for another attempt
    options_.sleep(delay);
    s.slept += delay;
  }
  if (last) return std::move(*last);
  return ClientError(ClientErrorCode::kTimeout, "no attempt of " + std::string(operation) +
                                                    " could start within the total timeout of " +
                                                    std::to_string(options_.total_timeout.count()) +
                                                    " ms");
}

base::Result<rapidjson::Document> AwsJsonClient::CallJson(std::string_view operation,
                                                          const rapidjson::Value& request,
                                                          CallStats* stats) {
  return CallParsed(operation, request, /*in_place=*/false, stats);
}

base::Result<rapidjson::Document> AwsJsonClient::CallJsonInPlace(std::string_view operation,
                                                                 const rapidjson::Value& request,
                                                                 CallStats* stats) {
  return CallParsed(operation, request, /*in_place=*/true, stats);
}

base::Result<rapidjson::Document> AwsJsonClient::CallParsed(std::string_view operation,
                                                            const rapidjson::Value& request,
                                                            bool in_place, CallStats* stats) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  request.Accept(w);
  ASSIGN_OR_RETURN(std::string body,
                   Call(operation, std::string_view(buf.GetString(), buf.GetSize()), stats));
  rapidjson::Document doc;
  if (body.empty()) {
    doc.SetObject();  // some operations (TagResource) answer with no body
    return doc;
  }
  // RapidJSON's NUL-terminated streams: its fastest (RAPIDJSON_SSE2,
  // CMakeLists.txt). The outcome is that of a parse bounded by the length:
  // RapidJSON's parser takes a NUL for the end of its input either way.
  if (in_place) {
    auto* text = static_cast<char*>(doc.GetAllocator().Malloc(body.size() + 1));
    std::memcpy(text, body.c_str(), body.size() + 1);
    doc.ParseInsitu(text);
  } else {
    doc.Parse(body.c_str());
  }
  if (doc.HasParseError()) {
    return ClientError(ClientErrorCode::kInvalidResponse,
                       "the response to " + std::string(operation) + " is not JSON");
  }
  return doc;
}

}  // namespace aws
