#include "ddb/engine/validation.h"

#include <algorithm>
#include <cctype>

#include "ddb/engine/request_util.h"

namespace ddb {

void Constraints::Fail(const std::string& value, const std::string& path, std::string_view rule) {
  if (errors_.size() >= 10) return;
  errors_.push_back("Value " + value + " at '" + path +
                    "' failed to satisfy constraint: " + std::string(rule));
}

Status Constraints::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::string msg = std::to_string(errors_.size()) + " validation error" +
                    (errors_.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < errors_.size(); ++i) msg += (i ? "; " : "") + errors_[i];
  return Validation(std::move(msg));
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string ElemPath(const std::string& list_path, size_t i) {
  return list_path + "." + std::to_string(i + 1) + ".member";
}

void CheckName(Constraints& c, const std::string& name, const std::string& path) {
  if (name.size() < 3)
    c.Fail(Quote(name), path, "Member must have length greater than or equal to 3");
  if (name.size() > 255)
    c.Fail(Quote(name), path, "Member must have length less than or equal to 255");
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-';
  });
  if (!ok)
    c.Fail(Quote(name), path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
}

void CheckEnum(Constraints& c, const std::optional<std::string>& v, const std::string& path,
               std::initializer_list<std::string_view> allowed, std::string_view shown) {
  if (!v) return;
  if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
    c.Fail(Quote(*v), path, "Member must satisfy enum value set: " + std::string(shown));
  }
}

// ---- Member readers ---------------------------------------------------------

Status CheckTableNameMember(const rapidjson::Value& obj, const std::string& path, Constraints& c) {
  ASSIGN_OR_RETURN(auto name, OptString(obj, "TableName"));
  if (!name) {
    c.Null(path);
    return Status::Ok();
  }
  if (name->size() <= 1024) {
    if (auto bare = TableNameFromArn(*name)) {
      CheckName(c, std::string(*bare), path);
      return Status::Ok();
    }
  }
  CheckName(c, *name, path);
  return Status::Ok();
}

Status CheckIndexNameMember(const rapidjson::Value& obj, const std::string& path, Constraints& c) {
  ASSIGN_OR_RETURN(auto name, OptString(obj, "IndexName"));
  if (name) CheckName(c, *name, path);
  return Status::Ok();
}

Status CheckEnumMember(const rapidjson::Value& obj, std::string_view member,
                       const std::string& path, std::initializer_list<std::string_view> allowed,
                       std::string_view shown, Constraints& c) {
  ASSIGN_OR_RETURN(auto v, OptString(obj, member));
  CheckEnum(c, v, path, allowed, shown);
  return Status::Ok();
}

Status CheckMapMember(const rapidjson::Value& obj, std::string_view member, const std::string& path,
                      bool required, Constraints& c) {
  const rapidjson::Value* v = Member(obj, member);
  if (!v) {
    if (required) c.Null(path);
    return Status::Ok();
  }
  if (v->IsObject()) return Status::Ok();
  // The deserializer's words, as dynalite's serialization tests (written
  // against DynamoDB) record them for a map of AttributeValues.
  if (v->IsArray()) {
    return Serialization(
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  }
  return Serialization("Unexpected field type");
}

Status CheckIntMember(const rapidjson::Value& obj, std::string_view member, const std::string& path,
                      int64_t min, int64_t max, Constraints& c) {
  ASSIGN_OR_RETURN(auto v, OptInt32(obj, member));
  if (!v) return Status::Ok();
  if (*v < min) {
    c.Fail(Quote(std::to_string(*v)), path,
           "Member must have value greater than or equal to " + std::to_string(min));
  } else if (max >= min && *v > max) {
    c.Fail(Quote(std::to_string(*v)), path,
           "Member must have value less than or equal to " + std::to_string(max));
  }
  return Status::Ok();
}

Status CheckNameListMember(const rapidjson::Value& obj, std::string_view member,
                           const std::string& path, Constraints& c) {
  const rapidjson::Value* v = Member(obj, member);
  if (!v) return Status::Ok();
  if (v->IsObject()) return Serialization("Start of structure or map found where not expected");
  if (!v->IsArray()) return Serialization("Unexpected field type");
  std::string shown = "[";
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    const auto& e = (*v)[i];
    if (e.IsNull()) continue;
    if (!e.IsString()) {
      if (e.IsObject()) return Serialization("Start of structure or map found where not expected");
      if (e.IsArray()) return Serialization("Unrecognized collection type class java.lang.String");
      return Serialization("Unexpected value type in payload");
    }
    shown += (i ? ", " : "") + std::string(e.GetString(), e.GetStringLength());
  }
  shown += "]";
  if (v->Empty()) c.Fail(Quote(shown), path, "Member must have length greater than or equal to 1");
  return Status::Ok();
}

Result<const rapidjson::Value*> OptStruct(const rapidjson::Value& obj, std::string_view name,
                                          std::string_view shape) {
  const rapidjson::Value* v = Member(obj, name);
  if (!v || v->IsObject()) return v;
  if (v->IsArray()) {
    return Serialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810." +
                         std::string(shape));
  }
  return Serialization("Unexpected field type");
}

Result<const rapidjson::Value*> OptList(const rapidjson::Value& obj, std::string_view name) {
  const rapidjson::Value* v = Member(obj, name);
  if (!v || v->IsArray()) return v;
  if (v->IsObject()) return Serialization("Start of structure or map found where not expected");
  return Serialization("Unexpected field type");
}

Status CheckStringMember(const rapidjson::Value& obj, std::string_view member) {
  RETURN_IF_ERROR(OptString(obj, member));
  return Status::Ok();
}

Status CheckBoolMember(const rapidjson::Value& obj, std::string_view member) {
  RETURN_IF_ERROR(OptBool(obj, member));
  return Status::Ok();
}

Status CheckConditionMap(const rapidjson::Value& obj, std::string_view member,
                         const std::string& path, bool op_required, Constraints& c) {
  const rapidjson::Value* v = Member(obj, member);
  if (!v) return Status::Ok();
  if (v->IsArray()) {
    return Serialization(
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810." +
        std::string(member == "Expected" ? "ExpectedAttributeValue" : "Condition") + ">");
  }
  if (!v->IsObject()) return Serialization("Unexpected field type");
  for (auto& m : v->GetObject()) {
    if (m.value.IsNull()) continue;
    if (!m.value.IsObject()) return Serialization("Unexpected value type in payload");
    std::string p = path + "." + std::string(m.name.GetString(), m.name.GetStringLength()) +
                    ".member.comparisonOperator";
    ASSIGN_OR_RETURN(auto op, OptString(m.value, "ComparisonOperator"));
    if (!op && op_required) c.Null(p);
    CheckEnum(c, op, p,
              {"IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE",
               "BEGINS_WITH", "GE", "CONTAINS"},
              "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, "
              "CONTAINS]");
  }
  return Status::Ok();
}

Status CheckReturnConsumedCapacity(const rapidjson::Value& obj, Constraints& c) {
  return CheckEnumMember(obj, "ReturnConsumedCapacity", "returnConsumedCapacity",
                         {"INDEXES", "TOTAL", "NONE"}, kReturnConsumedCapacitySet, c);
}

Status CheckReturnValues(const rapidjson::Value& obj, Constraints& c) {
  return CheckEnumMember(obj, "ReturnValues", "returnValues",
                         {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"},
                         kReturnValuesSet, c);
}

Status CheckReturnItemCollectionMetrics(const rapidjson::Value& obj, Constraints& c) {
  return CheckEnumMember(obj, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics",
                         {"SIZE", "NONE"}, kReturnItemCollectionMetricsSet, c);
}

Status CheckConditionalOperator(const rapidjson::Value& obj, Constraints& c) {
  return CheckEnumMember(obj, "ConditionalOperator", "conditionalOperator", {"AND", "OR"},
                         kConditionalOperatorSet, c);
}

Status CheckReturnValuesOnConditionCheckFailure(const rapidjson::Value& obj,
                                                const std::string& path, Constraints& c) {
  return CheckEnumMember(obj, "ReturnValuesOnConditionCheckFailure", path, {"ALL_OLD", "NONE"},
                         kReturnValuesOnConditionCheckFailureSet, c);
}

}  // namespace ddb
