// DynamoDB Streams: change records written with the change itself, and the
// DynamoDBStreams_20120810 operations that read them.
//
// Every ItemWrite that changes an item of a table with an enabled stream adds
// one stream record to the same WriteBatch (ItemWrite::AddTo calls
// AddStreamRecord). Sequence numbers come from one engine-wide counter:
//   seq = max(previous + 1, now_ms * 10^6)
// printed as a 21-digit decimal, so a sequence number also tells the
// millisecond its record was written. Because AddTo runs under the item's
// lock, one item's records are numbered in commit order. Readers see only
// records below the "visible watermark" (no allocated number below it is
// still being written), so a consumer never skips a record that commits late.
//
// Key layout (keys.h, prefix "\x04"):
//   "\x04" "\x00" <stream arn>             stream descriptor (JSON)
//   "\x04" "\x01" <stream id:8> <seq:8>    one stream record (its JSON)
//
// Shards: shard k of a stream covers the sequence numbers written in
// [created + k * shard_period, created + (k + 1) * shard_period); shard k's
// parent is shard k - 1. The last shard of a disabled stream ends at the
// stream's final sequence number. Records older than the retention period
// (24 hours) are deleted by a background trim.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "ddb/common/error.h"
#include "ddb/model/json_codec.h"

namespace ddb {

class EngineContext;
class WriteBatch;
struct ItemWrite;
struct TableInfo;
class StreamRegistry;

// The userIdentity of a stream record. Unset on ordinary writes; TTL
// deletions carry StreamIdentity::TimeToLive().
struct StreamIdentity {
  std::string type;
  std::string principal_id;
  static StreamIdentity TimeToLive() { return {"Service", "dynamodb.amazonaws.com"}; }
};

// Holds a sequence number "in flight" until the batch holding its record is
// written (or abandoned): readers do not read past it. Released when the
// last copy is destroyed or by ItemWrite::CommitStats().
struct StreamTicket;

struct StreamOptions {
  double retention_seconds = 24 * 3600;
  double shard_seconds = 4 * 3600;
  // How long an iterator is usable after it is issued (DynamoDB: 15 minutes).
  double iterator_seconds = 15 * 60;
  // How often the background trim runs (at most; a retention shorter than
  // four intervals, as tests set, trims every quarter of the retention).
  double trim_interval_seconds = 60;
};

// Opens the registry: loads stream descriptors, recovers the sequence
// counter from the largest stored record and starts the background trim.
// Called by Engine::Open after the catalog is loaded.
Status OpenStreams(EngineContext& ctx, const StreamOptions& options);

// After CreateTable/UpdateTable committed `after`: makes sure its enabled
// stream has a descriptor and marks the table's other streams DISABLED.
void SyncTableStreams(EngineContext& ctx, const TableInfo& after);

// ItemWrite::AddTo's hook: adds the stream record of `w` (loaded, its new
// item set) to `batch` if the table has an enabled stream and the write
// changes the item. Returns the ticket to hold until the batch is written.
std::shared_ptr<StreamTicket> AddStreamRecord(EngineContext& ctx, const ItemWrite& w,
                                              WriteBatch& batch);

// Runs one trim pass now (tests; the background task runs it periodically).
void TrimStreamsNow(EngineContext& ctx);

// The largest sequence number readers may see (tests).
std::string StreamVisibleWatermark(EngineContext& ctx);

namespace ops {
using StreamRequest = rapidjson::Value;
Status ListStreams(EngineContext& ctx, const StreamRequest& req, JsonWriter& out);
Status DescribeStream(EngineContext& ctx, const StreamRequest& req, JsonWriter& out);
Status GetShardIterator(EngineContext& ctx, const StreamRequest& req, JsonWriter& out);
Status GetRecords(EngineContext& ctx, const StreamRequest& req, JsonWriter& out);
}  // namespace ops

}  // namespace ddb
