#include "ddb/engine/capacity.h"

#include <algorithm>
#include <optional>

#include "ddb/format/index_keys.h"

namespace ddb {

namespace {

// The size of `item`'s entry in `index` (its projection).
size_t EntrySize(const TableInfo& t, const IndexInfo& index, const Item& item, size_t item_size) {
  if (index.projection_type == "ALL") return item_size;
  return ItemSize(ProjectForIndex(t, index, item));
}

bool SameProjection(const TableInfo& t, const IndexInfo& index, const Item& a, const Item& b) {
  if (index.projection_type == "ALL") return a == b;
  return ProjectForIndex(t, index, a) == ProjectForIndex(t, index, b);
}

// Units and entry-size change of one index for one write.
struct IndexCharge {
  double units = 0;
  int64_t bytes = 0;
};

IndexCharge ChargeIndex(const TableInfo& t, const IndexInfo& index, const Item* old_item,
                        size_t old_size, const Item* new_item, size_t new_size) {
  std::optional<std::string> old_key, new_key;
  if (old_item) old_key = IndexEntryKey(t, index, *old_item);
  if (new_item) new_key = IndexEntryKey(t, index, *new_item);
  IndexCharge c;
  size_t old_entry = old_key ? EntrySize(t, index, *old_item, old_size) : 0;
  size_t new_entry = new_key ? EntrySize(t, index, *new_item, new_size) : 0;
  c.bytes = static_cast<int64_t>(new_entry) - static_cast<int64_t>(old_entry);
  if (old_key && new_key) {
    if (*old_key != *new_key) {
      // The entry moves: a delete and a put.
      c.units = WriteUnits(old_entry) + WriteUnits(new_entry);
    } else if (!SameProjection(t, index, *old_item, *new_item)) {
      c.units = WriteUnits(std::max(old_entry, new_entry));
    }
  } else if (old_key) {
    c.units = WriteUnits(old_entry);
  } else if (new_key) {
    c.units = WriteUnits(new_entry);
  }
  return c;
}

}  // namespace

WriteCharge ChargeForWrite(const TableInfo& table, const Item* old_item, size_t old_size,
                           const Item* new_item, size_t new_size) {
  WriteCharge w;
  w.units.table = WriteUnits(std::max(old_item ? old_size : 0, new_item ? new_size : 0));
  w.collection_delta =
      static_cast<int64_t>(new_item ? new_size : 0) - static_cast<int64_t>(old_item ? old_size : 0);
  for (const auto& g : table.gsis) {
    // Writes maintain every index but one being deleted (index_keys.cc).
    if (g.status == "DELETING") continue;
    IndexCharge c = ChargeIndex(table, g, old_item, old_size, new_item, new_size);
    if (c.units > 0) w.units.gsis[g.name] += c.units;
  }
  for (const auto& l : table.lsis) {
    IndexCharge c = ChargeIndex(table, l, old_item, old_size, new_item, new_size);
    if (c.units > 0) w.units.lsis[l.name] += c.units;
    w.collection_delta += c.bytes;
  }
  return w;
}

Consumed ChargeForFailedWrite(size_t old_size) {
  Consumed c;
  c.table = WriteUnits(old_size);
  return c;
}

void WriteCapacityObject(CapacityMode mode, const std::string& table_name, const Consumed& c,
                         bool read, JsonWriter& w) {
  const char* kind = read ? "ReadCapacityUnits" : "WriteCapacityUnits";
  auto units = [&](double u) {
    w.StartObject();
    w.Key(kind);
    w.Double(u);
    w.Key("CapacityUnits");
    w.Double(u);
    w.EndObject();
  };
  w.StartObject();
  w.Key("TableName");
  w.String(table_name.c_str(), static_cast<rapidjson::SizeType>(table_name.size()));
  double total = c.Total();
  w.Key("CapacityUnits");
  w.Double(total);
  w.Key(kind);
  w.Double(total);
  if (mode == CapacityMode::kIndexes) {
    w.Key("Table");
    units(c.table);
    for (const auto* part : {&c.lsis, &c.gsis}) {
      if (part->empty()) continue;
      w.Key(part == &c.gsis ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
      w.StartObject();
      for (const auto& [name, u] : *part) {
        w.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
        units(u);
      }
      w.EndObject();
    }
  }
  w.EndObject();
}

void WriteConsumedCapacity(CapacityMode mode, const std::string& table_name, const Consumed& c,
                           bool read, JsonWriter& w) {
  if (mode == CapacityMode::kNone) return;
  w.Key("ConsumedCapacity");
  WriteCapacityObject(mode, table_name, c, read, w);
}

void CapacityByTable::Write(CapacityMode mode, bool read, JsonWriter& w) const {
  if (mode == CapacityMode::kNone) return;
  w.Key("ConsumedCapacity");
  w.StartArray();
  for (const auto& [name, c] : by_table_) WriteCapacityObject(mode, name, c, read, w);
  w.EndArray();
}

}  // namespace ddb
