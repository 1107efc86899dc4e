// JobContext: the parts of the engine the background jobs use, and no more.
// The engine (engine/engine_context.h) hands one out; a job never sees the
// operations above it, and whatever a job needs done by them (the TTL
// sweeper's deletions) it is given as a function.
#pragma once

#include "ddb/common/key_locks.h"
#include "ddb/format/catalog.h"
#include "ddb/jobs/background.h"
#include "ddb/storage/store.h"

namespace ddb {

struct JobContext {
  Store& store;
  Catalog& catalog;
  KeyLocks& locks;  // the item locks writers hold
  BackgroundTasks& background;
};

}  // namespace ddb
