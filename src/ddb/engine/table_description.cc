#include "ddb/engine/table_description.h"

#include <cinttypes>
#include <cstdio>

#include "ddb/common/clock.h"
#include "ddb/common/mix64.h"

namespace ddb {
namespace {

// Every attribute, in KeySchema order: a multi-attribute GSI key's HASH
// attributes, then its RANGE attributes, as CreateTable was given them.
void DescribeKeySchema(const KeySchema& k, JsonWriter& w) {
  auto element = [&](const KeyAttr& a, const char* type) {
    w.StartObject();
    w.Key("AttributeName");
    w.String(a.name);
    w.Key("KeyType");
    w.String(type);
    w.EndObject();
  };
  w.StartArray();
  for (const KeyAttr* a : k.HashAttrs()) element(*a, "HASH");
  for (const KeyAttr* a : k.RangeAttrs()) element(*a, "RANGE");
  w.EndArray();
}

void DescribeThroughput(const Throughput& t, JsonWriter& w) {
  w.StartObject();
  if (t.last_increase > 0) {
    w.Key("LastIncreaseDateTime");
    w.Double(t.last_increase);
  }
  if (t.last_decrease > 0) {
    w.Key("LastDecreaseDateTime");
    w.Double(t.last_decrease);
  }
  // The count is per UTC day: a decrease made on an earlier day no longer counts.
  const bool today = static_cast<int64_t>(t.last_decrease) / 86400 ==
                     static_cast<int64_t>(NowEpochSeconds()) / 86400;
  w.Key("NumberOfDecreasesToday");
  w.Int64(today ? t.decreases_today : 0);
  w.Key("ReadCapacityUnits");
  w.Int64(t.read);
  w.Key("WriteCapacityUnits");
  w.Int64(t.write);
  w.EndObject();
}

void DescribeProjection(const IndexInfo& i, JsonWriter& w) {
  w.StartObject();
  w.Key("ProjectionType");
  w.String(i.projection_type);
  if (!i.non_key_attributes.empty()) {
    w.Key("NonKeyAttributes");
    w.StartArray();
    for (auto& a : i.non_key_attributes) w.String(a);
    w.EndArray();
  }
  w.EndObject();
}

void DescribeIndex(const TableInfo& t, const IndexInfo& i, bool global, const TableStats& stats,
                   JsonWriter& w) {
  w.StartObject();
  w.Key("IndexName");
  w.String(i.name);
  w.Key("KeySchema");
  DescribeKeySchema(i.key, w);
  w.Key("Projection");
  DescribeProjection(i, w);
  if (global) {
    w.Key("IndexStatus");
    w.String(i.status);
    if (i.status == "CREATING") {
      w.Key("Backfilling");
      w.Bool(i.backfilling);
    }
    w.Key("ProvisionedThroughput");
    DescribeThroughput(i.throughput, w);
  }
  auto st = stats.indexes.find(i.id);
  w.Key("IndexSizeBytes");
  w.Int64(st == stats.indexes.end() ? 0 : st->second.size_bytes);
  w.Key("ItemCount");
  w.Int64(st == stats.indexes.end() ? 0 : st->second.item_count);
  w.Key("IndexArn");
  w.String(t.Arn() + "/index/" + i.name);
  w.EndObject();
}

// A version-4-shaped UUID derived from the table's name and storage id: the
// same table always reports the same TableId, a re-created one a new one.
std::string TableId(const TableInfo& t) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a over the name
  for (unsigned char c : t.name) h = (h ^ c) * 1099511628211ULL;
  uint64_t hi = Mix64(h ^ Mix64(t.id));
  uint64_t lo = Mix64(hi ^ t.id ^ 0x5bd1e9955bd1e995ULL);
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[40];
  std::snprintf(buf, sizeof buf,
                "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64, hi >> 32,
                (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48,
                static_cast<uint64_t>(lo & 0xffffffffffffULL));
  return buf;
}

void DescribeBillingSummary(const TableInfo& t, JsonWriter& w) {
  // DynamoDB omits BillingModeSummary for tables that have always been
  // PROVISIONED. For on-demand tables the last switch time is reported; the
  // catalog keeps no separate switch time, so the creation time stands in.
  if (t.billing_mode != "PAY_PER_REQUEST") return;
  w.Key("BillingModeSummary");
  w.StartObject();
  w.Key("BillingMode");
  w.String(t.billing_mode);
  w.Key("LastUpdateToPayPerRequestDateTime");
  w.Double(t.creation_time);
  w.EndObject();
}

}  // namespace

void WriteKeySchemaDescription(const KeySchema& k, JsonWriter& w) { DescribeKeySchema(k, w); }
void WriteProjectionDescription(const IndexInfo& i, JsonWriter& w) { DescribeProjection(i, w); }
std::string TableIdOf(const TableInfo& t) { return TableId(t); }

void WriteTableDescription(const TableInfo& t, const TableStats& stats, JsonWriter& w) {
  // DeleteTable answers with a reduced description: no schema, no indexes,
  // no creation time (as DynamoDB does).
  const bool deleting = t.status == "DELETING";
  w.StartObject();
  if (!deleting) {
    w.Key("AttributeDefinitions");
    w.StartArray();
    for (const auto& a : t.attribute_definitions) {
      w.StartObject();
      w.Key("AttributeName");
      w.String(a.name);
      w.Key("AttributeType");
      w.String(KeyAttrTypeName(a.type));
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("TableName");
  w.String(t.name);
  if (!deleting) {
    w.Key("KeySchema");
    DescribeKeySchema(t.key, w);
  }
  w.Key("TableStatus");
  w.String(t.status);
  if (!deleting) {
    w.Key("CreationDateTime");
    w.Double(t.creation_time);
  }
  w.Key("ProvisionedThroughput");
  DescribeThroughput(t.throughput, w);
  w.Key("TableSizeBytes");
  w.Int64(stats.size_bytes);
  w.Key("ItemCount");
  w.Int64(stats.item_count);
  w.Key("TableArn");
  w.String(t.Arn());
  w.Key("TableId");
  w.String(TableId(t));
  DescribeBillingSummary(t, w);
  if (!deleting && !t.lsis.empty()) {
    w.Key("LocalSecondaryIndexes");
    w.StartArray();
    for (const auto& i : t.lsis) DescribeIndex(t, i, false, stats, w);
    w.EndArray();
  }
  if (!deleting && !t.gsis.empty()) {
    w.Key("GlobalSecondaryIndexes");
    w.StartArray();
    for (const auto& i : t.gsis) DescribeIndex(t, i, true, stats, w);
    w.EndArray();
  }
  if (t.stream_enabled) {
    w.Key("StreamSpecification");
    w.StartObject();
    w.Key("StreamEnabled");
    w.Bool(true);
    w.Key("StreamViewType");
    w.String(t.stream_view_type);
    w.EndObject();
  }
  if (!t.stream_label.empty()) {
    // A disabled stream stays readable for 24 hours, so the latest stream
    // is reported as long as one was ever enabled.
    w.Key("LatestStreamLabel");
    w.String(t.stream_label);
    w.Key("LatestStreamArn");
    w.String(t.Arn() + "/stream/" + t.stream_label);
  }
  if (t.restore_time > 0) {
    w.Key("RestoreSummary");
    w.StartObject();
    if (!t.restore_source_backup_arn.empty()) {
      w.Key("SourceBackupArn");
      w.String(t.restore_source_backup_arn);
    }
    if (!t.restore_source_table_arn.empty()) {
      w.Key("SourceTableArn");
      w.String(t.restore_source_table_arn);
    }
    w.Key("RestoreDateTime");
    w.Double(t.restore_time);
    w.Key("RestoreInProgress");
    w.Bool(t.status == "CREATING");
    w.EndObject();
  }
  if (t.table_class != "STANDARD") {
    w.Key("TableClassSummary");
    w.StartObject();
    w.Key("TableClass");
    w.String(t.table_class);
    w.EndObject();
  }
  w.Key("DeletionProtectionEnabled");
  w.Bool(t.deletion_protection);
  w.EndObject();
}

}  // namespace ddb
