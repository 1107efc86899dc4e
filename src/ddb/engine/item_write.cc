#include "ddb/engine/item_write.h"

#include "ddb/engine/item_common.h"
#include "ddb/format/index_keys.h"
#include "ddb/format/stored_item.h"

namespace ddb {

Status ItemWrite::Load(EngineContext& engine) {
  ctx = &engine;
  std::string stored;
  ASSIGN_OR_RETURN(bool found, engine.store->Get(key, &stored));
  old_item.reset();
  old_size = 0;
  old_stored.clear();
  if (found) {
    old_size = StoredItemSize(stored);
    ASSIGN_OR_RETURN(Item item, DecodeStoredItem(stored));
    old_item = std::move(item);
    old_stored = std::move(stored);
  }
  return Status::Ok();
}

void ItemWrite::AddTo(WriteBatch& batch, PitrCommit* commit) const {
  std::string stored;
  if (new_item) {
    stored = EncodeStoredItem(*new_item, new_size);
    batch.Put(key, stored);
  } else if (old_item) {
    batch.Delete(key);
  }
  index_deltas.clear();
  ItemTransition t;
  if (old_item) t = {&*old_item, old_size};
  if (new_item) {
    t.new_item = &*new_item;
    t.new_size = new_size;
    t.new_stored = &stored;
  }
  AddIndexChanges(table->info, t, batch, &index_deltas);
  if (ctx) {
    ItemChange change = Change();
    change.new_stored = stored;
    stream_ticket = ctx->streams ? ctx->streams->Append(change, batch) : nullptr;
    PitrCommit own;
    pitr_ticket =
        ctx->pitr ? ctx->pitr->AddUndoRecord(change, batch, commit ? *commit : own) : nullptr;
  }
}

ItemChange ItemWrite::Change() const {
  ItemChange c;
  c.table = &table->info;
  c.key = key;
  c.old_item = old_item ? &*old_item : nullptr;
  c.old_size = old_size;
  c.old_stored = old_stored;
  c.new_item = new_item ? &*new_item : nullptr;
  c.new_size = new_size;
  c.identity = identity ? &*identity : nullptr;
  return c;
}

void ItemWrite::CommitStats() const {
  bool had = old_item.has_value(), has = new_item.has_value();
  table->stats->item_count += static_cast<int64_t>(has) - static_cast<int64_t>(had);
  table->stats->size_bytes +=
      static_cast<int64_t>(has ? new_size : 0) - static_cast<int64_t>(had ? old_size : 0);
  for (const auto& d : index_deltas) table->stats->AddIndex(d.index_id, d.items, d.bytes);
  stream_ticket.reset();
  pitr_ticket.reset();
}

double ItemWrite::WriteCost() const { return WriteUnits(std::max(old_size, new_size)); }

}  // namespace ddb
