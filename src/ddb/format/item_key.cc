#include "ddb/format/item_key.h"

#include "ddb/format/keys.h"

namespace ddb {

PrimaryKey KeyOfItem(const KeySchema& schema, const Item& item) {
  PrimaryKey k;
  k.hash = item.find(schema.hash.name)->second;
  if (schema.range) k.range = item.find(schema.range->name)->second;
  return k;
}

std::string StorageKey(const TableInfo& table, const PrimaryKey& key) {
  return keys::ItemKey(table.id, key.hash, key.range ? &*key.range : nullptr);
}

Item KeyItem(const KeySchema& schema, const Item& item) {
  Item out;
  auto copy = [&](const KeyAttr& a) {
    auto it = item.find(a.name);
    if (it != item.end()) out.emplace(a.name, it->second);
  };
  copy(schema.hash);
  if (schema.range) copy(*schema.range);
  for (const auto& a : schema.more_hash) copy(a);
  for (const auto& a : schema.more_range) copy(a);
  return out;
}

}  // namespace ddb
