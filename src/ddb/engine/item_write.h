// ItemWrite: one item's change (put or delete) as the write paths apply it.
// The caller holds the item's lock (KeyLocks) from Load() until after the
// batch holding AddTo() is written, then calls CommitStats().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ddb/engine/engine_context.h"
#include "ddb/format/catalog.h"
#include "ddb/format/index_keys.h"
#include "ddb/format/item_change.h"
#include "ddb/format/pitr_log.h"
#include "ddb/format/stream_log.h"
#include "ddb/storage/store.h"

namespace ddb {

struct ItemWrite {
  TablePtr table;
  std::string key;               // storage key
  std::optional<Item> new_item;  // nullopt: delete
  size_t new_size = 0;
  // Filled by Load().
  std::optional<Item> old_item;
  size_t old_size = 0;
  std::string old_stored;  // old_item as stored (for the point-in-time log)
  // Filled by AddTo(): index statistics changes.
  mutable std::vector<IndexDelta> index_deltas;
  // The userIdentity of this change's stream record (TTL deletions set
  // StreamIdentity::TimeToLive()); unset for ordinary writes.
  std::optional<StreamIdentity> identity;
  // Set by Load(): the engine, for the log records AddTo() writes.
  EngineContext* ctx = nullptr;
  // Filled by AddTo() when a stream record was added: its sequence number is
  // held in flight until CommitStats() or destruction.
  mutable std::shared_ptr<StreamTicket> stream_ticket;
  // Filled by AddTo() when a point-in-time undo record was added: its
  // commit time is held in flight until CommitStats() or destruction.
  mutable std::shared_ptr<PitrTicket> pitr_ticket;

  // Reads the current item.
  Status Load(EngineContext& ctx);
  // Adds the base-table change, every index change, the stream record
  // (tables with an enabled stream) and the point-in-time undo record
  // (tables with PITR enabled) to `batch`; no record when nothing changes.
  // The writes of one batch pass the same `commit` (format/pitr_log.h) so
  // that they share one commit time; null: this write is the batch's only one.
  void AddTo(WriteBatch& batch, PitrCommit* commit = nullptr) const;
  // Updates the table's live counters after the batch is written.
  void CommitStats() const;
  // DynamoDB's write cost: 1 KB units of the larger of old and new.
  double WriteCost() const;
  // The change as the logs record it (views into this write).
  ItemChange Change() const;
};

}  // namespace ddb
