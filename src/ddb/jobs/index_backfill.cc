#include "ddb/jobs/index_backfill.h"

#include <mutex>
#include <vector>

#include "ddb/format/index_keys.h"
#include "ddb/format/keys.h"
#include "ddb/format/stored_item.h"

namespace ddb {
namespace {

constexpr size_t kChunk = 256;

const IndexInfo* FindById(const TableInfo& t, uint64_t index_id) {
  for (const auto& g : t.gsis) {
    if (g.id == index_id) return &g;
  }
  return nullptr;
}

// Indexes one chunk of item keys under their locks. Returns false if the
// table or index went away.
bool IndexChunk(const JobContext& ctx, const std::string& table_name, uint64_t table_id,
                uint64_t index_id, const std::vector<std::string>& item_keys) {
  TablePtr table = ctx.catalog.Find(table_name);
  if (!table || table->info.id != table_id) return false;
  const IndexInfo* index = FindById(table->info, index_id);
  if (!index) return false;
  SyncAtExit synced(ctx.store);  // after the locks are released
  KeyLocks::MultiLock lock(ctx.locks, item_keys);
  WriteBatch batch;
  int64_t added = 0, bytes = 0;
  for (const auto& key : item_keys) {
    std::string stored;
    auto found = ctx.store.Get(key, &stored);
    if (!found.ok() || !*found) continue;  // deleted meanwhile
    auto item = DecodeStoredItem(stored);
    if (!item.ok()) continue;
    auto entry = IndexEntryKey(table->info, *index, *item);
    if (!entry) continue;  // sparse
    std::string existing;
    auto had = ctx.store.Get(*entry, &existing);
    if (!had.ok() || *had) continue;  // a writer already indexed it
    Item projected = ProjectForIndex(table->info, *index, *item);
    size_t size = ItemSize(projected);
    batch.Put(*entry, EncodeStoredItem(projected, size));
    ++added;
    bytes += static_cast<int64_t>(size);
  }
  if (batch.Count() == 0) return true;
  if (!ctx.store.Write(batch).ok()) return false;
  table->stats->AddIndex(index_id, added, bytes);
  return true;
}

void MarkActive(const JobContext& ctx, const std::string& table_name, uint64_t table_id,
                uint64_t index_id) {
  std::lock_guard lock(SchemaMutex());
  TablePtr table = ctx.catalog.Find(table_name);
  if (!table || table->info.id != table_id) return;
  TableInfo info = table->info;
  for (auto& g : info.gsis) {
    if (g.id == index_id && g.status == "CREATING") {
      g.status = "ACTIVE";
      g.backfilling = false;
      (void)ctx.catalog.Replace(info);
      return;
    }
  }
}

}  // namespace

void StartIndexBackfill(const JobContext& ctx, const std::string& table_name, uint64_t table_id,
                        uint64_t index_id) {
  ctx.background.Run([ctx, table_name, table_id, index_id](const std::atomic<bool>& stopping) {
    auto cur = ctx.store.NewCursor(keys::TablePrefix(table_id), keys::TablePrefixEnd(table_id));
    std::vector<std::string> chunk;
    for (cur->SeekToStart(); cur->Valid() && !stopping; cur->Next()) {
      chunk.emplace_back(cur->key());
      if (chunk.size() == kChunk) {
        if (!IndexChunk(ctx, table_name, table_id, index_id, chunk)) return;
        chunk.clear();
      }
    }
    if (stopping) return;  // resumed at the next start
    if (!chunk.empty() && !IndexChunk(ctx, table_name, table_id, index_id, chunk)) return;
    MarkActive(ctx, table_name, table_id, index_id);
  });
}

void ResumeIndexBackfills(const JobContext& ctx) {
  for (const auto& name : ctx.catalog.Names()) {
    TablePtr t = ctx.catalog.Find(name);
    if (!t) continue;
    for (const auto& g : t->info.gsis) {
      if (g.status == "CREATING") StartIndexBackfill(ctx, name, t->info.id, g.id);
    }
  }
}

}  // namespace ddb
