// TableInfo: everything the engine knows about one table (its schema,
// indexes, billing, tags, status), and its form in the catalog (JSON text).
// How DescribeTable shows it: engine/table_description.h.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/model/attribute_value.h"
#include "ddb/model/json_codec.h"

namespace ddb {

struct KeyAttr {
  std::string name;
  AttrType type = AttrType::kS;  // S, N or B
};

// A key schema. Tables and LSIs have one partition-key attribute and at most
// one sort-key attribute. A GSI may have multi-attribute keys (DynamoDB,
// November 2025): up to four partition-key and up to four sort-key
// attributes; `hash` and `range` are then the first of each and `more_hash`
// / `more_range` the others, in KeySchema order (more_range is empty when
// range is unset). A one-attribute key has both lists empty, so its entries
// encode exactly as before multi-attribute keys existed (index_keys.h).
struct KeySchema {
  KeyAttr hash;
  std::optional<KeyAttr> range;
  std::vector<KeyAttr> more_hash;
  std::vector<KeyAttr> more_range;

  bool multi_attribute() const { return !more_hash.empty() || !more_range.empty(); }
  // The partition-key attributes, then (for RangeAttrs) the sort-key
  // attributes, in KeySchema order; pointers into this schema.
  std::vector<const KeyAttr*> HashAttrs() const;
  std::vector<const KeyAttr*> RangeAttrs() const;
  // Every key attribute: HashAttrs() then RangeAttrs().
  std::vector<const KeyAttr*> AllAttrs() const;
};

// The most partition-key and the most sort-key attributes of a GSI.
inline constexpr size_t kMaxKeyAttrsPerRole = 4;

struct Throughput {
  int64_t read = 0;  // 0 for PAY_PER_REQUEST
  int64_t write = 0;
  double last_increase = 0;  // epoch seconds, 0 = never
  double last_decrease = 0;
  int64_t decreases_today = 0;
};

struct IndexInfo {
  std::string name;
  KeySchema key;
  std::string projection_type = "ALL";          // ALL | KEYS_ONLY | INCLUDE
  std::vector<std::string> non_key_attributes;  // INCLUDE only
  Throughput throughput;                        // GSIs only
  std::string status = "ACTIVE";                // GSIs: CREATING|UPDATING|DELETING|ACTIVE
  bool backfilling = false;
  // Storage prefix id of this index's entries (unique per index instance).
  uint64_t id = 0;
};

struct TableInfo {
  std::string name;
  // Storage prefix id: unique per table instance, never reused, so a
  // re-created table never sees a deleted table's items.
  uint64_t id = 0;
  KeySchema key;
  std::vector<KeyAttr> attribute_definitions;
  std::string billing_mode = "PROVISIONED";  // PROVISIONED | PAY_PER_REQUEST
  Throughput throughput;
  double creation_time = 0;  // epoch seconds with fraction
  std::string status = "ACTIVE";
  std::vector<IndexInfo> gsis;
  std::vector<IndexInfo> lsis;
  std::vector<std::pair<std::string, std::string>> tags;  // key, value
  std::string table_class = "STANDARD";
  bool deletion_protection = false;
  // Stream settings (used by the streams issue).
  bool stream_enabled = false;
  std::string stream_view_type;
  std::string stream_label;
  std::string region = "us-east-1";
  std::string account = "000000000000";
  // Time to live (UpdateTimeToLive): the attribute holding each item's expiry
  // (a Number of epoch seconds) and the time of the last change, 0 = never
  // (DynamoDB allows one change per hour).
  bool ttl_enabled = false;
  std::string ttl_attribute;
  double ttl_modified_time = 0;
  // Point-in-time recovery (UpdateContinuousBackups): when the kept history
  // starts (epoch seconds: when PITR was last enabled, moved later when a
  // longer recovery period is set, as history past the shorter one is gone)
  // and the recovery period in days.
  bool pitr_enabled = false;
  double pitr_enabled_time = 0;
  int64_t pitr_recovery_days = 35;
  // A table restored from a backup: where from and when (RestoreSummary).
  std::string restore_source_backup_arn;
  std::string restore_source_table_arn;
  double restore_time = 0;  // 0 = not restored

  std::string Arn() const;  // arn:aws:dynamodb:<region>:<account>:table/<name>
  const IndexInfo* FindIndex(std::string_view index_name, bool* is_global) const;
};

// Live statistics kept by the engine (not part of the persisted schema).
struct TableStats {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
  struct Index {
    int64_t item_count = 0;
    int64_t size_bytes = 0;
    bool operator==(const Index&) const = default;
  };
  // Per index, by IndexInfo::id.
  std::map<uint64_t, Index> indexes;
};

// "S", "N" or "B".
const char* KeyAttrTypeName(AttrType t);

// Catalog persistence: the TableInfo as JSON text and back.
std::string SerializeTableInfo(const TableInfo& t);
Result<TableInfo> ParseTableInfo(std::string_view json);

}  // namespace ddb
