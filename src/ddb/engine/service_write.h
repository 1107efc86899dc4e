// A write the service makes itself (a TTL deletion, a restored item), not a
// client: no capacity charged, no condition.
#pragma once

#include <span>

#include "ddb/engine/engine_context.h"
#include "ddb/engine/item_write.h"

namespace ddb {

// Applies `w` (ApplyServiceWrites of one write). The caller holds the item's
// lock and has Load()ed `w`. Keeps
// indexes, statistics, the logs and (LSI tables) item-collection sizes
// exact.
Status ApplyServiceWrite(EngineContext& ctx, const ItemWrite& w);

// Applies several writes in one atomic, synced batch (one commit time): what
// a bulk writer (ImportTable's job) uses so that a thousand items cost one
// fsync, not a thousand. The caller holds every item's lock (distinct keys)
// and has Load()ed each write. Item-collection sizes of LSI tables are
// checked and kept exact as ApplyServiceWrite does; the first write that
// would pass the collection limit fails the whole batch (nothing written).
Status ApplyServiceWrites(EngineContext& ctx, std::span<const ItemWrite> writes);

}  // namespace ddb
