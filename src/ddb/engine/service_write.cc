#include "ddb/engine/service_write.h"

#include "ddb/engine/write_accounting.h"

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

}  // namespace ddb
