#include "ddb/engine/service_write.h"

#include <algorithm>

#include "ddb/engine/write_accounting.h"
#include "ddb/format/pitr_log.h"

namespace ddb {

Status ApplyServiceWrite(EngineContext& ctx, const ItemWrite& w) {
  return ApplyServiceWrites(ctx, std::span<const ItemWrite>(&w, 1));
}

Status ApplyServiceWrites(EngineContext& ctx, std::span<const ItemWrite> writes) {
  auto changes = [](const ItemWrite& w) { return w.new_item || w.old_item; };
  if (std::none_of(writes.begin(), writes.end(), changes)) return Status::Ok();
  CollectionTracker collections(ctx);
  std::vector<const TableInfo*> tables;
  std::vector<AttributeValue> hashes;
  for (const ItemWrite& w : writes) {
    const TableInfo& info = w.table->info;
    if (info.lsis.empty() || !changes(w)) continue;
    tables.push_back(&info);
    hashes.push_back(KeyOfItem(info.key, w.new_item ? *w.new_item : *w.old_item).hash);
  }
  if (!tables.empty()) {
    std::vector<const AttributeValue*> hash_ptrs;
    for (const AttributeValue& h : hashes) hash_ptrs.push_back(&h);
    collections.Lock(tables, hash_ptrs);
    size_t i = 0;
    for (const ItemWrite& w : writes) {
      if (w.table->info.lsis.empty() || !changes(w)) continue;
      RETURN_IF_ERROR(collections.Add(w.table->info, hashes[i++], ChargeFor(w).collection_delta));
    }
  }
  WriteBatch batch;
  PitrCommit commit;  // one commit time for the whole batch
  for (const ItemWrite& w : writes) {
    if (changes(w)) w.AddTo(batch, &commit);
  }
  RETURN_IF_ERROR(ctx.store->Write(batch));
  for (const ItemWrite& w : writes) {
    if (changes(w)) w.CommitStats();
  }
  collections.Commit();
  return Status::Ok();
}

}  // namespace ddb
