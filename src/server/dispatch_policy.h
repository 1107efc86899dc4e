// Where each DynamoDB operation runs. Operations that may write (and so wait
// for a synced write-ahead log) go to the worker pool, where many of them can
// wait at once and share one fsync (group commit). Read-only operations run
// inline on the connection's event loop from memory only (memtables and the
// block cache, ddb::CacheOnlyScope): skipping the hand-off saves two thread
// switches. A read that would need the disk is run again on the worker pool,
// so the loop never waits for the disk.
#pragma once

#include <string_view>

namespace server {

enum class Lane {
  kInline,  // on the event-loop thread
  kWorker,  // on the worker pool
};

// The lane for a DynamoDB operation name (e.g. "GetItem"). Unknown names go
// to the worker pool: the safe choice for anything that might write.
Lane LaneFor(std::string_view operation);

}  // namespace server
