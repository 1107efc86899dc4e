// EngineTransport: a JsonTransport that runs DynamoDB calls on an embedded
// ddb::Engine in this process, through the same protocol framing the
// ddb-server uses on the wire (ddb/protocol/dynamodb_json.h). Responses and
// errors are exactly those a ddb-server would send, minus HTTP and
// credentials, so an AwsJsonClient over it behaves like one over HTTP.
//
// Lives in its own library (aws_engine) so that the aws layer itself never
// depends on the engine.
#pragma once

#include "aws/json_transport.h"
#include "ddb/engine/engine.h"

namespace aws {

class EngineTransport : public JsonTransport {
 public:
  // `engine` is not owned and must outlive the transport.
  explicit EngineTransport(ddb::Engine* engine) : engine_(engine) {}

  // Always DynamoDB.
  const AwsService& service() const override { return kDynamoDB; }

  // See JsonTransport. `timeout` is ignored: the call runs to completion.
  // Errors are parsed from the protocol's error body, as over HTTP.
  base::Result<std::string> RoundTrip(std::string_view operation, std::string_view body,
                                      std::chrono::milliseconds timeout) override;

 private:
  ddb::Engine* engine_;
};

}  // namespace aws
