#include "aws/engine/engine_transport.h"

#include <string>

#include "aws/error_response.h"
#include "ddb/protocol/dynamodb_json.h"

namespace aws {

base::Result<std::string> EngineTransport::RoundTrip(std::string_view operation,
                                                     std::string_view body,
                                                     std::chrono::milliseconds /*timeout*/) {
  std::string target = std::string(kDynamoDB.target_prefix) + "." + std::string(operation);
  ddb::protocol::Reply reply;
  ddb::protocol::Handle(*engine_, target, body, &reply);
  if (reply.status == 200) return std::move(reply.body);
  return ParseErrorResponse(reply.status, {}, reply.body, kDynamoDB.decode_error);
}

}  // namespace aws
