// Phases 1 and 2 of DynamoDB's validation (validation.h) for the item,
// query/scan, batch and transaction operations: every member of the request
// type-checked (SerializationException) and then its constraints checked,
// all violations reported in one "N validation errors detected: ..."
// ValidationException. Each returns OK when the request passes both phases;
// the operation then checks its request-level rules, then looks up the table.
//
// The members are checked in the order dynalite's validations/*.js list them
// (dynalite's tests are run against DynamoDB; they compare the entries as a
// set, since DynamoDB's order is not fixed), and the constraints are those of
// the service model (botocore's dynamodb/2012-08-10/service-2.json).
#pragma once

#include <rapidjson/document.h>

#include "ddb/common/error.h"

namespace ddb {

Status ValidateGetItemMembers(const rapidjson::Value& req);
Status ValidatePutItemMembers(const rapidjson::Value& req);
Status ValidateUpdateItemMembers(const rapidjson::Value& req);
Status ValidateDeleteItemMembers(const rapidjson::Value& req);
Status ValidateQueryMembers(const rapidjson::Value& req);
Status ValidateScanMembers(const rapidjson::Value& req);
Status ValidateBatchGetItemMembers(const rapidjson::Value& req);
Status ValidateBatchWriteItemMembers(const rapidjson::Value& req);
Status ValidateTransactGetItemsMembers(const rapidjson::Value& req);
Status ValidateTransactWriteItemsMembers(const rapidjson::Value& req);

}  // namespace ddb
