#include "ddb/engine/item_collections.h"

#include <cmath>

#include "ddb/engine/request_util.h"
#include "ddb/format/index_keys.h"
#include "ddb/format/keys.h"

namespace ddb {

Error ItemCollectionSizeLimitExceeded() {
  return Error{ErrorCode::kItemCollectionSizeLimitExceeded, kCollectionSizeExceeded};
}

std::string CollectionKey(const TableInfo& t, const AttributeValue& hash) {
  return keys::PartitionPrefix(t.id, hash);
}

namespace {

Result<int64_t> SumRange(const Store& store, const std::string& prefix) {
  auto cur = store.NewCursor(prefix, keys::PrefixEnd(prefix));
  int64_t total = 0;
  for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
    total += static_cast<int64_t>(StoredItemSize(cur->value()));
  }
  RETURN_IF_ERROR(cur->status());
  return total;
}

}  // namespace

Result<int64_t> ItemCollections::Size(const Store& store, const TableInfo& t,
                                      const AttributeValue& hash) {
  std::string key = CollectionKey(t, hash);
  {
    std::lock_guard lock(mu_);
    auto it = sizes_.find(key);
    if (it != sizes_.end()) return it->second;
  }
  ASSIGN_OR_RETURN(int64_t total, SumRange(store, key));
  for (const auto& l : t.lsis) {
    ASSIGN_OR_RETURN(int64_t entries, SumRange(store, IndexPartitionPrefix(l.id, hash)));
    total += entries;
  }
  std::lock_guard lock(mu_);
  if (sizes_.size() >= kMaxEntries) sizes_.clear();
  sizes_[key] = total;
  return total;
}

void ItemCollections::Apply(const std::string& collection_key, int64_t delta) {
  std::lock_guard lock(mu_);
  auto it = sizes_.find(collection_key);
  if (it != sizes_.end()) it->second += delta;
}

Result<bool> ReadReturnItemCollectionMetrics(const rapidjson::Value& req) {
  ASSIGN_OR_RETURN(auto v, OptString(req, "ReturnItemCollectionMetrics"));
  if (!v || *v == "NONE") return false;
  if (*v == "SIZE") return true;
  return Validation("1 validation error detected: Value '" + *v +
                    "' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must "
                    "satisfy enum value set: [SIZE, NONE]");
}

void WriteItemCollectionMetrics(const TableInfo& t, const AttributeValue& hash, int64_t size_bytes,
                                JsonWriter& w) {
  w.StartObject();
  w.Key("ItemCollectionKey");
  Item key;
  key.emplace(t.key.hash.name, hash);
  EncodeItem(key, w);
  // DynamoDB reports a 1 GB-wide range around the estimate.
  double gb = static_cast<double>(std::max<int64_t>(size_bytes, 0)) / (1024.0 * 1024 * 1024);
  double lo = std::floor(gb);
  w.Key("SizeEstimateRangeGB");
  w.StartArray();
  w.Double(lo);
  w.Double(lo + 1);
  w.EndArray();
  w.EndObject();
}

}  // namespace ddb
