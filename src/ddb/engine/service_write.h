// A write the service makes itself (a TTL deletion, a restored item), not a
// client: no capacity charged, no condition.
#pragma once

#include "ddb/engine/engine_context.h"
#include "ddb/engine/item_write.h"

namespace ddb {

// Applies `w`. The caller holds the item's lock and has Load()ed `w`. Keeps
// indexes, statistics, the logs and (LSI tables) item-collection sizes
// exact.
Status ApplyServiceWrite(EngineContext& ctx, const ItemWrite& w);

}  // namespace ddb
