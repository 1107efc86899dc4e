// The stream log: the records of DynamoDB Streams (stream_records.h),
// written with the changes themselves, and what numbers, finds and trims
// them. The DynamoDBStreams_20120810 operations that read it are
// engine/stream_ops.cc; its periodic trim is jobs/log_trim.h.
//
// Every item write that changes an item of a table with an enabled stream
// adds one stream record to the same WriteBatch (engine/item_write.cc calls
// Append). Sequence numbers come from one engine-wide counter (the format:
// stream_records.h). Because Append runs under the item's lock, one item's
// records are numbered in commit order. Readers see only records below the
// "visible watermark" (no allocated number below it is still being
// written), so a consumer never skips a record that commits late.
//
// Shards (stream_shards.h) cut a stream by time. Records older than the
// retention period (24 hours) are deleted by Trim().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/format/catalog.h"
#include "ddb/format/item_change.h"
#include "ddb/format/stream_records.h"
#include "ddb/format/stream_shards.h"
#include "ddb/storage/store.h"

namespace ddb {

struct StreamOptions {
  double retention_seconds = 24 * 3600;
  double shard_seconds = 4 * 3600;
  // How long an iterator is usable after it is issued (DynamoDB: 15 minutes).
  double iterator_seconds = 15 * 60;
  // How often the background trim runs (at most; a retention shorter than
  // four intervals, as tests set, trims every quarter of the retention).
  double trim_interval_seconds = 60;
};

// Holds a sequence number "in flight" until the batch holding its record is
// written (or abandoned): readers do not read past it. Released when the
// last copy is destroyed (the write path drops it once the batch is
// written).
struct StreamTicket;

namespace streams {
// Now, in milliseconds since the epoch (the engine's clock).
int64_t NowMs();
}  // namespace streams

class StreamLog {
 public:
  StreamLog(Store* store, Catalog* catalog, const StreamOptions& options);
  StreamLog(const StreamLog&) = delete;
  StreamLog& operator=(const StreamLog&) = delete;

  const StreamOptions& options() const { return options_; }

  // Loads the stream descriptors, recovers the sequence counter from the
  // largest stored record and brings the descriptors in line with the
  // catalog's tables. Called by Engine::Open after the catalog is loaded.
  Status Open();

  // After CreateTable/UpdateTable committed `after`: makes sure its enabled
  // stream has a descriptor and marks the table's other streams DISABLED.
  void Sync(const TableInfo& after);

  // The write path's hook: adds the stream record of `change` to `batch` if
  // the table has an enabled stream and the write changes the item. Returns
  // the ticket to hold until the batch is written (null: no record).
  std::shared_ptr<StreamTicket> Append(const ItemChange& change, WriteBatch& batch);

  // One trim pass: deletes the records older than the retention period, and
  // the streams disabled for longer than it.
  void Trim();

  // ---- Readers (the DynamoDBStreams operations) ----
  // Every stream (copies, in ARN order), after marking the streams their
  // tables no longer have DISABLED.
  std::vector<streams::StreamDesc> List();
  // The stream with `arn` (a copy) after the same refresh, or
  // ResourceNotFoundException.
  Result<streams::StreamDesc> Find(std::string_view arn);
  // The shards stream `d` shows at `now_ms`.
  streams::ShardSpan SpanOf(const streams::StreamDesc& d, int64_t now_ms);
  // The sequence numbers below this one have expired at `now_ms`.
  uint64_t CutoffSeq(int64_t now_ms) const;
  // How long an iterator stays usable.
  int64_t IteratorLifetimeMs() const;
  // The largest sequence number readers may see (tests).
  std::string VisibleWatermark();

 private:
  friend struct StreamTicket;

  // Allocates a sequence number and holds it in flight.
  uint64_t Allocate(int64_t now_ms);
  void Done(uint64_t seq);
  // Every sequence number <= the watermark is written or abandoned; every
  // later allocation is above it.
  uint64_t Watermark(int64_t now_ms);
  // Every later allocation is above the frontier.
  uint64_t Frontier(int64_t now_ms);
  void Recover(uint64_t seq);

  void PersistDesc(const streams::StreamDesc& d);
  // A descriptor for the table's enabled stream. Caller holds mu_.
  streams::StreamDesc NewDesc(const TableInfo& t);
  // Marks streams whose table no longer has them enabled as DISABLED.
  // Caller holds mu_.
  void RefreshLocked();

  Store* store_;
  Catalog* catalog_;
  const StreamOptions options_;

  // Descriptors, by ARN.
  std::mutex mu_;
  std::map<std::string, streams::StreamDesc> streams_;

  std::mutex seq_mu_;
  uint64_t last_ = 0;
  std::set<uint64_t> inflight_;
};

}  // namespace ddb
