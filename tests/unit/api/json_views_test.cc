// The API's JSON bodies, byte for byte: shapes, order of fields, escapes.
#include "cruddur/api/json_views.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace cruddur::api {
namespace {

messaging::Message Sample(std::string text) {
  return {"m-1",
          {"u-1", "Andrew \"Andy\" Brown", "andrewbrown"},
          std::move(text),
          "2023-03-20T22:30:15.123456+00:00",
          "2023-03-20T22:30:15.123456+00:00"};
}

TEST(JsonViews, MessagesAndConversations) {
  EXPECT_EQ(MessagesJson({}), "[]");
  EXPECT_EQ(MessagesJson({Sample("hi\nthere\\ caf\xc3\xa9"), Sample("\x01")}),
            R"([{"uuid":"m-1","display_name":"Andrew \"Andy\" Brown","handle":"andrewbrown",)"
            R"("message":"hi\nthere\\ caf)"
            "\xc3\xa9"
            R"(","created_at":"2023-03-20T22:30:15.123456+00:00"},)"
            R"({"uuid":"m-1","display_name":"Andrew \"Andy\" Brown","handle":"andrewbrown",)"
            R"("message":"\u0001","created_at":"2023-03-20T22:30:15.123456+00:00"}])");
  messaging::Conversation c{
      "g-1", {"u-2", "Bayko", "bayko"}, "last", "2023-03-21T00:00:00+00:00", "sk"};
  EXPECT_EQ(ConversationsJson({c}),
            R"([{"uuid":"g-1","display_name":"Bayko","handle":"bayko","message":"last",)"
            R"("created_at":"2023-03-21T00:00:00+00:00"}])");
}

TEST(JsonViews, SentUserShortAndErrors) {
  messaging::SentMessage sent;
  sent.message = Sample("x");
  sent.message_group_uuid = "g-1";
  EXPECT_EQ(SentMessageJson(sent),
            R"({"uuid":"m-1","display_name":"Andrew \"Andy\" Brown","handle":"andrewbrown",)"
            R"("message":"x","created_at":"2023-03-20T22:30:15.123456+00:00",)"
            R"("message_group_uuid":"g-1"})");
  users::User user;
  user.uuid = "u-2";
  user.handle = "bayko";
  user.display_name = "Bayko";
  EXPECT_EQ(UserShortJson(user, std::nullopt),
            R"({"uuid":"u-2","handle":"bayko","display_name":"Bayko","message_group_uuid":null})");
  EXPECT_EQ(UserShortJson(user, "g-1"),
            R"({"uuid":"u-2","handle":"bayko","display_name":"Bayko","message_group_uuid":"g-1"})");
  const std::vector<std::string_view> codes = {"message_blank", "a\"b"};
  EXPECT_EQ(ErrorsJson(codes), R"({"errors":["message_blank","a\"b"]})");
  EXPECT_EQ(ErrorsJson({}), R"({"errors":[]})");
}

}  // namespace
}  // namespace cruddur::api
