#include "ddb/engine/write_accounting.h"

#include "ddb/engine/item_collections.h"

namespace ddb {

WriteCharge ChargeFor(const ItemWrite& w) {
  return ChargeForWrite(w.table->info, w.old_item ? &*w.old_item : nullptr, w.old_size,
                        w.new_item ? &*w.new_item : nullptr, w.new_size);
}

void CollectionTracker::Lock(const std::vector<const TableInfo*>& tables,
                             const std::vector<const AttributeValue*>& hashes) {
  std::vector<std::string> keys;
  for (size_t i = 0; i < tables.size(); ++i) {
    if (!tables[i]->lsis.empty()) keys.push_back(CollectionKey(*tables[i], *hashes[i]));
  }
  if (!keys.empty()) lock_ = std::make_unique<KeyLocks::MultiLock>(ctx_.partition_locks, keys);
}

Status CollectionTracker::Add(const TableInfo& t, const AttributeValue& hash, int64_t delta) {
  if (t.lsis.empty()) return Status::Ok();
  std::string key = CollectionKey(t, hash);
  auto it = states_.find(key);
  if (it == states_.end()) {
    ASSIGN_OR_RETURN(int64_t base, ctx_.collections.Size(*ctx_.store, t, hash));
    it = states_.emplace(key, State{base, 0}).first;
  }
  State& s = it->second;
  if (delta > 0 && s.base + s.delta + delta > ctx_.options.item_collection_limit_bytes) {
    return ItemCollectionSizeLimitExceeded();
  }
  s.delta += delta;
  return Status::Ok();
}

void CollectionTracker::Commit() {
  for (const auto& [key, s] : states_) {
    if (s.delta != 0) ctx_.collections.Apply(key, s.delta);
  }
}

int64_t CollectionTracker::SizeOf(const TableInfo& t, const AttributeValue& hash) const {
  auto it = states_.find(CollectionKey(t, hash));
  return it == states_.end() ? 0 : it->second.base + it->second.delta;
}

}  // namespace ddb
