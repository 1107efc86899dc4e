// The engine's layout of the store's key space (values: the files named).
//
//   "\x00" <name>                          engine metadata (e.g. next id)
//   "\x01" <table name>                    catalog: SerializeTableInfo JSON (table_info.h)
//   "\x02" <table id:8> <pk part> <sk part> an item (stored_item.h)
//   "\x03" <index id:8> <index key> <base key>  an index entry (index_keys.h)
//   "\x04" "\x00" <stream arn>                  a stream descriptor (stream_records.h)
//   "\x04" "\x01" <stream id:8> <seq:8>         a stream record (stream_records.h)
//   "\x05" "m" <backup arn>                     a backup's metadata (backup_records.h)
//   "\x05" "i" <backup id:8> <item key>         a backup's copied item (backup_records.h)
//   "\x06" "\x00" <table id:8> <time:8> <n:4>  a point-in-time undo record (pitr_records.h)
//   "\x06" "\x01" <restore id:8> <item key>    a point-in-time restore's scratch (pitr_records.h)
//   "\x07" <client request token>              a TransactWriteItems token (client_tokens.h)
//   "\x08" "e" <export arn>                     an export's record (engine/export_records.h)
//
// <pk part> is the 8-byte partition hash followed by the self-delimiting
// partition key value (key_codec.h), so a table's items are ordered by hash
// (as DynamoDB's Scan is) and a partition's items by sort key.
#pragma once

#include <string>
#include <string_view>

#include "ddb/model/attribute_value.h"
#include "ddb/model/key_codec.h"

namespace ddb::keys {

inline constexpr char kMeta = '\x00';
inline constexpr char kCatalog = '\x01';
inline constexpr char kItem = '\x02';
inline constexpr char kIndex = '\x03';
inline constexpr char kStream = '\x04';
inline constexpr char kBackup = '\x05';       // on-demand backups: backup_records.h
inline constexpr char kPitr = '\x06';         // point-in-time recovery: pitr_records.h
inline constexpr char kClientToken = '\x07';  // TransactWriteItems tokens: client_tokens.h
inline constexpr char kExport = '\x08';       // table exports: engine/export_records.h

inline std::string Meta(std::string_view name) { return std::string(1, kMeta) + std::string(name); }
inline std::string CatalogKey(std::string_view table) {
  return std::string(1, kCatalog) + std::string(table);
}

// Prefix of all of a table's items; TablePrefixEnd is its exclusive end.
inline std::string TablePrefix(uint64_t table_id) {
  std::string k(1, kItem);
  AppendBigEndian64(table_id, &k);
  return k;
}
inline std::string TablePrefixEnd(uint64_t table_id) { return TablePrefix(table_id + 1); }

// Prefix of one partition's items.
inline std::string PartitionPrefix(uint64_t table_id, const AttributeValue& pk) {
  std::string k = TablePrefix(table_id);
  AppendPartitionKey(pk, &k);
  return k;
}

// The key of an item; `sk` is null for tables without a sort key.
inline std::string ItemKey(uint64_t table_id, const AttributeValue& pk, const AttributeValue* sk) {
  std::string k = PartitionPrefix(table_id, pk);
  if (sk) AppendSortKey(*sk, &k);
  return k;
}

// Stream descriptors and records (stream_records.h).
inline std::string StreamMetaPrefix() { return std::string{kStream, '\x00'}; }
inline std::string StreamMetaKey(std::string_view arn) {
  return StreamMetaPrefix() + std::string(arn);
}
inline std::string StreamRecordPrefix(uint64_t stream_id) {
  std::string k{kStream, '\x01'};
  AppendBigEndian64(stream_id, &k);
  return k;
}
inline std::string StreamRecordKey(uint64_t stream_id, uint64_t seq) {
  std::string k = StreamRecordPrefix(stream_id);
  AppendBigEndian64(seq, &k);
  return k;
}

// StoreOptions::ascending_prefix: the prefixes under which the engine's
// writes mostly ascend. A stream's records (by sequence number) and a table's
// undo records (by time) always do. So do the items of a partition with a
// sort key when it is a time, as Cruddur's messages and inboxes are: an item
// with a sort key part has its partition (table id and hash) as its prefix.
// Items without one, and index entries, have none: each prefix costs RocksDB
// a hint (~250 bytes) in the memtable, which a table written at random
// partitions, one item each, would pay on every write (a bulk load of such a
// table: 25% more CPU) for nothing. A bare prefix (a table's, a log's: what
// every DeleteRange of the engine starts from) has none, as the store requires.
inline size_t AscendingPrefix(std::string_view key) {
  constexpr size_t kTable = 1 + 8;           // kItem, table id
  constexpr size_t kPartition = kTable + 8;  // and the partition hash
  if (key.size() < 2) return 0;
  switch (key[0]) {
    case kItem: {
      size_t part = key.size() > kPartition ? PartitionPartSize(key.substr(kTable)) : 0;
      return part != 0 && kTable + part < key.size() ? kPartition : 0;
    }
    case kStream:
      return key[1] == '\x01' && key.size() > 10 ? 10 : 0;
    case kPitr:
      return key[1] == '\x00' && key.size() > 10 ? 10 : 0;
    default:
      return 0;
  }
}

// Point-in-time undo records (pitr_records.h): a table's log, ordered by commit
// time (microseconds since the epoch), then by the record's number within
// its commit.
inline std::string UndoLogPrefix() { return std::string{kPitr, '\x00'}; }
inline std::string UndoTablePrefix(uint64_t table_id) {
  std::string k = UndoLogPrefix();
  AppendBigEndian64(table_id, &k);
  return k;
}
inline std::string UndoTablePrefixEnd(uint64_t table_id) { return UndoTablePrefix(table_id + 1); }
// The first key of the records at `time_us` (and so the end of the earlier ones).
inline std::string UndoTimeKey(uint64_t table_id, uint64_t time_us) {
  std::string k = UndoTablePrefix(table_id);
  AppendBigEndian64(time_us, &k);
  return k;
}
inline std::string UndoRecordKey(uint64_t table_id, uint64_t time_us, uint32_t n) {
  std::string k = UndoTimeKey(table_id, time_us);
  for (int shift = 24; shift >= 0; shift -= 8) k.push_back(static_cast<char>(n >> shift));
  return k;
}
// A restore's scratch: the items it takes from the log, by item key.
inline std::string RestoreScratchPrefix() { return std::string{kPitr, '\x01'}; }
inline std::string RestoreScratchPrefix(uint64_t restore_id) {
  std::string k = RestoreScratchPrefix();
  AppendBigEndian64(restore_id, &k);
  return k;
}

// On-demand backups (backup_records.h): a backup's metadata, by ARN, and
// its copied items, each keyed by its item key (the storage key without the
// table prefix) after the backup's prefix.
inline std::string BackupMetaPrefix() { return std::string(1, kBackup) + "m"; }
inline std::string BackupMetaKey(std::string_view arn) {
  return BackupMetaPrefix() + std::string(arn);
}
inline std::string BackupItemsPrefix(uint64_t backup_id) {
  std::string k(1, kBackup);
  k += 'i';
  AppendBigEndian64(backup_id, &k);
  return k;
}
inline constexpr size_t kBackupItemsPrefixLen = 10;  // kind, 'i', id

// TransactWriteItems' ClientRequestTokens (client_tokens.h), by token.
inline std::string ClientTokenPrefix() { return std::string(1, kClientToken); }
inline std::string ClientTokenKey(std::string_view token) {
  return ClientTokenPrefix() + std::string(token);
}

// The smallest string greater than every string with prefix `p`.
inline std::string PrefixEnd(std::string p) {
  while (!p.empty()) {
    unsigned char c = static_cast<unsigned char>(p.back());
    if (c != 0xff) {
      p.back() = static_cast<char>(c + 1);
      return p;
    }
    p.pop_back();
  }
  return std::string(64, '\xff');
}

}  // namespace ddb::keys
