#include "ddb/protocol/dynamodb_json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base/bounded_json.h"
#include "ddb/protocol/wire_error.h"

namespace ddb::protocol {
namespace {

// Default flags plus UTF-8 validation (DynamoDB rejects invalid UTF-8);
// ParseBoundedJson parses iteratively.
constexpr unsigned kParseFlags =
    rapidjson::kParseDefaultFlags | rapidjson::kParseValidateEncodingFlag;

// What DynamoDB says when the top-level value is not a structure.
const char* NotAnObjectMessage(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kArrayType:
      return "Start of list found where not expected";
    case rapidjson::kStringType:
      return "STRING_VALUE can not be converted to a Structure";
    case rapidjson::kNumberType:
      return v.IsDouble() ? "DECIMAL_VALUE can not be converted to a Structure"
                          : "NUMBER_VALUE can not be converted to a Structure";
    case rapidjson::kTrueType:
      return "TRUE_VALUE can not be converted to a Structure";
    case rapidjson::kFalseType:
      return "FALSE_VALUE can not be converted to a Structure";
    default:
      return "NULL_VALUE can not be converted to a Structure";
  }
}

// One response buffer and writer per thread, reused: no allocation per
// request once warm.
struct OutputBuffer {
  rapidjson::StringBuffer buffer;
  JsonWriter writer{buffer};
};

}  // namespace

Result<std::string_view> ParseTarget(std::string_view target) {
  if (target.size() > kTargetPrefix.size() &&
      target.substr(0, kTargetPrefix.size()) == kTargetPrefix) {
    std::string_view op = target.substr(kTargetPrefix.size());
    if (Engine::Supports(op)) return op;
  }
  return Error(ErrorCode::kUnknownOperation, "");
}

Result<Target> ParseServiceTarget(std::string_view target) {
  if (target.size() > kStreamsTargetPrefix.size() &&
      target.substr(0, kStreamsTargetPrefix.size()) == kStreamsTargetPrefix) {
    std::string_view op = target.substr(kStreamsTargetPrefix.size());
    if (Engine::SupportsStreams(op)) return Target{Service::kStreams, op};
    return Error(ErrorCode::kUnknownOperation, "");
  }
  ASSIGN_OR_RETURN(std::string_view op, ParseTarget(target));
  return Target{Service::kDynamoDB, op};
}

Status ParseRequestBody(const std::string& body, RequestDocument* doc,
                        rapidjson::MemoryPoolAllocator<>* stack_allocator) {
  base::JsonParseOutcome parsed =
      base::ParseBoundedJson<kParseFlags>(doc, body, kMaxRequestJsonDepth, stack_allocator);
  if (parsed.too_deep) {
    // The same answer DynamoDB gives an item nested past 32 levels, which is
    // what a request this deep almost always is (json_codec.h).
    return Validation(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
        "beyond supported limit");
  }
  if (!parsed.ok()) {
    if (parsed.error == rapidjson::kParseErrorDocumentEmpty) {
      return Serialization("Start of structure or map expected, but the request body is empty");
    }
    std::string msg = "Malformed JSON request body at offset ";
    msg += std::to_string(parsed.offset);
    msg += ": ";
    msg += rapidjson::GetParseError_En(parsed.error);
    return Serialization(std::move(msg));
  }
  if (!doc->IsObject()) return Serialization(NotAnObjectMessage(*doc));
  return Status::Ok();
}

void WriteErrorBody(const Error& error, std::string* out) {
  thread_local OutputBuffer ob;
  ob.buffer.Clear();
  ob.writer.Reset(ob.buffer);
  ob.writer.StartObject();
  ob.writer.Key("__type");
  const std::string type = WireType(error);
  ob.writer.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
  if (!error.message.empty()) {
    ob.writer.Key(error.code == ErrorCode::kSerialization ? "Message" : "message");
    ob.writer.String(error.message.data(), static_cast<rapidjson::SizeType>(error.message.size()));
  }
  ob.writer.EndObject();
  out->assign(ob.buffer.GetString(), ob.buffer.GetSize());
  if (!error.extra_json.empty()) {
    out->pop_back();  // the closing brace
    out->push_back(',');
    out->append(error.extra_json);
    out->push_back('}');
  }
}

void Execute(Engine& engine, std::string_view operation, const rapidjson::Value& request,
             Reply* reply) {
  Execute(engine, Service::kDynamoDB, operation, request, reply);
}

void Execute(Engine& engine, Service service, std::string_view operation,
             const rapidjson::Value& request, Reply* reply) {
  thread_local OutputBuffer ob;
  ob.buffer.Clear();
  ob.writer.Reset(ob.buffer);
  Status st = service == Service::kStreams ? engine.ExecuteStreams(operation, request, ob.writer)
                                           : engine.Execute(operation, request, ob.writer);
  if (st.ok()) {
    reply->status = 200;
    reply->body.assign(ob.buffer.GetString(), ob.buffer.GetSize());
    return;
  }
  reply->status = WireStatus(st.error());
  WriteErrorBody(st.error(), &reply->body);
}

void Handle(Engine& engine, std::string_view target, std::string_view body, Reply* reply) {
  RequestDocument doc;
  // A NUL-terminated copy (one memcpy) lets plain ASCII take the faster
  // parse of ParseRequestBody's std::string form.
  Status parsed = ParseRequestBody(std::string(body), &doc);
  if (!parsed.ok()) {
    reply->status = WireStatus(parsed.error());
    return WriteErrorBody(parsed.error(), &reply->body);
  }
  auto op = ParseServiceTarget(target);
  if (!op.ok()) {
    reply->status = WireStatus(op.error());
    return WriteErrorBody(op.error(), &reply->body);
  }
  Execute(engine, op->service, op->operation, doc, reply);
}

}  // namespace ddb::protocol
