// TagResource, UntagResource, ListTagsOfResource: a table's tags, addressed
// by the table's ARN.
#include <algorithm>
#include <cstdlib>
#include <unordered_set>

#include "ddb/engine/ops.h"
#include "ddb/engine/request_util.h"
#include "ddb/engine/table_ops_internal.h"
#include "ddb/format/catalog.h"

namespace ddb::ops {
namespace {

using namespace tables;  // NOLINT: the shared helpers of the table operations

constexpr size_t kTagsPageSize = 10;

// ---- Resource ARNs (tagging) -------------------------------------------------------

Result<std::string> RequireResourceArn(const Value& req) {
  ASSIGN_OR_RETURN(auto arn, OptString(req, "ResourceArn"));
  Constraints c;
  if (!arn) {
    c.Null("resourceArn");
  } else if (arn->empty()) {
    c.Fail("''", "resourceArn", "Member must have length greater than or equal to 1");
  } else if (arn->size() > 1283) {
    c.Fail(Quote(*arn), "resourceArn", "Member must have length less than or equal to 1283");
  }
  RETURN_IF_ERROR(c.ToStatus());
  return std::move(*arn);
}

// "ResourcArn" (sic): DynamoDB's own spelling, as dynalite's tests (checked
// against DynamoDB) and real error output quoted in public issues show.
Error ArnNotFound(const std::string& arn) {
  return ResourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found");
}

// Stores a table's changed tags; TagResource and UntagResource answer {}.
Status StoreTags(EngineContext& ctx, const TableInfo& info, const std::string& arn,
                 JsonWriter& out) {
  if (!ctx.catalog.Replace(info).ok()) return ArnNotFound(arn);
  out.StartObject();
  out.EndObject();
  return Status::Ok();
}

// A DynamoDB ARN of another region or account: IAM refuses it before
// DynamoDB looks for the resource (the rule: AccessDeniedException
// for another account's or region's table, ResourceNotFoundException for a
// missing one of this server's). The wording is IAM's usual implicit-deny
// form for a resource in another account ("User: <principal> is not
// authorized to perform: <action> on resource: <arn> because no
// resource-based policy allows the <action> action", IAM User Guide,
// access-denied error messages); dynalite's tests (checked against DynamoDB)
// show the same "User: arn:aws:iam::<account>:... is not authorized to
// perform: dynamodb:ListTagsOfResource on resource: <arn>" head for ARNs it
// refused. The engine does not know the caller, so the principal is the
// server account's root: a guess.
Error ForeignArn(const EngineContext& ctx, std::string_view operation, const std::string& arn) {
  const std::string action = "dynamodb:" + std::string(operation);
  return Error(ErrorCode::kAccessDenied,
               "User: arn:aws:iam::" + ctx.options.account +
                   ":root is not authorized to perform: " + action + " on resource: " + arn +
                   " because no resource-based policy allows the " + action + " action");
}

// The table an ARN names. Index ARNs are refused, as by DynamoDB; an ARN of
// another region or account is refused (ForeignArn).
Result<TablePtr> ResolveArn(EngineContext& ctx, std::string_view operation,
                            const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0) {
    return Validation(std::string(kInvalid) + "ARNs must start with 'arn:': " + arn);
  }
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string::npos) break;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts.size() != 5 || parts[2] != "dynamodb") {
    return Validation(std::string(kInvalid) +
                      "Provided Arn is not a DynamoDB resource arn: " + arn);
  }
  if (parts[3] != ctx.options.region || parts[4] != ctx.options.account) {
    return ForeignArn(ctx, operation, arn);
  }
  std::string resource = arn.substr(start);
  if (resource.rfind("table/", 0) != 0) return ArnNotFound(arn);
  std::string rest = resource.substr(6);
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    if (rest.compare(slash, 7, "/index/") == 0) {
      return Validation(std::string(kInvalid) +
                        "Invalid resource arn provided, only table or stream is accepted. Provided "
                        "resource arn: " +
                        arn);
    }
    return ArnNotFound(arn);  // stream ARNs: streams carry no tags of their own here
  }
  // A CREATING table's ARN is not found, for reads and changes alike: DynamoDB
  // answered ListTagsOfResource on a table just created with "Requested
  // resource not found: ResourcArn: <arn> not found", and tagging a table
  // still being created fails the same way (cloud-custodian issues 3177,
  // 3361, 3514).
  TablePtr t = ctx.catalog.Find(rest);
  if (!t || t->info.Arn() != arn || !IsServing(t->info.status)) return ArnNotFound(arn);
  return t;
}

}  // namespace

// ---- Tags ----------------------------------------------------------------------------

Status TagResource(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(std::string arn, RequireResourceArn(req));
  ASSIGN_OR_RETURN(auto tags, ParseTags(req));
  if (!tags) {
    return Validation(
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member "
        "must not be null");
  }
  if (tags->empty()) return Validation("Atleast one Tag needs to be provided as Input.");
  RETURN_IF_ERROR(ValidateTags(*tags));
  // The keys are distinct (ValidateTags): more than the limit can never fit,
  // whatever the table has. Refused before the schema lock is taken.
  if (tags->size() > kMaxTags) return TooManyTags();
  std::lock_guard lock(SchemaMutex());
  ASSIGN_OR_RETURN(TablePtr table, ResolveArn(ctx, "TagResource", arn));
  TableInfo info = table->info;
  for (const auto& t : *tags) {
    auto it = std::find_if(info.tags.begin(), info.tags.end(),
                           [&](const auto& kv) { return kv.first == *t.key; });
    if (it != info.tags.end()) {
      it->second = *t.value;
    } else {
      info.tags.emplace_back(*t.key, *t.value);
    }
  }
  if (info.tags.size() > kMaxTags) return TooManyTags();
  return StoreTags(ctx, info, arn, out);
}

Status UntagResource(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(std::string arn, RequireResourceArn(req));
  ASSIGN_OR_RETURN(const Value* keys_json, OptList(req, "TagKeys"));
  if (!keys_json) {
    return Validation(
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: "
        "Member must not be null");
  }
  std::vector<std::string> keys;
  for (const auto& k : keys_json->GetArray()) {
    if (!k.IsString()) return Serialization("Unexpected value type in payload");
    keys.emplace_back(k.GetString(), k.GetStringLength());
  }
  if (keys.empty()) return Validation("Atleast one Tag Key needs to be provided as Input.");
  for (const auto& k : keys) {
    if (!ValidTagKey(k)) {
      return Validation("The Tag Key provided is invalid, Key: " + k);
    }
  }
  const std::unordered_set<std::string> remove(keys.begin(), keys.end());
  std::lock_guard lock(SchemaMutex());
  ASSIGN_OR_RETURN(TablePtr table, ResolveArn(ctx, "UntagResource", arn));
  TableInfo info = table->info;
  std::erase_if(info.tags, [&](const auto& kv) { return remove.count(kv.first) > 0; });
  return StoreTags(ctx, info, arn, out);
}

Status ListTagsOfResource(EngineContext& ctx, const Request& req, JsonWriter& out) {
  ASSIGN_OR_RETURN(std::string arn, RequireResourceArn(req));
  ASSIGN_OR_RETURN(auto token, OptString(req, "NextToken"));
  ASSIGN_OR_RETURN(TablePtr table, ResolveArn(ctx, "ListTagsOfResource", arn));
  const auto& tags = table->info.tags;
  // NextToken is the position of the next tag, as decimal text.
  size_t start = 0;
  if (token) {
    char* end = nullptr;
    unsigned long long pos = std::strtoull(token->c_str(), &end, 10);
    if (token->empty() || *end != '\0' || pos > tags.size()) {
      return Validation("Invalid NextToken: " + *token);
    }
    start = static_cast<size_t>(pos);
  }
  size_t stop = std::min(tags.size(), start + kTagsPageSize);
  out.StartObject();
  out.Key("Tags");
  out.StartArray();
  for (size_t i = start; i < stop; ++i) {
    out.StartObject();
    out.Key("Key");
    out.String(tags[i].first);
    out.Key("Value");
    out.String(tags[i].second);
    out.EndObject();
  }
  out.EndArray();
  if (stop < tags.size()) {
    out.Key("NextToken");
    out.String(std::to_string(stop));
  }
  out.EndObject();
  return Status::Ok();
}

}  // namespace ddb::ops
