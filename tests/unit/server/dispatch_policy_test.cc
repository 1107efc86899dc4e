// Which lane each DynamoDB operation runs on (server/dispatch_policy.h).
#include "server/dispatch_policy.h"

#include <gtest/gtest.h>

namespace server {
namespace {

TEST(DispatchPolicyTest, ReadsRunInline) {
  for (const char* op : {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems",
                         "DescribeTable", "ListTables", "ListTagsOfResource"}) {
    EXPECT_EQ(LaneFor(op), Lane::kInline) << op;
  }
}

TEST(DispatchPolicyTest, ItemWritesRunInlineAndAreAnsweredAfterTheSync) {
  for (const char* op :
       {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
        "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"}) {
    EXPECT_EQ(LaneFor(op), Lane::kInlineWrite) << op;
  }
}

TEST(DispatchPolicyTest, TableOperationsAndUnknownNamesRunOnThePool) {
  for (const char* op :
       {"CreateTable", "DeleteTable", "UpdateTable", "CreateBackup", "RestoreTableToPointInTime",
        "ImportTable", "UpdateTimeToLive", "TagResource", "NoSuchOperation", "", "putitem"}) {
    EXPECT_EQ(LaneFor(op), Lane::kWorker) << op;
  }
}

}  // namespace
}  // namespace server
