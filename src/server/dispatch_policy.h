// Where each DynamoDB operation runs. Everything that answers from the
// store runs inline on the connection's event loop, inside a
// ddb::CacheOnlyScope: skipping the hand-off to a worker saves two thread
// switches. A read that would need the disk, or a write that would have to
// wait for a write stall, is run again on the worker pool if the call has not
// written yet (after its first write a call may read the disk: DESIGN.md
// section 6 lists those cases); an item write's fsync is never waited for on
// the loop: its answer goes out when the store's group commit has synced it
// (Engine::AfterSync). The table operations (which may copy, delete or scan
// a whole table) and anything unknown run on the worker pool.
#pragma once

#include <string_view>

namespace server {

enum class Lane {
  kInline,       // reads, on the event-loop thread
  kInlineWrite,  // item writes, on the event-loop thread, answered after the sync
  kWorker,       // on the worker pool
};

// The lane for a DynamoDB operation name (e.g. "GetItem"). Unknown names go
// to the worker pool: the safe choice for anything that might write.
Lane LaneFor(std::string_view operation);

}  // namespace server
