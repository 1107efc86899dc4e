// Which region and which URL a client talks to, resolved as the AWS SDKs do.
//
// Region: AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region`
// in the config file.
//
// Endpoint, first match wins (the SDKs' "service-specific endpoints"):
//  1. AWS_ENDPOINT_URL_<SERVICE> (AWS_ENDPOINT_URL_DYNAMODB, ..._DYNAMODB_STREAMS,
//     ..._COGNITO_IDENTITY_PROVIDER);
//  2. AWS_ENDPOINT_URL;
//  3. the config file: the profile's `services = name` section
//     [services name] with "dynamodb =\n  endpoint_url = ...", then the
//     profile's own `endpoint_url`;
//  4. https://<prefix>.<region>.amazonaws.com (".amazonaws.com.cn" in cn-
//     regions), prefix dynamodb / streams.dynamodb / cognito-idp.
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or the profile's
// ignore_configured_endpoint_urls = true) skips 1-3.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "aws/service.h"
#include "aws/shared_config.h"
#include "base/error.h"

namespace aws {

// A parsed endpoint URL.
struct Endpoint {
  std::string url;     // as given, without a trailing '/'
  std::string scheme;  // "http" or "https"
  std::string host;    // "localhost", "::1" (no brackets), "dynamodb.us-east-1.amazonaws.com"
  uint16_t port = 0;   // explicit or the scheme's default
  std::string path;    // "/" or the URL's path

  // The Host header: host, bracketed if IPv6, with ":port" unless the port
  // is the scheme's default.
  std::string HostHeader() const;
};

// Every failure below is a ClientErrorCode::kEndpoint.

// Parses "http[s]://host[:port][/path]". Errors (EndpointError): another
// scheme, no host, a bad port, a query or fragment.
base::Result<Endpoint> ParseEndpointUrl(std::string_view url);

// The region (see above). Error (EndpointError) when none is configured.
base::Result<std::string> ResolveRegion(const EnvLookup& env, const SharedConfig& config);

// The public endpoint of `service` in `region`.
std::string DefaultEndpointUrl(const AwsService& service, std::string_view region);

// The endpoint (see above), parsed. Errors: a configured URL that does not
// parse (the message names the variable or file it came from).
base::Result<Endpoint> ResolveEndpoint(const AwsService& service, std::string_view region,
                                       const EnvLookup& env, const SharedConfig& config);

}  // namespace aws
