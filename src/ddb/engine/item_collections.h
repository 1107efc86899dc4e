// Item collections of tables with local secondary indexes: the size of each
// partition (its items plus their LSI entries), for ReturnItemCollectionMetrics
// and for DynamoDB's 10 GB item-collection limit.
//
// Sizes are exact: the first time a partition is needed it is summed from
// the store, after which each write adds its change. Writers hold the
// partition's lock (EngineContext::partition_locks, always taken after the
// item locks) from reading the size until after Apply(), so a partition's
// count never misses or double-counts a write. The cache forgets everything
// when it grows past a bound; a forgotten partition is summed again.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ddb/common/error.h"
#include "ddb/engine/item_common.h"
#include "ddb/model/json_codec.h"
#include "ddb/storage/store.h"

namespace ddb {

inline constexpr int64_t kDefaultItemCollectionLimitBytes = int64_t{10} << 30;  // 10 GB
inline constexpr const char* kCollectionSizeExceeded = "Collection size exceeded.";

Error ItemCollectionSizeLimitExceeded();

// The key of a partition's collection (its storage prefix).
std::string CollectionKey(const TableInfo& t, const AttributeValue& hash);

class ItemCollections {
 public:
  // The collection's size in bytes. The caller holds the partition's lock.
  Result<int64_t> Size(const Store& store, const TableInfo& t, const AttributeValue& hash);
  // Adds a committed write's change. The caller still holds the lock.
  void Apply(const std::string& collection_key, int64_t delta);

 private:
  static constexpr size_t kMaxEntries = 100000;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> sizes_;
};

// ReturnItemCollectionMetrics: true for SIZE.
Result<bool> ReadReturnItemCollectionMetrics(const rapidjson::Value& req);

// Writes one ItemCollectionMetrics object: {"ItemCollectionKey": {<hash>},
// "SizeEstimateRangeGB": [lo, hi]}.
void WriteItemCollectionMetrics(const TableInfo& t, const AttributeValue& hash, int64_t size_bytes,
                                JsonWriter& w);

}  // namespace ddb
