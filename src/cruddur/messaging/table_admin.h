// The messages table's lifecycle and raw views, for the bin/ddb tools:
// create it as the seed's bin/ddb/schema-load does, list tables, drop one,
// scan one. Errors are the service's own (ResourceInUseException when the
// table exists, ResourceNotFoundException when it does not, ConnectionError
// when nothing answers).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "base/error.h"

namespace cruddur::messaging {

// CreateTable with the seed's definition (pk HASH + sk RANGE, all S; GSI
// message-group-sk-index on message_group_uuid + sk, projection ALL;
// PROVISIONED 5/5 for the table and the index; tag PROJECT=CRUDDER).
// Returns the response's TableDescription as JSON text.
base::Result<std::string> CreateMessagesTable(aws::AwsJsonClient& client, std::string_view table);

// Makes sure the table's DynamoDB stream is enabled with new images (what
// the live updates read, stream_follower.h): when it has no enabled stream,
// UpdateTable StreamSpecification {StreamEnabled: true, StreamViewType:
// NEW_IMAGE}. Returns true if it enabled it, false if a stream with new
// images (NEW_IMAGE or NEW_AND_OLD_IMAGES) was already on. A stream of
// another view type is a ValidationException naming it (it would have to be
// disabled first). For local tables (cruddur serve, bin/ddb/schema-load
// without prod); in AWS the README says how.
base::Result<bool> EnsureMessagesStream(aws::AwsJsonClient& client, std::string_view table);

// True if the table exists (DescribeTable).
base::Result<bool> TableExists(aws::AwsJsonClient& client, std::string_view table);

// Every table name, following ListTables' pagination.
base::Result<std::vector<std::string>> ListTableNames(aws::AwsJsonClient& client);

// DeleteTable; returns the response's TableDescription as JSON text.
base::Result<std::string> DeleteTable(aws::AwsJsonClient& client, std::string_view table);

// Scans the whole table, calling `on_item` with each item's DynamoDB JSON
// text. Returns the number of items.
base::Result<int64_t> ScanTable(aws::AwsJsonClient& client, std::string_view table,
                                const std::function<void(const std::string&)>& on_item);

}  // namespace cruddur::messaging
