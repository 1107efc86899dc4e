// The AWS services the client speaks to, with everything that differs
// between them: how they sign, where their endpoints are, how their
// JSON-protocol requests are framed. Constants; no behaviour.
#pragma once

#include <string_view>
#include <system_error>

namespace aws {

// The code of a service's error named `name` (what follows the '#' of
// "__type"), or an empty std::error_code for a name it does not know.
using ErrorDecoder = std::error_code (*)(std::string_view name);

// DynamoDB's and DynamoDB Streams' decoder: the "dynamodb" domain
// (ddb/common/error.h).
std::error_code DecodeDynamoDbError(std::string_view name);

struct AwsService {
  // The SDKs' service id, for messages: "DynamoDB".
  std::string_view id;
  // SigV4 signing name (credential scope service): "dynamodb".
  std::string_view signing_name;
  // Host prefix of the public endpoint: https://<prefix>.<region>.amazonaws.com.
  std::string_view endpoint_prefix;
  // Suffix of the service-specific endpoint variable AWS_ENDPOINT_URL_<suffix>.
  std::string_view env_suffix;
  // Key of the service in a config file's [services x] section.
  std::string_view config_key;
  // X-Amz-Target prefix, without the trailing '.'.
  std::string_view target_prefix;
  // Content-Type of requests: application/x-amz-json-1.0 or -1.1.
  std::string_view content_type;
  // Its errors' codes by name; null: every error it answers is a
  // ClientErrorCode (client_error.h).
  ErrorDecoder decode_error = nullptr;
};

inline constexpr AwsService kDynamoDB{"DynamoDB",
                                      "dynamodb",
                                      "dynamodb",
                                      "DYNAMODB",
                                      "dynamodb",
                                      "DynamoDB_20120810",
                                      "application/x-amz-json-1.0",
                                      DecodeDynamoDbError};

// DynamoDB Streams signs as "dynamodb" but lives on its own host.
inline constexpr AwsService kDynamoDBStreams{
    "DynamoDB Streams",           "dynamodb",         "streams.dynamodb",
    "DYNAMODB_STREAMS",           "dynamodb_streams", "DynamoDBStreams_20120810",
    "application/x-amz-json-1.0", DecodeDynamoDbError};

inline constexpr AwsService kCognitoIdentityProvider{"Cognito Identity Provider",
                                                     "cognito-idp",
                                                     "cognito-idp",
                                                     "COGNITO_IDENTITY_PROVIDER",
                                                     "cognito_identity_provider",
                                                     "AWSCognitoIdentityProviderService",
                                                     "application/x-amz-json-1.1"};

}  // namespace aws
