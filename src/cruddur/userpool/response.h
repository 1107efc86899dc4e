// ResponseWriter: builds an operation's JSON output, with the shapes the
// operations share (AttributeListType, UserType's members).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cruddur/userpool/attributes.h"
#include "cruddur/userpool/pool_types.h"

namespace cruddur::userpool {

class ResponseWriter {
 public:
  // Starts the top-level object.
  ResponseWriter();

  void Key(std::string_view key);
  void String(std::string_view value);
  void Member(std::string_view key, std::string_view value);
  void BoolMember(std::string_view key, bool value);
  void IntMember(std::string_view key, int64_t value);
  void StartObject(std::string_view key);
  void EndObject();
  void StartArray(std::string_view key);
  void StartObject();  // an item of an array
  void EndArray();

  // `key`: [{"Name": .., "Value": ..}, ...]; only the names in `only` when it
  // is not null.
  void Attributes(std::string_view key, const AttributeList& attributes,
                  const std::vector<std::string>* only = nullptr);

  // UserType's members (inside the current object): Username, <attributes_key>,
  // UserCreateDate, UserLastModifiedDate (epoch seconds), Enabled, UserStatus.
  void UserFields(const PoolUser& user, std::string_view attributes_key,
                  const std::vector<std::string>* only = nullptr);

  // "CodeDeliveryDetails": a code "e-mailed" to `email` (masked), as SignUp,
  // ResendConfirmationCode and ForgotPassword answer.
  void CodeDeliveryDetails(std::string_view email);
  // "CodeDeliveryDetailsList": [that object], as UpdateUserAttributes
  // answers for a changed e-mail.
  void CodeDeliveryDetailsList(std::string_view email);

  // Ends the top-level object and returns the JSON text.
  std::string Finish();

 private:
  // Destination, DeliveryMedium, AttributeName of a code e-mailed to `email`.
  void CodeDeliveryFields(std::string_view email);

  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

}  // namespace cruddur::userpool
