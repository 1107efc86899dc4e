#include "aws/error_response.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string>

#include "aws/client_error.h"

namespace aws {
namespace {

bool OneOf(std::string_view s, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// The code of an error named `name` that `decode` does not know, by the
// SDKs' standard retry mode's lists of throttling and transient names.
ClientErrorCode UndecodedCode(std::string_view name, int http_status) {
  if (name == "UnknownOperationException") return ClientErrorCode::kUnknownOperation;
  if (OneOf(name,
            {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
             "TooManyRequestsException", "ProvisionedThroughputExceededException",
             "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
             "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException"})) {
    return ClientErrorCode::kThrottled;
  }
  if (OneOf(name, {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
                   "InternalServerError", "ServiceUnavailable"}) ||
      http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return ClientErrorCode::kServerError;
  }
  return ClientErrorCode::kServiceError;
}

std::string WithName(const std::string& name, std::string message) {
  return message.empty() ? name : name + ": " + message;
}

}  // namespace

base::Error ParseErrorResponse(int http_status, std::span<const Header> headers,
                               std::string_view body, ErrorDecoder decode) {
  base::Error e;
  std::string type;
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  bool is_object = !doc.HasParseError() && doc.IsObject();

  std::string full_type;
  if (is_object && doc.HasMember("__type") && doc["__type"].IsString()) {
    full_type = doc["__type"].GetString();
  }
  if (!full_type.empty()) {
    size_t hash = full_type.rfind('#');
    type = hash == std::string::npos ? full_type : full_type.substr(hash + 1);
  } else if (auto header = FindHeader(headers, "x-amzn-ErrorType"); header && !header->empty()) {
    type = std::string(header->substr(0, header->find(':')));
  } else {
    type = std::to_string(http_status);
  }
  if (decode != nullptr) e.code = decode(type);
  const bool named = !e.code;  // undecoded: the message keeps the name
  if (named) e.code = UndecodedCode(type, http_status);

  if (!is_object) {
    e.message = std::string(body.substr(0, 200));
    if (named) e.message = WithName(type, std::move(e.message));
    return e;
  }
  rapidjson::StringBuffer extra;
  bool first = true;
  bool have_message = false;
  for (auto& m : doc.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "__type") continue;
    if (!have_message && (name == "message" || name == "Message" || name == "errorMessage") &&
        m.value.IsString()) {
      e.message.assign(m.value.GetString(), m.value.GetStringLength());
      have_message = true;
      continue;
    }
    if (!first) extra.Put(',');
    first = false;
    // A one-member writer per member keeps the output free of braces.
    rapidjson::StringBuffer member;
    rapidjson::Writer<rapidjson::StringBuffer> mw(member);
    mw.StartObject();
    mw.Key(m.name.GetString(), m.name.GetStringLength());
    m.value.Accept(mw);
    mw.EndObject();
    std::string_view text(member.GetString(), member.GetSize());
    text.remove_prefix(1);
    text.remove_suffix(1);
    for (char c : text) extra.Put(c);
  }
  e.extra_json.assign(extra.GetString(), extra.GetSize());
  if (named) e.message = WithName(type, std::move(e.message));
  return e;
}

}  // namespace aws
