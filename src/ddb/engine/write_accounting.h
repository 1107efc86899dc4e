// What the write paths (PutItem/UpdateItem/DeleteItem, BatchWriteItem,
// TransactWriteItems) share beyond ItemWrite: the item collections a request
// touches, held under their partition locks while their sizes are checked
// against the limit and updated.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ddb/engine/capacity.h"
#include "ddb/engine/engine_context.h"
#include "ddb/engine/item_write.h"

namespace ddb {

// The cost and collection change of `w` (loaded, its new item set).
WriteCharge ChargeFor(const ItemWrite& w);

class CollectionTracker {
 public:
  explicit CollectionTracker(EngineContext& ctx) : ctx_(ctx) {}
  // Takes the partition locks of the LSI tables among `writes` (after the
  // item locks are held). `hashes[i]` is the partition key of writes[i].
  void Lock(const std::vector<const TableInfo*>& tables,
            const std::vector<const AttributeValue*>& hashes);
  // Adds a write's change to its collection: ItemCollectionSizeLimitExceeded
  // (and nothing added) if it grows the collection past the limit. No-op for
  // tables without LSIs.
  Status Add(const TableInfo& t, const AttributeValue& hash, int64_t delta);
  // After the store write: records the changes in the size cache.
  void Commit();
  // The collection's size including the changes added.
  int64_t SizeOf(const TableInfo& t, const AttributeValue& hash) const;

 private:
  struct State {
    int64_t base = 0;
    int64_t delta = 0;
  };
  EngineContext& ctx_;
  std::unique_ptr<KeyLocks::MultiLock> lock_;
  std::map<std::string, State> states_;
};

}  // namespace ddb
