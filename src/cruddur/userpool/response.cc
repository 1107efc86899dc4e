#include "cruddur/userpool/response.h"

namespace cruddur::userpool {
namespace {

rapidjson::SizeType Size(std::string_view s) { return static_cast<rapidjson::SizeType>(s.size()); }

}  // namespace

ResponseWriter::ResponseWriter() : w_(buf_) { w_.StartObject(); }

void ResponseWriter::Key(std::string_view key) { w_.Key(key.data(), Size(key)); }

void ResponseWriter::String(std::string_view value) { w_.String(value.data(), Size(value)); }

void ResponseWriter::Member(std::string_view key, std::string_view value) {
  Key(key);
  String(value);
}

void ResponseWriter::BoolMember(std::string_view key, bool value) {
  Key(key);
  w_.Bool(value);
}

void ResponseWriter::IntMember(std::string_view key, int64_t value) {
  Key(key);
  w_.Int64(value);
}

void ResponseWriter::StartObject(std::string_view key) {
  Key(key);
  w_.StartObject();
}

void ResponseWriter::StartObject() { w_.StartObject(); }

void ResponseWriter::EndObject() { w_.EndObject(); }

void ResponseWriter::StartArray(std::string_view key) {
  Key(key);
  w_.StartArray();
}

void ResponseWriter::EndArray() { w_.EndArray(); }

void ResponseWriter::Attributes(std::string_view key, const AttributeList& attributes,
                                const std::vector<std::string>* only) {
  StartArray(key);
  for (const auto& [name, value] : attributes) {
    if (only) {
      bool wanted = false;
      for (const auto& o : *only) wanted |= o == name;
      if (!wanted) continue;
    }
    w_.StartObject();
    Member("Name", name);
    Member("Value", value);
    w_.EndObject();
  }
  EndArray();
}

void ResponseWriter::UserFields(const PoolUser& user, std::string_view attributes_key,
                                const std::vector<std::string>* only) {
  Member("Username", user.username);
  Attributes(attributes_key, user.attributes, only);
  Key("UserCreateDate");
  w_.Double(user.created);
  Key("UserLastModifiedDate");
  w_.Double(user.modified);
  BoolMember("Enabled", user.enabled);
  Member("UserStatus", user.status);
}

void ResponseWriter::CodeDeliveryFields(std::string_view email) {
  Member("Destination", MaskEmail(email));
  Member("DeliveryMedium", "EMAIL");
  Member("AttributeName", "email");
}

void ResponseWriter::CodeDeliveryDetails(std::string_view email) {
  StartObject("CodeDeliveryDetails");
  CodeDeliveryFields(email);
  EndObject();
}

void ResponseWriter::CodeDeliveryDetailsList(std::string_view email) {
  StartArray("CodeDeliveryDetailsList");
  StartObject();
  CodeDeliveryFields(email);
  EndObject();
  EndArray();
}

std::string ResponseWriter::Finish() {
  w_.EndObject();
  return std::string(buf_.GetString(), buf_.GetSize());
}

}  // namespace cruddur::userpool
