// POST /api/messages: every bad body gets a clear 4xx listing all of its
// problems (the reference kept only the last one, then crashed with a 500
// instead of answering 422, §3.4 / §10.5), an unknown receiver or
// conversation is a 404 (§10.7), nothing is written on any error, and a
// stored message is signalled (ApiOptions::message_stored).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "api_fixture.h"

namespace cruddur::api::testing {
namespace {

using Codes = std::vector<std::string>;

class CreateMessageTest : public ApiTest {
 protected:
  net::HttpResponse PostAs(const char* sub, std::string body) {
    return Serve(Post("/api/messages", std::move(body), TokenFor(sub)));
  }
  void ExpectErrors(const std::string& body, unsigned status, const Codes& codes) {
    net::HttpResponse res = PostAs(kAndrewSub, body);
    EXPECT_EQ(res.result_int(), status) << body << " -> " << res.body();
    EXPECT_EQ(Header(res, "Content-Type"), "application/json");
    EXPECT_EQ(Errors(res), codes) << body;
  }
  // No message was stored by anyone.
  void ExpectNothingWritten() {
    for (const char* sub : {kAndrewSub, kBaykoSub, kLondoSub}) {
      net::HttpResponse res = Serve(Get("/api/message_groups", TokenFor(sub)));
      EXPECT_EQ(res.body(), "[]");
    }
  }
};

TEST_F(CreateMessageTest, ListsEveryProblemAtOnce) {
  ExpectErrors(R"({"message":"","handle":""})", 422,
               {"message_blank", "user_receiver_handle_blank"});
  ExpectErrors(R"({})", 422, {"message_blank", "user_receiver_handle_blank"});
  ExpectErrors(R"({"message":null,"handle":null,"message_group_uuid":null})", 422,
               {"message_blank", "user_receiver_handle_blank"});
  ExpectErrors(R"({"message":" \t\r\n ","handle":"  "})", 422,
               {"message_blank", "user_receiver_handle_blank"});
  const std::string long_text(1025, 'x');
  ExpectErrors(R"({"message":")" + long_text + R"(","message_group_uuid":""})", 422,
               {"message_exceed_max_chars_1024", "message_group_uuid_blank"});
  ExpectErrors(R"({"message":"","message_group_uuid":" "})", 422,
               {"message_blank", "message_group_uuid_blank"});
  // Messaging yourself, alone and with the other problems.
  ExpectErrors(R"({"message":"hi me","handle":"andrewbrown"})", 422, {"message_self"});
  ExpectErrors(R"({"message":"","handle":"andrewbrown"})", 422, {"message_blank", "message_self"});
  ExpectErrors(R"({"message":")" + long_text + R"(","handle":"andrewbrown"})", 422,
               {"message_exceed_max_chars_1024", "message_self"});
  ExpectNothingWritten();
}

TEST_F(CreateMessageTest, CountsCodePointsNotBytes) {
  std::string e_acute;  // U+00E9, 2 bytes each
  for (int i = 0; i < 1024; ++i) e_acute += "\xC3\xA9";
  net::HttpResponse ok = PostAs(kAndrewSub, R"({"message":")" + e_acute + R"(","handle":"bayko"})");
  EXPECT_EQ(ok.result_int(), 200u) << ok.body();
  std::string emoji;  // U+1F600, 4 bytes (and a surrogate pair when escaped)
  for (int i = 0; i < 1024; ++i) emoji += "\\ud83d\\ude00";
  ok = PostAs(kAndrewSub, R"({"message":")" + emoji + R"(","handle":"bayko"})");
  EXPECT_EQ(ok.result_int(), 200u) << ok.body().substr(0, 200);
  ExpectErrors(R"({"message":")" + e_acute + "\xC3\xA9" + R"(","handle":"bayko"})", 422,
               {"message_exceed_max_chars_1024"});
}

TEST_F(CreateMessageTest, MalformedBodiesAre400) {
  for (std::string body :
       {"", "not json", "{", R"({"message":"hi",})", "[1,2]", R"("text")", "null", "42",
        R"({"message":"a"} trailing)", "{\"message\":\"\xFF\"}", "{\"message\":\"\xC3\"}"}) {
    ExpectErrors(body, 400, {"invalid_json"});
  }
  // Deep nesting is refused without recursion.
  ExpectErrors(std::string(100000, '[') + std::string(100000, ']'), 400, {"invalid_json"});
  ExpectErrors(R"({"message":5,"handle":true})", 400, {"message_not_string", "handle_not_string"});
  ExpectErrors(R"({"message":"hi","message_group_uuid":["x"]})", 400,
               {"message_group_uuid_not_string"});
  ExpectErrors(R"({"message":{"text":"hi"},"handle":"bayko"})", 400, {"message_not_string"});
  ExpectNothingWritten();
}

TEST_F(CreateMessageTest, ContentTypeMustBeJsonIfGiven) {
  net::HttpRequest req =
      Post("/api/messages", R"({"message":"hi","handle":"bayko"})", TokenFor(kAndrewSub));
  req.set(boost::beast::http::field::content_type, "text/plain");
  net::HttpResponse res = Serve(req);
  EXPECT_EQ(res.result_int(), 415u);
  EXPECT_EQ(Errors(res), Codes{"unsupported_media_type"});
  req.set(boost::beast::http::field::content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(Serve(req).result_int(), 415u);
  ExpectNothingWritten();

  req.set(boost::beast::http::field::content_type, "Application/JSON; charset=utf-8");
  EXPECT_EQ(Serve(req).result_int(), 200u);
  req.erase(boost::beast::http::field::content_type);
  EXPECT_EQ(Serve(req).result_int(), 200u);
}

TEST_F(CreateMessageTest, UnknownReceiverIs404AfterTheFieldChecks) {
  ExpectErrors(R"({"message":"hello?","handle":"nobody"})", 404, {"user_receiver_not_found"});
  ExpectErrors(R"({"message":"hello?","handle":"bad\nhandle"})", 404, {"user_receiver_not_found"});
  // The field problems come first: they need fixing whoever the receiver is.
  ExpectErrors(R"({"message":"","handle":"nobody"})", 422, {"message_blank"});
  ExpectNothingWritten();
}

TEST_F(CreateMessageTest, UnknownOrForeignConversationIs404) {
  const std::string group = Start(kBaykoSub, "londo", "private");
  for (std::string uuid : {"nope", "00000000-0000-4000-8000-000000000000", group.c_str()}) {
    ExpectErrors(R"({"message":"hi","message_group_uuid":")" + uuid + R"("})", 404,
                 {"message_group_not_found"});
  }
  net::HttpResponse res = Serve(Get("/api/message_groups", TokenFor(kAndrewSub)));
  EXPECT_EQ(res.body(), "[]");
}

TEST_F(CreateMessageTest, GroupUuidWinsOverHandle) {
  const std::string group = Start(kAndrewSub, "bayko", "first");
  // Both given: the message goes to the conversation with bayko, not to londo.
  rapidjson::Document sent =
      Send(kAndrewSub,
           R"({"message":"second","handle":"londo","message_group_uuid":")" + group + R"("})");
  EXPECT_EQ(std::string(sent["message_group_uuid"].GetString()), group);
  net::HttpResponse londo = Serve(Get("/api/message_groups", TokenFor(kLondoSub)));
  EXPECT_EQ(londo.body(), "[]");
  // A null message_group_uuid means create mode.
  rapidjson::Document third =
      Send(kAndrewSub, R"({"message":"third","handle":"bayko","message_group_uuid":null})");
  EXPECT_EQ(std::string(third["message_group_uuid"].GetString()), group);
  // Unknown members are ignored.
  rapidjson::Document fourth = Send(
      kAndrewSub, R"({"message":"fourth","handle":"bayko","user_receiver_handle":"londo","x":1})");
  EXPECT_EQ(std::string(fourth["message_group_uuid"].GetString()), group);
}

TEST_F(CreateMessageTest, TextIsStoredExactly) {
  const std::string text = "line one\nline \"two\" \\ <b>&amp;</b> \xE2\x9C\x93";
  rapidjson::Document sent =
      Send(kAndrewSub,
           R"({"message":"line one\nline \"two\" \\ <b>&amp;</b> \u2713","handle":"bayko"})");
  EXPECT_EQ(std::string(sent["message"].GetString()), text);
  const std::string group = sent["message_group_uuid"].GetString();
  net::HttpResponse res = Serve(Get("/api/messages/" + group, TokenFor(kBaykoSub)));
  rapidjson::Document list = ParseJson(res.body());
  ASSERT_EQ(list.Size(), 1u);
  EXPECT_EQ(std::string(list[0]["message"].GetString()), text);
}

// ApiOptions::message_stored (cruddur serve: wake the stream follower) is
// called once per stored message, in both modes, and never for a POST that
// stored nothing or for a read.
TEST_F(CreateMessageTest, StoredMessagesAreSignalledOthersAreNot) {
  std::atomic<int> stored{0};
  ApiOptions options;
  options.worker_threads = 1;
  options.message_stored = [&stored] { ++stored; };
  handler_ = std::make_unique<ApiHandler>(store_.get(), users_.get(), verifier_.get(), options);
  const std::string group = Start(kAndrewSub, "bayko", "first");  // a new conversation
  EXPECT_EQ(stored.load(), 1);
  Send(kBaykoSub, R"({"message":"a reply","message_group_uuid":")" + group + R"("})");
  EXPECT_EQ(stored.load(), 2);
  Start(kAndrewSub, "bayko", "by handle again");  // the existing conversation, reused
  EXPECT_EQ(stored.load(), 3);

  ExpectErrors(R"({"message":"","handle":"bayko"})", 422, {"message_blank"});
  ExpectErrors(R"({"message":"hi","handle":"nobody"})", 404, {"user_receiver_not_found"});
  ExpectErrors(R"({"message":"hi","message_group_uuid":"00000000-0000-4000-8000-000000000000"})",
               404, {"message_group_not_found"});
  EXPECT_EQ(Serve(Get("/api/messages/" + group, TokenFor(kAndrewSub))).result_int(), 200u);
  EXPECT_EQ(stored.load(), 3);
}

}  // namespace
}  // namespace cruddur::api::testing
