#include "cruddur/messaging/table_admin.h"

#include "cruddur/messaging/item_json.h"
#include "cruddur/messaging/message_store.h"
#include "ddb/common/error.h"

namespace cruddur::messaging {

using json::Alloc;
using json::SetString;

base::Result<std::string> CreateMessagesTable(aws::AwsJsonClient& client, std::string_view table) {
  rapidjson::Document req;
  req.Parse(R"({
    "AttributeDefinitions": [
      {"AttributeName": "message_group_uuid", "AttributeType": "S"},
      {"AttributeName": "pk", "AttributeType": "S"},
      {"AttributeName": "sk", "AttributeType": "S"}],
    "KeySchema": [
      {"AttributeName": "pk", "KeyType": "HASH"},
      {"AttributeName": "sk", "KeyType": "RANGE"}],
    "GlobalSecondaryIndexes": [{
      "IndexName": "message-group-sk-index",
      "KeySchema": [
        {"AttributeName": "message_group_uuid", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"}],
      "Projection": {"ProjectionType": "ALL"},
      "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}],
    "BillingMode": "PROVISIONED",
    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    "Tags": [{"Key": "PROJECT", "Value": "CRUDDER"}]})");
  SetString(req, "TableName", table, req.GetAllocator());
  ASSIGN_OR_RETURN(auto out, client.CallJson("CreateTable", req));
  return out.HasMember("TableDescription") ? json::ToString(out["TableDescription"])
                                           : json::ToString(out);
}

base::Result<bool> EnsureMessagesStream(aws::AwsJsonClient& client, std::string_view table) {
  rapidjson::Document req(rapidjson::kObjectType);
  SetString(req, "TableName", table, req.GetAllocator());
  ASSIGN_OR_RETURN(auto out, client.CallJson("DescribeTable", req));
  if (out.HasMember("Table") && out["Table"].HasMember("StreamSpecification")) {
    const auto& spec = out["Table"]["StreamSpecification"];
    if (spec.HasMember("StreamEnabled") && spec["StreamEnabled"].IsBool() &&
        spec["StreamEnabled"].GetBool()) {
      std::string view;
      if (spec.HasMember("StreamViewType") && spec["StreamViewType"].IsString()) {
        view = spec["StreamViewType"].GetString();
      }
      if (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES") return false;
      return ddb::Validation("table " + std::string(table) + " has a " + view +
                             " stream; live updates need NEW_IMAGE (disable it first)");
    }
  }
  rapidjson::Document update;
  update.Parse(
      R"({"StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}})");
  SetString(update, "TableName", table, update.GetAllocator());
  ASSIGN_OR_RETURN(auto updated, client.CallJson("UpdateTable", update));
  (void)updated;
  return true;
}

base::Result<bool> TableExists(aws::AwsJsonClient& client, std::string_view table) {
  rapidjson::Document req(rapidjson::kObjectType);
  SetString(req, "TableName", table, req.GetAllocator());
  auto out = client.CallJson("DescribeTable", req);
  if (out.ok()) return true;
  if (out.error().code == ddb::ErrorCode::kResourceNotFound) return false;
  return std::move(out).error();
}

base::Result<std::vector<std::string>> ListTableNames(aws::AwsJsonClient& client) {
  std::vector<std::string> names;
  std::string start;
  while (true) {
    rapidjson::Document req(rapidjson::kObjectType);
    if (!start.empty()) SetString(req, "ExclusiveStartTableName", start, req.GetAllocator());
    ASSIGN_OR_RETURN(auto out, client.CallJson("ListTables", req));
    if (out.HasMember("TableNames") && out["TableNames"].IsArray()) {
      for (const auto& n : out["TableNames"].GetArray()) {
        if (n.IsString()) names.emplace_back(n.GetString(), n.GetStringLength());
      }
    }
    if (!out.HasMember("LastEvaluatedTableName") || !out["LastEvaluatedTableName"].IsString()) {
      break;
    }
    start = out["LastEvaluatedTableName"].GetString();
  }
  return names;
}

base::Result<std::string> DeleteTable(aws::AwsJsonClient& client, std::string_view table) {
  rapidjson::Document req(rapidjson::kObjectType);
  SetString(req, "TableName", table, req.GetAllocator());
  ASSIGN_OR_RETURN(auto out, client.CallJson("DeleteTable", req));
  return out.HasMember("TableDescription") ? json::ToString(out["TableDescription"])
                                           : json::ToString(out);
}

base::Result<int64_t> ScanTable(aws::AwsJsonClient& client, std::string_view table,
                                const std::function<void(const std::string&)>& on_item) {
  rapidjson::Document req(rapidjson::kObjectType);
  Alloc& a = req.GetAllocator();
  SetString(req, "TableName", table, a);
  int64_t count = 0;
  while (true) {
    ASSIGN_OR_RETURN(auto out, client.CallJson("Scan", req));
    if (out.HasMember("Items") && out["Items"].IsArray()) {
      for (const auto& item : out["Items"].GetArray()) {
        ++count;
        if (on_item) on_item(json::ToString(item));
      }
    }
    if (!out.HasMember("LastEvaluatedKey")) break;
    req.RemoveMember("ExclusiveStartKey");
    rapidjson::Value key(out["LastEvaluatedKey"], a);
    req.AddMember("ExclusiveStartKey", key, a);
  }
  return count;
}

}  // namespace cruddur::messaging
