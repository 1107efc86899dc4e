#include "ddb/format/index_keys.h"

#include "ddb/format/item_key.h"
#include "ddb/format/keys.h"
#include "ddb/format/stored_item.h"

namespace ddb {

std::string IndexPrefix(uint64_t index_id) {
  std::string k(1, keys::kIndex);
  AppendBigEndian64(index_id, &k);
  return k;
}

std::string IndexPrefixEnd(uint64_t index_id) { return IndexPrefix(index_id + 1); }

std::string IndexPartitionPrefix(uint64_t index_id, const AttributeValue& hash) {
  std::string k = IndexPrefix(index_id);
  AppendPartitionKey(hash, &k);
  return k;
}

std::string IndexPartitionPrefix(uint64_t index_id, const std::vector<AttributeValue>& hash) {
  std::string k = IndexPrefix(index_id);
  for (const auto& v : hash) AppendPartitionKey(v, &k);
  return k;
}

void AppendEscapedSortKeyPrefix(const AttributeValue& v, std::string* out) {
  std::string raw;
  AppendSortKey(v, &raw);
  for (char c : raw) {
    out->push_back(c);
    if (c == '\0') out->push_back('\xff');
  }
}

void AppendDelimitedSortKey(const AttributeValue& v, std::string* out) {
  AppendEscapedSortKeyPrefix(v, out);
  out->push_back('\0');
  out->push_back('\x01');
}

namespace {

const AttributeValue* KeyValue(const Item& item, const KeyAttr& attr) {
  auto it = item.find(attr.name);
  if (it == item.end() || it->second.type != attr.type) return nullptr;
  if ((attr.type == AttrType::kS || attr.type == AttrType::kB) && it->second.scalar.empty()) {
    return nullptr;
  }
  return &it->second;
}

}  // namespace

std::optional<std::string> IndexEntryKey(const TableInfo& table, const IndexInfo& index,
                                         const Item& item) {
  const KeySchema& key = index.key;
  const AttributeValue* h = KeyValue(item, key.hash);
  if (!h) return std::nullopt;
  const AttributeValue* r = nullptr;
  if (key.range) {
    r = KeyValue(item, *key.range);
    if (!r) return std::nullopt;
  }
  std::string k = IndexPartitionPrefix(index.id, *h);
  if (key.multi_attribute()) {
    // Every further attribute must be there too (sparse), in order.
    for (const auto& a : key.more_hash) {
      const AttributeValue* v = KeyValue(item, a);
      if (!v) return std::nullopt;
      AppendPartitionKey(*v, &k);
    }
    if (r) AppendDelimitedSortKey(*r, &k);
    for (const auto& a : key.more_range) {
      const AttributeValue* v = KeyValue(item, a);
      if (!v) return std::nullopt;
      AppendDelimitedSortKey(*v, &k);
    }
  } else if (r) {
    AppendDelimitedSortKey(*r, &k);
  }
  // The base key makes the entry unique.
  PrimaryKey base = KeyOfItem(table.key, item);
  AppendPartitionKey(base.hash, &k);
  if (base.range) AppendSortKey(*base.range, &k);
  return k;
}

Item ProjectForIndex(const TableInfo& table, const IndexInfo& index, const Item& item) {
  if (index.projection_type == "ALL") return item;
  Item out;
  auto copy = [&](const std::string& name) {
    auto it = item.find(name);
    if (it != item.end()) out.insert(*it);
  };
  copy(table.key.hash.name);
  if (table.key.range) copy(table.key.range->name);
  copy(index.key.hash.name);
  if (index.key.range) copy(index.key.range->name);
  for (const auto& a : index.key.more_hash) copy(a.name);
  for (const auto& a : index.key.more_range) copy(a.name);
  if (index.projection_type == "INCLUDE") {
    for (const auto& n : index.non_key_attributes) copy(n);
  }
  return out;
}

void AddIndexChanges(const TableInfo& table, const ItemTransition& t, WriteBatch& batch,
                     std::vector<IndexDelta>* deltas) {
  auto apply = [&](const IndexInfo& index) {
    const bool all = index.projection_type == "ALL";
    std::optional<std::string> old_key, new_key;
    if (t.old_item) old_key = IndexEntryKey(table, index, *t.old_item);
    if (t.new_item) new_key = IndexEntryKey(table, index, *t.new_item);
    if (old_key && old_key != new_key) batch.Delete(*old_key);
    IndexDelta d{index.id};
    if (old_key) {
      d.items -= 1;
      d.bytes -= static_cast<int64_t>(all ? t.old_size
                                          : ItemSize(ProjectForIndex(table, index, *t.old_item)));
    }
    if (new_key) {
      if (all && t.new_stored) {
        batch.Put(*new_key, *t.new_stored);
        d.bytes += static_cast<int64_t>(t.new_size);
      } else {
        Item projected = ProjectForIndex(table, index, *t.new_item);
        size_t size = ItemSize(projected);
        batch.Put(*new_key, EncodeStoredItem(projected, size));
        d.bytes += static_cast<int64_t>(size);
      }
      d.items += 1;
    }
    if (deltas && (d.items != 0 || d.bytes != 0)) deltas->push_back(d);
  };
  for (const auto& g : table.gsis) {
    if (g.status != "DELETING") apply(g);
  }
  for (const auto& l : table.lsis) apply(l);
}

}  // namespace ddb
