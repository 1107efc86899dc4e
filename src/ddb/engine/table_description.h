// The wire form of a table: the TableDescription object DescribeTable,
// CreateTable, DeleteTable and UpdateTable return, and the pieces of it the
// backup descriptions share. (The catalog's own form: format/table_info.h.)
#pragma once

#include <string>

#include "ddb/format/table_info.h"
#include "ddb/model/json_codec.h"

namespace ddb {

// KeySchema: [{"AttributeName","KeyType"}...].
void WriteKeySchemaDescription(const KeySchema& k, JsonWriter& w);
// Projection: {"ProjectionType", "NonKeyAttributes"}.
void WriteProjectionDescription(const IndexInfo& i, JsonWriter& w);
// The TableId DescribeTable reports (a UUID derived from name and storage id).
std::string TableIdOf(const TableInfo& t);

// Writes the TableDescription object (as DescribeTable / CreateTable /
// DeleteTable / UpdateTable return it) for `t` to `w`.
void WriteTableDescription(const TableInfo& t, const TableStats& stats, JsonWriter& w);

}  // namespace ddb
