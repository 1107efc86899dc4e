// CreateTable: the request's shape, then DynamoDB's semantic rules for key
// schemas, attribute definitions, billing, secondary indexes, streams and
// tags, then the catalog entry.
#include <algorithm>
#include <mutex>
#include <set>

#include "ddb/common/clock.h"
#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"
#include "ddb/format/stream_log.h"

namespace ddb::ops {
namespace tables {

Result<ProjectionReq> ParseProjection(const Value& obj, const std::string& path, Constraints& c) {
  ProjectionReq p;
  ASSIGN_OR_RETURN(const Value* proj, OptStruct(obj, "Projection", "Projection"));
  if (!proj) {
    c.Null(path);
    return p;
  }
  ASSIGN_OR_RETURN(p.type, OptString(*proj, "ProjectionType"));
  CheckEnum(c, p.type, path + ".projectionType", {"ALL", "KEYS_ONLY", "INCLUDE"},
            "[ALL, INCLUDE, KEYS_ONLY]");
  ASSIGN_OR_RETURN(const Value* nka, OptList(*proj, "NonKeyAttributes"));
  if (nka) {
    p.has_non_key = true;
    for (const auto& a : nka->GetArray()) {
      if (!a.IsString()) return Serialization("Unexpected value type in payload");
      p.non_key.emplace_back(a.GetString(), a.GetStringLength());
    }
    if (p.non_key.empty()) {
      c.Fail("'[]'", path + ".nonKeyAttributes",
             "Member must have length greater than or equal to 1");
    } else if (p.non_key.size() > 20) {
      c.Fail(Quote("[" + Join(p.non_key) + "]"), path + ".nonKeyAttributes",
             "Member must have length less than or equal to 20");
    }
  }
  return p;
}

// LocalSecondaryIndexes or GlobalSecondaryIndexes of CreateTable.
Result<std::optional<std::vector<IndexReq>>> ParseIndexes(const Value& req, const char* member,
                                                          const std::string& path, bool global,
                                                          Constraints& c) {
  ASSIGN_OR_RETURN(const Value* list, OptList(req, member));
  if (!list) return std::optional<std::vector<IndexReq>>();
  std::vector<IndexReq> out;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const Value& e = (*list)[i];
    RETURN_IF_ERROR(CheckElement(e, global ? "GlobalSecondaryIndex" : "LocalSecondaryIndex"));
    std::string p = ElemPath(path, i);
    IndexReq idx;
    ASSIGN_OR_RETURN(idx.projection, ParseProjection(e, p + ".projection", c));
    ASSIGN_OR_RETURN(idx.name, OptString(e, "IndexName"));
    if (!idx.name) {
      c.Null(p + ".indexName");
    } else {
      CheckName(c, *idx.name, p + ".indexName");
    }
    ASSIGN_OR_RETURN(idx.key,
                     ParseKeySchema(e, p + ".keySchema", c, global ? 2 * kMaxKeyAttrsPerRole : 2));
    if (global) {
      ASSIGN_OR_RETURN(idx.throughput, ParseThroughput(e, p + ".provisionedThroughput", c));
    }
    out.push_back(std::move(idx));
  }
  return std::optional<std::vector<IndexReq>>(std::move(out));
}

namespace {

// The key's attribute names: each defined in AttributeDefinitions, and a
// two-element key's two names different.
Status CheckKeyNames(const std::vector<std::string>& keys, const std::vector<std::string>& defs) {
  for (const auto& k : keys) {
    if (!Contains(defs, k)) {
      return Validation(
          std::string(kInvalid) +
          "Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
          Join(keys) + "], AttributeDefinitions: [" + Join(defs) + "]");
    }
  }
  if (keys.size() == 2 && keys[0] == keys[1]) {
    return Validation(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  return Status::Ok();
}

}  // namespace

// The key-schema rules shared by the table and its indexes.
Status CheckKeySchema(const std::vector<KeyElem>& key, const std::vector<std::string>& defs) {
  std::vector<std::string> keys = Names(key);
  RETURN_IF_ERROR(CheckKeyNames(keys, defs));
  if (key[0].type != "HASH") {
    return Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (key.size() == 2 && key[1].type != "RANGE") {
    return Validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  return Status::Ok();
}

// A GSI's KeySchema may list up to four HASH and up to four RANGE elements
// (multi-attribute keys). The first element must be HASH and the HASH
// elements come before the RANGE ones (the Developer Guide's
// multi-attribute keys page lists the partition-key attributes, then the
// sort-key attributes). The messages past CheckKeySchema's are guesses:
// DynamoDB's wording for these cases is not documented.
Status CheckGlobalIndexKeySchema(const std::vector<KeyElem>& key,
                                 const std::vector<std::string>& defs) {
  size_t hashes = 0;
  for (const auto& k : key) hashes += *k.type == "HASH";
  if (key.size() <= 2 && !(key.size() == 2 && hashes == 2)) return CheckKeySchema(key, defs);
  std::vector<std::string> keys = Names(key);
  RETURN_IF_ERROR(CheckKeyNames(keys, defs));
  for (size_t i = 0; i < keys.size(); ++i) {
    if (std::find(keys.begin(), keys.begin() + i, keys[i]) != keys.begin() + i) {
      // Guess.
      return Validation("Invalid KeySchema: Duplicate attribute name in KeySchema: " + keys[i]);
    }
  }
  if (*key[0].type != "HASH") {
    return Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  bool seen_range = false;
  for (const auto& k : key) {
    if (*k.type == "RANGE") {
      seen_range = true;
    } else if (seen_range) {
      // Guess.
      return Validation(
          "Invalid KeySchema: All HASH key type KeySchemaElements must come before the RANGE "
          "key type KeySchemaElements");
    }
  }
  if (hashes > kMaxKeyAttrsPerRole || key.size() - hashes > kMaxKeyAttrsPerRole) {
    // Guess.
    return Validation(std::string("Invalid KeySchema: A global secondary index KeySchema can ") +
                      "have at most " + std::to_string(kMaxKeyAttrsPerRole) + " " +
                      (hashes > kMaxKeyAttrsPerRole ? "HASH" : "RANGE") +
                      " key type KeySchemaElements");
  }
  return Status::Ok();
}

Status CheckProjection(const ProjectionReq& p) {
  if (!p.type) return Validation(std::string(kInvalid) + "Unknown ProjectionType: null");
  if (p.has_non_key && *p.type != "INCLUDE") {
    return Validation(std::string(kInvalid) + "ProjectionType is " + *p.type +
                      ", but NonKeyAttributes is specified");
  }
  if (!p.has_non_key && *p.type == "INCLUDE") {
    return Validation(std::string(kInvalid) +
                      "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  }
  std::set<std::string> seen;
  for (const auto& a : p.non_key) {
    if (!seen.insert(a).second) {
      return Validation(std::string(kInvalid) + "Duplicate element in NonKeyAttributes: " + a);
    }
  }
  return Status::Ok();
}

AttrType KeyTypeOf(const std::vector<KeyElem>& defs, const std::string& name) {
  for (const auto& d : defs) {
    if (d.name == name)
      return *d.type == "N" ? AttrType::kN : *d.type == "B" ? AttrType::kB : AttrType::kS;
  }
  return AttrType::kS;
}

// `key` has passed CheckKeySchema or CheckGlobalIndexKeySchema: HASH
// elements first.
KeySchema ToKeySchema(const std::vector<KeyElem>& key, const std::vector<KeyElem>& defs) {
  KeySchema k;
  k.hash = {*key[0].name, KeyTypeOf(defs, *key[0].name)};
  for (size_t i = 1; i < key.size(); ++i) {
    KeyAttr a{*key[i].name, KeyTypeOf(defs, *key[i].name)};
    if (*key[i].type == "HASH") {
      k.more_hash.push_back(std::move(a));
    } else if (!k.range) {
      k.range = std::move(a);
    } else {
      k.more_range.push_back(std::move(a));
    }
  }
  return k;
}

IndexInfo ToIndexInfo(const IndexReq& r, const std::vector<KeyElem>& defs, bool on_demand) {
  IndexInfo i;
  i.name = *r.name;
  i.key = ToKeySchema(r.key, defs);
  i.projection_type = *r.projection.type;
  i.non_key_attributes = r.projection.non_key;
  if (!on_demand && r.throughput.present) {
    i.throughput.read = *r.throughput.read;
    i.throughput.write = *r.throughput.write;
  }
  return i;
}

// The semantic rules of CreateTable's secondary indexes. `defs` are the
// attribute definition names, `index_names` collects names across both kinds.
Status CheckIndexes(const std::vector<IndexReq>& indexes, bool global,
                    const std::vector<KeyElem>& table_key, const std::vector<std::string>& defs,
                    bool on_demand, std::set<std::string>* index_names) {
  const char* kind = global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes";
  if (indexes.empty()) return Validation(std::string(kInvalid) + "List of " + kind + " is empty");
  if (!global && table_key.size() != 2) {
    return Validation(std::string(kInvalid) +
                      "Table KeySchema does not have a range key, which is required when "
                      "specifying a LocalSecondaryIndex");
  }
  for (const auto& idx : indexes) {
    RETURN_IF_ERROR(global ? CheckGlobalIndexKeySchema(idx.key, defs)
                           : CheckKeySchema(idx.key, defs));
    if (!global) {
      if (idx.key.size() != 2) {
        return Validation(std::string(kInvalid) +
                          "Index KeySchema does not have a range key for index: " + *idx.name);
      }
      if (*idx.key[0].name != *table_key[0].name) {
        return Validation(std::string(kInvalid) +
                          "Index KeySchema does not have the same leading hash key as table "
                          "KeySchema for index: " +
                          *idx.name + ". index hash key: " + *idx.key[0].name +
                          ", table hash key: " + *table_key[0].name);
      }
    }
    RETURN_IF_ERROR(CheckProjection(idx.projection));
    if (global && on_demand && idx.throughput.present) {
      return Validation(std::string(kInvalid) +
                        "ProvisionedThroughput should not be specified for index: " + *idx.name +
                        " when BillingMode is PAY_PER_REQUEST");
    }
    if (global && !on_demand && !idx.throughput.present) {
      return Validation(std::string(kInvalid) +
                        "ProvisionedThroughput is not specified for index: " + *idx.name);
    }
    if (global) RETURN_IF_ERROR(CheckCapacityBounds(idx.throughput));
    if (!index_names->insert(*idx.name).second) {
      return Validation(std::string(kInvalid) + "Duplicate index name: " + *idx.name);
    }
  }
  if (global && indexes.size() > kMaxGlobalIndexes) {
    return Validation(std::string(kInvalid) +
                      "GlobalSecondaryIndex count exceeds the per-table limit of " +
                      std::to_string(kMaxGlobalIndexes));
  }
  if (!global && indexes.size() > kMaxLocalIndexes) {
    return Validation(std::string(kInvalid) +
                      "Number of LocalSecondaryIndexes exceeds per-table limit of " +
                      std::to_string(kMaxLocalIndexes));
  }
  return Status::Ok();
}

}  // namespace tables

using namespace tables;  // NOLINT: the shared helpers of the table operations

// ---- CreateTable -------------------------------------------------------------------

Result<TableInfo> tables::TableInfoFromCreateRequest(EngineContext& ctx, const Value& req) {
  Constraints c;
  ASSIGN_OR_RETURN(auto defs, ParseAttributeDefinitions(req, c, true));
  ASSIGN_OR_RETURN(auto name, OptString(req, "TableName"));
  if (!name) {
    c.Null("tableName");
  } else {
    CheckName(c, *name, "tableName");
  }
  ASSIGN_OR_RETURN(auto billing, OptString(req, "BillingMode"));
  CheckEnum(c, billing, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"},
            "[PROVISIONED, PAY_PER_REQUEST]");
  ASSIGN_OR_RETURN(ThroughputReq pt, ParseThroughput(req, "provisionedThroughput", c));
  ASSIGN_OR_RETURN(std::vector<KeyElem> key, ParseKeySchema(req, "keySchema", c));
  const bool key_present = Member(req, "KeySchema") != nullptr;
  ASSIGN_OR_RETURN(auto lsis,
                   ParseIndexes(req, "LocalSecondaryIndexes", "localSecondaryIndexes", false, c));
  ASSIGN_OR_RETURN(auto gsis,
                   ParseIndexes(req, "GlobalSecondaryIndexes", "globalSecondaryIndexes", true, c));
  ASSIGN_OR_RETURN(StreamReq stream, ParseStream(req, c));
  ASSIGN_OR_RETURN(auto tags, ParseTags(req));
  ASSIGN_OR_RETURN(auto table_class, OptString(req, "TableClass"));
  ASSIGN_OR_RETURN(auto protection, OptBool(req, "DeletionProtectionEnabled"));
  RETURN_IF_ERROR(OptStruct(req, "SSESpecification", "SSESpecification"));  // accepted, ignored
  RETURN_IF_ERROR(c.ToStatus());
  if (!key_present || !defs) return Internal("unreachable: shape check passed without a key");

  // Billing mode and throughput.
  const bool on_demand = billing == "PAY_PER_REQUEST";
  if (on_demand && pt.present) {
    return Validation(std::string(kInvalid) +
                      "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                      "BillingMode is PAY_PER_REQUEST");
  }
  if (!on_demand && !(pt.present && pt.read && pt.write)) {
    return Validation(std::string(kInvalid) +
                      "ReadCapacityUnits and WriteCapacityUnits must both be specified when "
                      "BillingMode is PROVISIONED");
  }
  RETURN_IF_ERROR(CheckCapacityBounds(pt));

  // Attribute definitions and the table's key schema.
  std::vector<std::string> def_names = Names(*defs);
  for (size_t i = 0; i < def_names.size(); ++i) {
    if (std::find(def_names.begin(), def_names.begin() + i, def_names[i]) !=
        def_names.begin() + i) {
      return Validation("Attribute Name is duplicated: " + def_names[i]);
    }
  }
  if (key.size() > def_names.size()) {
    return Validation("Invalid KeySchema: Some index key attribute have no definition");
  }
  RETURN_IF_ERROR(CheckKeySchema(key, def_names));
  if (!lsis && !gsis && key.size() != def_names.size()) {
    return Validation(std::string(kInvalid) +
                      "Number of attributes in KeySchema does not exactly match number of "
                      "attributes defined in AttributeDefinitions");
  }

  // Secondary indexes.
  std::set<std::string> index_names;
  if (lsis) RETURN_IF_ERROR(CheckIndexes(*lsis, false, key, def_names, on_demand, &index_names));
  if (gsis) RETURN_IF_ERROR(CheckIndexes(*gsis, true, key, def_names, on_demand, &index_names));
  if (lsis || gsis) {
    std::vector<std::string> used = Names(key);
    for (const auto* list : {&lsis, &gsis}) {
      if (!*list) continue;
      for (const auto& idx : **list) {
        for (const auto& k : Names(idx.key)) {
          if (!Contains(used, k)) used.push_back(k);
        }
      }
    }
    for (const auto& d : def_names) {
      if (!Contains(used, d)) {
        return Validation(std::string(kInvalid) +
                          "Some AttributeDefinitions are not used. AttributeDefinitions: [" +
                          Join(def_names) + "], keys used: [" + Join(used) + "]");
      }
    }
  }

  // Stream, table class, tags.
  if (stream.present && *stream.enabled && !stream.view_type) {
    return Validation(std::string(kInvalid) +
                      "Table is being created with a stream enabled, UpdateViewType is required");
  }
  if (stream.present && !*stream.enabled && stream.view_type) {
    return Validation(std::string(kInvalid) +
                      "Table is being created with a stream disabled, UpdateViewType should not "
                      "be specified");
  }
  RETURN_IF_ERROR(CheckTableClass(table_class));
  if (tags) {
    RETURN_IF_ERROR(ValidateTags(*tags));
    if (tags->size() > kMaxTags) return TooManyTags().error();
  }

  double now = NowEpochSeconds();
  TableInfo info;
  info.name = *name;
  info.key = ToKeySchema(key, *defs);
  for (const auto& d : *defs)
    info.attribute_definitions.push_back({*d.name, KeyTypeOf(*defs, *d.name)});
  info.billing_mode = on_demand ? "PAY_PER_REQUEST" : "PROVISIONED";
  if (!on_demand) {
    info.throughput.read = *pt.read;
    info.throughput.write = *pt.write;
  }
  info.creation_time = now;
  info.status = "ACTIVE";
  if (lsis) {
    for (const auto& idx : *lsis) info.lsis.push_back(ToIndexInfo(idx, *defs, true));
  }
  if (gsis) {
    for (const auto& idx : *gsis) info.gsis.push_back(ToIndexInfo(idx, *defs, on_demand));
  }
  if (tags) {
    for (const auto& t : *tags) info.tags.emplace_back(*t.key, *t.value);
  }
  info.table_class = table_class.value_or("STANDARD");
  info.deletion_protection = protection.value_or(false);
  if (stream.present && *stream.enabled) {
    info.stream_enabled = true;
    info.stream_view_type = *stream.view_type;
    info.stream_label = StreamLabel(now);
  }
  info.region = ctx.options.region;
  info.account = ctx.options.account;
  return info;
}

Status CreateTable(EngineContext& ctx, const Request& req, JsonWriter& out) {
  RETURN_IF_ERROR(CheckTableNamePresent(req));
  ASSIGN_OR_RETURN(TableInfo info, TableInfoFromCreateRequest(ctx, req));

  // Under the schema lock, so that a table dropped and created again cannot
  // slip between another operation's read and rewrite of its catalog entry.
  std::lock_guard lock(SchemaMutex());
  ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Create(std::move(info)));
  if (ctx.streams) ctx.streams->Sync(table->info);
  WriteDescription("TableDescription", *table, out);
  return Status::Ok();
}

}  // namespace ddb::ops
