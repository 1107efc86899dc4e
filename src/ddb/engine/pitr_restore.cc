#include "ddb/engine/pitr_restore.h"

#include <memory>
#include <string>

#include "ddb/engine/backup.h"
#include "ddb/format/keys.h"
#include "ddb/format/pitr_records.h"

namespace ddb {
namespace {

// A restore's scratch is written in batches of at most this many records
// or bytes.
constexpr size_t kScratchBatchRecords = 256;
constexpr size_t kScratchBatchBytes = 4u << 20;

}  // namespace

Status ReadAsOf(EngineContext& ctx, Cursor& items, size_t items_prefix_len, Cursor& undo,
                const std::function<Status(const backups::RestoreSource&)>& consume) {
  const std::string scratch = keys::RestoreScratchPrefix(ctx.catalog.NextId());
  struct ScratchCleanup {
    EngineContext& ctx;
    const std::string& prefix;
    ~ScratchCleanup() {
      WriteBatch b;
      b.DeleteRange(prefix, keys::PrefixEnd(prefix));
      (void)ctx.store->Write(b);
    }
  } cleanup{ctx, scratch};

  // 1. The image of each changed item at the restore time: records newest
  // first, so the oldest one of an item is written last and wins.
  auto batch = std::make_unique<WriteBatch>();
  size_t bytes = 0;
  for (undo.SeekToStart(); undo.Valid(); undo.Next()) {
    ASSIGN_OR_RETURN(pitr::UndoRecord r, pitr::ParseUndoRecord(undo.value()));
    std::string value = pitr::EncodeScratchValue(r);
    bytes += value.size() + r.item_key.size();
    batch->Put(scratch + std::string(r.item_key), value);
    if (batch->Count() >= kScratchBatchRecords || bytes >= kScratchBatchBytes) {
      RETURN_IF_ERROR(ctx.store->Write(*batch));
      batch = std::make_unique<WriteBatch>();
      bytes = 0;
    }
  }
  RETURN_IF_ERROR(undo.status());
  if (batch->Count() > 0) RETURN_IF_ERROR(ctx.store->Write(*batch));

  // 2. The current items, with the changed ones replaced (or left out): a
  // merge of two cursors ordered by item key.
  auto changed = ctx.store->NewCursor(scratch, keys::PrefixEnd(scratch));
  changed->SeekToStart();
  items.SeekToStart();
  backups::RestoreSource next = [&](std::string* key, std::string* stored) -> Result<bool> {
    while (true) {
      const bool have_item = items.Valid(), have_changed = changed->Valid();
      if (!have_item && !have_changed) {
        RETURN_IF_ERROR(items.status());
        RETURN_IF_ERROR(changed->status());
        return false;
      }
      std::string_view ik = have_item ? items.key().substr(items_prefix_len) : std::string_view();
      std::string_view ck =
          have_changed ? changed->key().substr(scratch.size()) : std::string_view();
      if (have_changed && (!have_item || ck <= ik)) {
        if (have_item && ck == ik) items.Next();
        const pitr::ScratchImage image = pitr::ParseScratchValue(changed->value());
        if (image.present) {
          key->assign(ck);
          stored->assign(image.stored);
        }
        changed->Next();
        if (image.present) return true;
        continue;  // absent at the restore time
      }
      key->assign(ik);
      stored->assign(items.value());
      items.Next();
      return true;
    }
  };
  return consume(next);
}

Result<TablePtr> RestoreAsOf(EngineContext& ctx, TableInfo info, Cursor& items,
                             size_t items_prefix_len, Cursor& undo) {
  TablePtr restored;
  RETURN_IF_ERROR(ReadAsOf(
      ctx, items, items_prefix_len, undo, [&](const backups::RestoreSource& next) -> Status {
        ASSIGN_OR_RETURN(restored, backups::RestoreInto(ctx, std::move(info), next));
        return Status::Ok();
      }));
  return restored;
}

}  // namespace ddb
