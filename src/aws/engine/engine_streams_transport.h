// EngineStreamsTransport: EngineTransport's twin for DynamoDB Streams
// (X-Amz-Target DynamoDBStreams_20120810.*: ListStreams, DescribeStream,
// GetShardIterator, GetRecords) on an embedded ddb::Engine, so a stream
// reader written against AwsJsonClient runs unchanged in process, against a
// ddb-server, or against Amazon DynamoDB Streams.
#pragma once

#include "aws/json_transport.h"
#include "ddb/engine/engine.h"

namespace aws {

class EngineStreamsTransport : public JsonTransport {
 public:
  // `engine` is not owned and must outlive the transport.
  explicit EngineStreamsTransport(ddb::Engine* engine) : engine_(engine) {}

  // Always DynamoDB Streams.
  const AwsService& service() const override { return kDynamoDBStreams; }

  // See JsonTransport; `timeout` is ignored.
  base::Result<std::string> RoundTrip(std::string_view operation, std::string_view body,
                                      std::chrono::milliseconds timeout) override;

 private:
  ddb::Engine* engine_;
};

}  // namespace aws
