// Permissions of an access key: which groups of operations it may run on
// which tables, and what each operation needs (one table, below, maps every
// operation to its group and says where its tables are in the request).
//
// Groups:
//   read           GetItem, BatchGetItem, Query, Scan, TransactGetItems,
//                  DescribeTable, ListTables, DescribeTimeToLive,
//                  DescribeContinuousBackups, DescribeBackup, ListBackups,
//                  ListTagsOfResource, DescribeLimits, DescribeEndpoints,
//                  DescribeExport (the table of ExportArn), ListExports,
//                  DescribeImport (the table of ImportArn), ListImports
//   write          PutItem, UpdateItem, DeleteItem, BatchWriteItem,
//                  TransactWriteItems (its ConditionCheck entries need read)
//   read / write   ExecuteStatement, BatchExecuteStatement,
//                  ExecuteTransaction: per statement, read on its table for
//                  SELECT and EXISTS, write for INSERT, UPDATE and DELETE
//   admin          the control plane: CreateTable, UpdateTable, DeleteTable,
//                  CreateBackup, DeleteBackup, RestoreTableFromBackup,
//                  RestoreTableToPointInTime (source and target),
//                  UpdateTimeToLive, UpdateContinuousBackups, TagResource,
//                  UntagResource, ExportTableToPointInTime (the table of
//                  TableArn), ImportTable (the new table:
//                  TableCreationParameters.TableName)
//   streams        ListStreams, DescribeStream, GetShardIterator, GetRecords
//   userpool-admin the local user pool's IAM-authorized operations (Admin*,
//                  ListUsers, ...); the resource is the pool id
//   *              all of the above
//
// Resources are table names, matched against glob patterns where '*'
// matches any run of characters ("cruddur-*", "*"). An operation is allowed
// when, for every table it names, some grant of the key has the needed
// group and a pattern matching the table. Operations that name no table
// (ListTables, DescribeLimits, DescribeEndpoints, ListBackups without a
// TableName, ListExports and ListImports without a TableArn, ListStreams
// without one) need the group on any pattern. An operation missing from the
// table needs admin on every table ("*" alone).
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace server {

enum class ActionGroup : uint8_t {
  kRead = 1,
  kWrite = 2,
  kAdmin = 4,
  kStreams = 8,
  kUserPoolAdmin = 16,
};
inline constexpr uint8_t kAllGroups = 31;

// "read", "write", "admin", "streams", "userpool-admin"; "*" is every group.
// Returns the bit mask, or nullopt for an unknown name.
std::optional<uint8_t> ParseGroupName(std::string_view name);
std::string_view GroupName(ActionGroup group);

// One line of a key's permissions: these groups on tables matching any of
// these patterns.
struct Grant {
  uint8_t groups = 0;  // ActionGroup bits
  std::vector<std::string> patterns;
};

// '*' matches any run of characters (also none); everything else itself.
bool GlobMatch(std::string_view pattern, std::string_view name);

// True when some grant gives `group` on `resource`; an empty resource (an
// operation naming no table) is given by any grant of the group.
bool Allows(const std::vector<Grant>& grants, ActionGroup group, std::string_view resource);

// What an operation needs: `group` on `table` ("" = no table named).
struct Need {
  ActionGroup group;
  std::string table;
};

// The needs of DynamoDB operation `operation` (streams: `streams` true) with
// request body `body`. Tables come from TableName, RequestItems' keys,
// TransactItems' entries, and the table part of ResourceArn, BackupArn,
// TableArn, ExportArn, StreamArn, SourceTableArn and of a ShardIterator. An
// unknown operation needs admin on "*".
std::vector<Need> RequiredAccess(std::string_view operation, bool streams,
                                 const rapidjson::Value& body);

// Whether `operation` is a known control-plane (admin group) DynamoDB
// operation; unknown operations are not.
bool IsControlPlaneOperation(std::string_view operation);

// The table name of a DynamoDB ARN ("arn:aws:dynamodb:r:a:table/T/..." ->
// "T"), or "" if it names none.
std::string TableOfArn(std::string_view arn);

}  // namespace server
