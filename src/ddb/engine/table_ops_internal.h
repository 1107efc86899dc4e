// Private to the table operations (table_ops*.cc): the request structures
// and validation helpers CreateTable, UpdateTable and the tagging operations
// share.
//
// Validation follows DynamoDB's two stages. First the request's shape (types,
// lengths, enums, nulls) is checked and every violation collected into one
// "N validation errors detected: ..." message (Constraints); only then are
// the semantic rules checked one at a time, each with DynamoDB's own
// message. Shape errors are reported before a missing table is.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/engine/engine_context.h"
#include "ddb/engine/table_description.h"
#include "ddb/engine/validation.h"
#include "ddb/format/catalog.h"
#include "ddb/format/table_info.h"

namespace ddb::ops::tables {

using rapidjson::Value;

inline constexpr size_t kMaxTags = 50;
inline constexpr int64_t kMaxCapacityUnits = 1000000000000LL;
inline constexpr const char* kInvalid = "One or more parameter values were invalid: ";
inline constexpr size_t kMaxGlobalIndexes = 20;
inline constexpr size_t kMaxLocalIndexes = 5;

// The table operations serialize their catalog changes with SchemaMutex()
// (format/catalog.h).

// Constraints, Quote, ElemPath, CheckName and CheckEnum live in validation.h;
// their old names here stay valid (backup.h names ops::tables::Constraints).
using ::ddb::CheckEnum;
using ::ddb::CheckName;
using ::ddb::Constraints;
using ::ddb::ElemPath;
using ::ddb::Quote;
std::string Join(const std::vector<std::string>& v);  // a, b, c
bool Contains(const std::vector<std::string>& v, const std::string& s);

// Typed access to nested members: OptStruct and OptList (validation.h).
// A structure inside a list (JSON null reads as an empty structure).
Status CheckElement(const Value& v, std::string_view shape);

// ---- Request structures, as sent (fields unchecked until validated) ----

struct KeyElem {  // a KeySchemaElement or an AttributeDefinition
  std::optional<std::string> name;
  std::optional<std::string> type;  // KeyType or AttributeType
};

struct ThroughputReq {
  bool present = false;
  std::optional<int64_t> read, write;
};

struct ProjectionReq {
  std::optional<std::string> type;
  bool has_non_key = false;
  std::vector<std::string> non_key;
};

struct IndexReq {
  std::optional<std::string> name;
  std::vector<KeyElem> key;
  ProjectionReq projection;
  ThroughputReq throughput;
};

struct TagReq {
  std::optional<std::string> key, value;
};

struct StreamReq {
  bool present = false;
  std::optional<bool> enabled;
  std::optional<std::string> view_type;
};

// Readers: each records shape violations in `c` (under `path`) and returns
// an Error only for a SerializationException.
// Member "KeySchema", required; at most `max_elements` elements (2, or 8
// for a GSI, whose keys may have up to 4 + 4 attributes).
Result<std::vector<KeyElem>> ParseKeySchema(const Value& obj, const std::string& path,
                                            Constraints& c, size_t max_elements = 2);
Result<std::optional<std::vector<KeyElem>>> ParseAttributeDefinitions(const Value& req,
                                                                      Constraints& c,
                                                                      bool required);
Result<ThroughputReq> ParseThroughput(const Value& obj, const std::string& path, Constraints& c);
Result<StreamReq> ParseStream(const Value& req, Constraints& c);
Result<std::optional<std::vector<TagReq>>> ParseTags(const Value& req);  // member "Tags"

Result<ProjectionReq> ParseProjection(const Value& obj, const std::string& path, Constraints& c);
// LocalSecondaryIndexes or GlobalSecondaryIndexes of CreateTable.
Result<std::optional<std::vector<IndexReq>>> ParseIndexes(const Value& req, const char* member,
                                                          const std::string& path, bool global,
                                                          Constraints& c);

// ---- Semantic rules ----

// The key-schema rules shared by the table and its indexes.
Status CheckKeySchema(const std::vector<KeyElem>& key, const std::vector<std::string>& defs);
// A GSI's key schema, which may have multi-attribute keys: the rules of
// CheckKeySchema, then at most 4 HASH and 4 RANGE elements, HASH first.
Status CheckGlobalIndexKeySchema(const std::vector<KeyElem>& key,
                                 const std::vector<std::string>& defs);
Status CheckProjection(const ProjectionReq& p);
AttrType KeyTypeOf(const std::vector<KeyElem>& defs, const std::string& name);
KeySchema ToKeySchema(const std::vector<KeyElem>& key, const std::vector<KeyElem>& defs);
IndexInfo ToIndexInfo(const IndexReq& r, const std::vector<KeyElem>& defs, bool on_demand);
// The semantic rules of secondary indexes. `defs` are the attribute
// definition names, `index_names` collects names across both kinds.
Status CheckIndexes(const std::vector<IndexReq>& indexes, bool global,
                    const std::vector<KeyElem>& table_key, const std::vector<std::string>& defs,
                    bool on_demand, std::set<std::string>* index_names);

std::vector<std::string> Names(const std::vector<KeyElem>& v);
// Capacity units above DynamoDB's absolute bound (10^12).
Status CheckCapacityBounds(const ThroughputReq& t);
// TableClass: STANDARD or STANDARD_INFREQUENT_ACCESS.
Status CheckTableClass(const std::optional<std::string>& cls);

// Tags: DynamoDB's per-tag rules (null, lengths in characters, characters,
// the reserved "aws:" prefix, duplicates).
Status ValidateTags(const std::vector<TagReq>& tags);
bool ValidTagKey(std::string_view key);
Status TooManyTags();

// A stream label: the enabling time, "YYYY-MM-DDTHH:MM:SS.mmm" (UTC).
std::string StreamLabel(double now);

// CreateTable's validation (shape, then semantic rules) of `req` and the
// TableInfo it describes (status ACTIVE, creation time now, this engine's
// region and account); nothing is created. ImportTable validates its
// TableCreationParameters with it (import_ops.cc).
Result<TableInfo> TableInfoFromCreateRequest(EngineContext& ctx, const Value& req);

// ResourceNotFoundException "Requested resource not found: Table: <name> not found".
Error TableNotFound(const std::string& name);

// Writes {"<key>": <TableDescription>} as the whole response object.
void WriteDescription(const char* key, const TableInfo& info, const TableStats& stats,
                      JsonWriter& out);
inline void WriteDescription(const char* key, const Table& t, JsonWriter& out) {
  WriteDescription(key, t.info, t.stats ? t.stats->Snapshot() : TableStats{}, out);
}

}  // namespace ddb::ops::tables
