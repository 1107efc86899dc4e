#include "server/dispatch_policy.h"

#include <array>

namespace server {

Lane LaneFor(std::string_view op) {
  static constexpr std::array<std::string_view, 5> kReadOnly = {"GetItem", "Query", "Scan",
                                                                "BatchGetItem", "TransactGetItems"};
  for (std::string_view r : kReadOnly) {
    if (op == r) return Lane::kInline;
  }
  // DescribeTable, DescribeLimits, DescribeEndpoints, DescribeTimeToLive, ...
  // ListTables, ListTagsOfResource, ListBackups, ...
  if (op.starts_with("Describe") || op.starts_with("List")) return Lane::kInline;
  // Their only waits are for an item's lock, held by another thread for the
  // length of one write without its sync.
  static constexpr std::array<std::string_view, 8> kItemWrites = {"PutItem",
                                                                  "UpdateItem",
                                                                  "DeleteItem",
                                                                  "BatchWriteItem",
                                                                  "TransactWriteItems",
                                                                  "ExecuteStatement",
                                                                  "BatchExecuteStatement",
                                                                  "ExecuteTransaction"};
  for (std::string_view w : kItemWrites) {
    if (op == w) return Lane::kInlineWrite;
  }
  return Lane::kWorker;
}

}  // namespace server
