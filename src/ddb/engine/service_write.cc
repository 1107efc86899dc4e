#include "ddb/engine/service_write.h"

#include "ddb/engine/write_accounting.h"
#include "ddb/format/pitr_log.h"

namespace ddb {

Status ApplyServiceWrite(EngineContext& ctx, const ItemWrite& w) {
  const TableInfo& info = w.table->info;
  if (!w.new_item && !w.old_item) return Status::Ok();
  CollectionTracker collections(ctx);
  if (!info.lsis.empty()) {
    AttributeValue hash = KeyOfItem(info.key, w.new_item ? *w.new_item : *w.old_item).hash;
    collections.Lock({&info}, {&hash});
    RETURN_IF_ERROR(collections.Add(info, hash, ChargeFor(w).collection_delta));
  }
  WriteBatch batch;
  w.AddTo(batch);
  RETURN_IF_ERROR(ctx.store->Write(batch));
  w.CommitStats();
  collections.Commit();
  return Status::Ok();
}

Status ApplyServiceWrites(EngineContext& ctx, const std::vector<ItemWrite>& writes) {
  CollectionTracker collections(ctx);
  std::vector<const TableInfo*> tables;
  std::vector<AttributeValue> hashes;
  hashes.reserve(writes.size());
  for (const ItemWrite& w : writes) {
    const TableInfo& info = w.table->info;
    if (info.lsis.empty() || (!w.new_item && !w.old_item)) continue;
    tables.push_back(&info);
    hashes.push_back(KeyOfItem(info.key, w.new_item ? *w.new_item : *w.old_item).hash);
  }
  if (!tables.empty()) {
    std::vector<const AttributeValue*> hash_ptrs;
    for (const AttributeValue& h : hashes) hash_ptrs.push_back(&h);
    collections.Lock(tables, hash_ptrs);
    size_t i = 0;
    for (const ItemWrite& w : writes) {
      if (w.table->info.lsis.empty() || (!w.new_item && !w.old_item)) continue;
      RETURN_IF_ERROR(collections.Add(w.table->info, hashes[i++], ChargeFor(w).collection_delta));
    }
  }
  WriteBatch batch;
  PitrCommit commit;  // one commit time for the whole batch
  for (const ItemWrite& w : writes) {
    if (w.new_item || w.old_item) w.AddTo(batch, &commit);
  }
  RETURN_IF_ERROR(ctx.store->Write(batch));
  for (const ItemWrite& w : writes) {
    if (w.new_item || w.old_item) w.CommitStats();
  }
  collections.Commit();
  return Status::Ok();
}

}  // namespace ddb
