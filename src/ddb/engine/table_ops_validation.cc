// Shared request readers and validation rules of the table operations (see
// table_ops_internal.h).
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>

#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"
#include "ddb/engine/tag_text.h"

namespace ddb::ops::tables {
namespace {

std::string KeySchemaRepr(const std::vector<KeyElem>& key) {
  std::vector<std::string> parts;
  for (const auto& k : key) {
    parts.push_back("KeySchemaElement(attributeName=" + k.name.value_or("null") +
                    ", keyType=" + k.type.value_or("null") + ")");
  }
  return "'[" + Join(parts) + "]'";
}

// A tag key or value: only allowed characters, and at most `max_length`
// UTF-16 code units (tag_text.h).
bool ValidTagText(std::string_view s, size_t min_length, size_t max_length) {
  TagText t = ScanTagText(s);
  return t.allowed && t.utf16_length >= min_length && t.utf16_length <= max_length;
}

}  // namespace

// ---- Shape validation ------------------------------------------------------

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

// A structure inside a list. JSON null elements read as empty structures.
Status CheckElement(const Value& v, std::string_view shape) {
  if (v.IsObject() || v.IsNull()) return Status::Ok();
  if (v.IsArray()) {
    return Serialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810." +
                         std::string(shape));
  }
  return Serialization("Unexpected value type in payload");
}

Result<std::vector<KeyElem>> ParseKeySchema(const Value& obj, const std::string& path,
                                            Constraints& c, size_t max_elements) {
  std::vector<KeyElem> out;
  ASSIGN_OR_RETURN(const Value* list, OptList(obj, "KeySchema"));
  if (!list) {
    c.Null(path);
    return out;
  }
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const Value& e = (*list)[i];
    RETURN_IF_ERROR(CheckElement(e, "KeySchemaElement"));
    KeyElem k;
    ASSIGN_OR_RETURN(k.name, OptString(e, "AttributeName"));
    ASSIGN_OR_RETURN(k.type, OptString(e, "KeyType"));
    out.push_back(std::move(k));
  }
  if (out.empty()) c.Fail("'[]'", path, "Member must have length greater than or equal to 1");
  if (out.size() > max_elements)
    c.Fail(KeySchemaRepr(out), path,
           "Member must have length less than or equal to " + std::to_string(max_elements));
  for (size_t i = 0; i < out.size(); ++i) {
    std::string p = ElemPath(path, i);
    const auto& k = out[i];
    if (!k.name) {
      c.Null(p + ".attributeName");
    } else if (k.name->empty()) {
      c.Fail(Quote(*k.name), p + ".attributeName",
             "Member must have length greater than or equal to 1");
    } else if (k.name->size() > 255) {
      c.Fail(Quote(*k.name), p + ".attributeName",
             "Member must have length less than or equal to 255");
    }
    if (!k.type) c.Null(p + ".keyType");
    CheckEnum(c, k.type, p + ".keyType", {"HASH", "RANGE"}, "[HASH, RANGE]");
  }
  return out;
}

Result<std::optional<std::vector<KeyElem>>> ParseAttributeDefinitions(const Value& req,
                                                                      Constraints& c,
                                                                      bool required) {
  ASSIGN_OR_RETURN(const Value* list, OptList(req, "AttributeDefinitions"));
  if (!list) {
    if (required) c.Null("attributeDefinitions");
    return std::optional<std::vector<KeyElem>>();
  }
  std::vector<KeyElem> out;
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const Value& e = (*list)[i];
    RETURN_IF_ERROR(CheckElement(e, "AttributeDefinition"));
    KeyElem d;
    ASSIGN_OR_RETURN(d.name, OptString(e, "AttributeName"));
    ASSIGN_OR_RETURN(d.type, OptString(e, "AttributeType"));
    std::string p = ElemPath("attributeDefinitions", i);
    if (!d.type) c.Null(p + ".attributeType");
    CheckEnum(c, d.type, p + ".attributeType", {"S", "N", "B"}, "[B, N, S]");
    if (!d.name) c.Null(p + ".attributeName");
    out.push_back(std::move(d));
  }
  return std::optional<std::vector<KeyElem>>(std::move(out));
}

Result<ThroughputReq> ParseThroughput(const Value& obj, const std::string& path, Constraints& c) {
  ThroughputReq t;
  ASSIGN_OR_RETURN(const Value* pt,
                   OptStruct(obj, "ProvisionedThroughput", "ProvisionedThroughput"));
  if (!pt) return t;
  t.present = true;
  ASSIGN_OR_RETURN(t.write, OptInt(*pt, "WriteCapacityUnits"));
  ASSIGN_OR_RETURN(t.read, OptInt(*pt, "ReadCapacityUnits"));
  auto check = [&](const std::optional<int64_t>& v, const char* field) {
    if (!v) {
      c.Null(path + "." + field);
    } else if (*v < 1) {
      c.Fail(Quote(std::to_string(*v)), path + "." + field,
             "Member must have value greater than or equal to 1");
    }
  };
  check(t.write, "writeCapacityUnits");
  check(t.read, "readCapacityUnits");
  return t;
}

Result<StreamReq> ParseStream(const Value& req, Constraints& c) {
  StreamReq s;
  ASSIGN_OR_RETURN(const Value* spec, OptStruct(req, "StreamSpecification", "StreamSpecification"));
  if (!spec) return s;
  s.present = true;
  ASSIGN_OR_RETURN(s.enabled, OptBool(*spec, "StreamEnabled"));
  ASSIGN_OR_RETURN(s.view_type, OptString(*spec, "StreamViewType"));
  if (!s.enabled) c.Null("streamSpecification.streamEnabled");
  CheckEnum(c, s.view_type, "streamSpecification.streamViewType",
            {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"},
            "[OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]");
  return s;
}

Result<std::optional<std::vector<TagReq>>> ParseTags(const Value& req) {
  ASSIGN_OR_RETURN(const Value* list, OptList(req, "Tags"));
  if (!list) return std::optional<std::vector<TagReq>>();
  std::vector<TagReq> out;
  for (const auto& e : list->GetArray()) {
    RETURN_IF_ERROR(CheckElement(e, "Tag"));
    TagReq t;
    ASSIGN_OR_RETURN(t.key, OptString(e, "Key"));
    ASSIGN_OR_RETURN(t.value, OptString(e, "Value"));
    out.push_back(std::move(t));
  }
  return std::optional<std::vector<TagReq>>(std::move(out));
}

// ---- Semantic rules -----------------------------------------------------------

Status ValidateTags(const std::vector<TagReq>& tags) {
  std::set<std::string> seen;
  for (const auto& t : tags) {
    if (!t.key) return Validation("The Tag Key provided is invalid, Key: null");
    if (!t.value) return Validation("The Tag Value provided is invalid, Value: null");
    if (!ValidTagKey(*t.key)) {
      return Validation("The Tag Key provided is invalid, Key: " + *t.key);
    }
    if (!ValidTagText(*t.value, 0, 256)) {
      return Validation("The Tag Value provided is invalid, Value: " + *t.value);
    }
    if (t.key->rfind("aws:", 0) == 0) {
      return Validation("Tag Key cannot be prefixed with aws:, Key: " + *t.key);
    }
    if (!seen.insert(*t.key).second) {
      return Validation("Duplicate Tag Keys provided as input: Duplicate Tag Key found " + *t.key);
    }
  }
  return Status::Ok();
}

bool ValidTagKey(std::string_view key) { return ValidTagText(key, 1, 128); }

Status TooManyTags() {
  return Validation("Number of Tags exceed the current limit for the provided ResourceArn");
}

Status CheckCapacityBounds(const ThroughputReq& t) {
  if (t.read && *t.read > kMaxCapacityUnits) {
    return Validation("Given value " + std::to_string(*t.read) +
                      " for ReadCapacityUnits is out of bounds");
  }
  if (t.write && *t.write > kMaxCapacityUnits) {
    return Validation("Given value " + std::to_string(*t.write) +
                      " for WriteCapacityUnits is out of bounds");
  }
  return Status::Ok();
}

std::vector<std::string> Names(const std::vector<KeyElem>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.name.value_or(""));
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// DynamoDB's stream label: the enabling time, "YYYY-MM-DDTHH:MM:SS.mmm" (UTC).
std::string StreamLabel(double now) {
  auto secs = static_cast<std::time_t>(now);
  int ms = static_cast<int>((now - static_cast<double>(secs)) * 1000.0 + 0.5) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

Status CheckTableClass(const std::optional<std::string>& cls) {
  if (cls && *cls != "STANDARD" && *cls != "STANDARD_INFREQUENT_ACCESS") {
    return Validation(
        "Invalid table-class parameter provided. Please try again with a valid table-class value: "
        "[STANDARD, STANDARD_INFREQUENT_ACCESS].");
  }
  return Status::Ok();
}

Error TableNotFound(const std::string& name) {
  return ResourceNotFound("Requested resource not found: Table: " + name + " not found");
}

void WriteDescription(const char* key, const TableInfo& info, const TableStats& stats,
                      JsonWriter& out) {
  out.StartObject();
  out.Key(key);
  WriteTableDescription(info, stats, out);
  out.EndObject();
}

}  // namespace ddb::ops::tables
