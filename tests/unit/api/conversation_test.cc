// The messaging routes end to end on the real stack: a conversation between
// two users as both see it, what a third user sees, the reuse of a
// conversation, the JSON shapes (reference bugs §10.4 and §10.6 fixed), and
// paging through X-Next-Cursor.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "api_fixture.h"
#include "base/uuid.h"
#include "cruddur/messaging/message_store.h"

namespace cruddur::api::testing {
namespace {

// True if `s` is "YYYY-MM-DDTHH:MM:SS.ffffff+00:00".
bool IsFixedTimestamp(std::string_view s) {
  constexpr std::string_view kShape = "####-##-##T##:##:##.######+00:00";
  if (s.size() != kShape.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool digit = s[i] >= '0' && s[i] <= '9';
    if (kShape[i] == '#' ? !digit : s[i] != kShape[i]) return false;
  }
  return true;
}

std::string S(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject() || !v.HasMember(name) || !v[name].IsString()) return "<missing>";
  return v[name].GetString();
}

class ConversationTest : public ApiTest {
 protected:
  // GETs `target` as `sub`; expects 200 and a JSON array.
  rapidjson::Document List(const std::string& target, const char* sub,
                           std::string* next_cursor = nullptr) {
    net::HttpResponse res = Serve(Get(target, TokenFor(sub)));
    EXPECT_EQ(res.result_int(), 200u) << target << ": " << res.body();
    EXPECT_EQ(Header(res, "Content-Type"), "application/json");
    if (next_cursor) *next_cursor = Header(res, "X-Next-Cursor");
    rapidjson::Document doc = ParseJson(res.body());
    EXPECT_TRUE(doc.IsArray()) << res.body();
    return doc;
  }
};

TEST_F(ConversationTest, TwoUsersTalkAndAThirdSeesNothing) {
  // A starts a conversation with B.
  rapidjson::Document first = Send(kAndrewSub, R"({"message":"Hello Bayko","handle":"bayko"})");
  ASSERT_TRUE(first.IsObject());
  const std::string group = S(first, "message_group_uuid");
  EXPECT_TRUE(base::IsUuid(group));
  EXPECT_TRUE(base::IsUuid(S(first, "uuid")));
  EXPECT_NE(S(first, "uuid"), kAndrewUuid);  // the message's uuid, not the sender's (§10.4)
  EXPECT_NE(S(first, "uuid"), group);
  EXPECT_EQ(S(first, "display_name"), "Andrew Brown");
  EXPECT_EQ(S(first, "handle"), "andrewbrown");
  EXPECT_EQ(S(first, "message"), "Hello Bayko");
  EXPECT_TRUE(IsFixedTimestamp(S(first, "created_at"))) << S(first, "created_at");
  EXPECT_EQ(first.MemberCount(), 6u);

  // B replies in it.
  rapidjson::Document reply =
      Send(kBaykoSub, R"({"message":"Hi Andrew","message_group_uuid":")" + group + R"("})");
  EXPECT_EQ(S(reply, "message_group_uuid"), group);
  EXPECT_EQ(S(reply, "handle"), "bayko");
  EXPECT_EQ(S(reply, "display_name"), "Andrew Bayko");
  EXPECT_NE(S(reply, "uuid"), S(first, "uuid"));
  EXPECT_GT(S(reply, "created_at"), S(first, "created_at"));

  // Both inboxes show the conversation with its newest message, under the
  // other participant's name.
  rapidjson::Document andrew_inbox = List("/api/message_groups", kAndrewSub);
  ASSERT_EQ(andrew_inbox.Size(), 1u);
  EXPECT_EQ(S(andrew_inbox[0], "uuid"), group);
  EXPECT_EQ(S(andrew_inbox[0], "handle"), "bayko");
  EXPECT_EQ(S(andrew_inbox[0], "display_name"), "Andrew Bayko");
  EXPECT_EQ(S(andrew_inbox[0], "message"), "Hi Andrew");
  EXPECT_EQ(S(andrew_inbox[0], "created_at"), S(reply, "created_at"));
  EXPECT_EQ(andrew_inbox[0].MemberCount(), 5u);

  rapidjson::Document bayko_inbox = List("/api/message_groups", kBaykoSub);
  ASSERT_EQ(bayko_inbox.Size(), 1u);
  EXPECT_EQ(S(bayko_inbox[0], "uuid"), group);
  EXPECT_EQ(S(bayko_inbox[0], "handle"), "andrewbrown");
  EXPECT_EQ(S(bayko_inbox[0], "message"), "Hi Andrew");

  // Both read the conversation oldest first, each message with its own uuid.
  for (const char* sub : {kAndrewSub, kBaykoSub}) {
    std::string cursor = "unset";
    rapidjson::Document messages = List("/api/messages/" + group, sub, &cursor);
    ASSERT_EQ(messages.Size(), 2u);
    EXPECT_EQ(cursor, "");  // one page
    EXPECT_EQ(S(messages[0], "uuid"), S(first, "uuid"));
    EXPECT_EQ(S(messages[0], "handle"), "andrewbrown");
    EXPECT_EQ(S(messages[0], "message"), "Hello Bayko");
    EXPECT_EQ(S(messages[0], "created_at"), S(first, "created_at"));
    EXPECT_EQ(S(messages[1], "uuid"), S(reply, "uuid"));
    EXPECT_EQ(S(messages[1], "handle"), "bayko");
    EXPECT_EQ(S(messages[1], "display_name"), "Andrew Bayko");
    EXPECT_EQ(messages[1].MemberCount(), 5u);
  }

  // A third user can neither read nor write it, and learns no more than
  // from a conversation that does not exist (§10.6).
  net::HttpResponse read = Serve(Get("/api/messages/" + group, TokenFor(kLondoSub)));
  EXPECT_EQ(read.result_int(), 404u);
  EXPECT_EQ(Errors(read), std::vector<std::string>{"message_group_not_found"});
  net::HttpResponse unknown =
      Serve(Get("/api/messages/00000000-0000-4000-8000-000000000000", TokenFor(kLondoSub)));
  EXPECT_EQ(unknown.result_int(), 404u);
  EXPECT_EQ(unknown.body(), read.body());
  net::HttpResponse write = Serve(
      Post("/api/messages", R"({"message":"let me in","message_group_uuid":")" + group + R"("})",
           TokenFor(kLondoSub)));
  EXPECT_EQ(write.result_int(), 404u);
  EXPECT_EQ(write.body(), read.body());
  EXPECT_EQ(List("/api/message_groups", kLondoSub).Size(), 0u);
  EXPECT_EQ(List("/api/messages/" + group, kAndrewSub).Size(), 2u);  // nothing was added
}

TEST_F(ConversationTest, MalformedGroupUuidsAreNotFound) {
  for (std::string bad : {"nope", "5f101db6-e718-4f12-9df8-1a953569f43", "%00", "..",
                          "5f101db6-e718-4f12-9df8-1a953569f43dX"}) {
    net::HttpResponse res = Serve(Get("/api/messages/" + bad, TokenFor(kAndrewSub)));
    EXPECT_EQ(res.result_int(), 404u) << bad;
    EXPECT_EQ(Errors(res), std::vector<std::string>{"message_group_not_found"}) << bad;
  }
}

TEST_F(ConversationTest, StartingAgainReusesTheConversation) {
  const std::string group = Start(kAndrewSub, "bayko", "one");
  EXPECT_EQ(Start(kAndrewSub, "bayko", "two"), group);
  EXPECT_EQ(Start(kBaykoSub, "andrewbrown", "three"), group);  // from either side
  const std::string other = Start(kAndrewSub, "londo", "hi londo");
  EXPECT_NE(other, group);

  rapidjson::Document inbox = List("/api/message_groups", kAndrewSub);
  ASSERT_EQ(inbox.Size(), 2u);
  EXPECT_EQ(S(inbox[0], "uuid"), other);  // newest first
  EXPECT_EQ(S(inbox[1], "uuid"), group);
  EXPECT_EQ(S(inbox[1], "message"), "three");
  EXPECT_EQ(List("/api/messages/" + group, kBaykoSub).Size(), 3u);
}

TEST_F(ConversationTest, AnUnlinkedUserCanBeWrittenTo) {
  // altbrown has no Cognito id yet but is in the directory.
  const std::string group = Start(kAndrewSub, "altbrown", "are you there?");
  ASSERT_TRUE(base::IsUuid(group));
  rapidjson::Document inbox = List("/api/message_groups", kAndrewSub);
  ASSERT_EQ(inbox.Size(), 1u);
  EXPECT_EQ(S(inbox[0], "display_name"), "Alt Brown");
}

TEST_F(ConversationTest, EmptyInboxIsAnEmptyArray) {
  net::HttpResponse res = Serve(Get("/api/message_groups", TokenFor(kLondoSub)));
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "[]");
  EXPECT_FALSE(HasHeader(res, "X-Next-Cursor"));
}

TEST_F(ConversationTest, MessagesPageBackwardsThroughFiftyFive) {
  const std::string group = Start(kAndrewSub, "bayko", "m0");
  std::vector<std::string> sent = {"m0"};
  for (int i = 1; i < 55; ++i) {
    const char* sub = i % 2 ? kBaykoSub : kAndrewSub;
    const std::string text = "m" + std::to_string(i);
    Send(sub, R"({"message":")" + text + R"(","message_group_uuid":")" + group + R"("})");
    sent.push_back(text);
  }

  // Default pages of 20, newest page first, each oldest to newest.
  std::vector<std::string> all;
  std::vector<size_t> sizes;
  std::set<std::string> uuids;
  std::string cursor;
  do {
    std::string target = "/api/messages/" + group;
    if (!cursor.empty()) target += "?cursor=" + cursor;
    rapidjson::Document page = List(target, kAndrewSub, &cursor);
    sizes.push_back(page.Size());
    std::vector<std::string> texts;
    for (const auto& m : page.GetArray()) {
      texts.push_back(S(m, "message"));
      uuids.insert(S(m, "uuid"));
    }
    all.insert(all.begin(), texts.begin(), texts.end());
    ASSERT_LT(sizes.size(), 10u) << "cursor never ran out";
  } while (!cursor.empty());
  EXPECT_EQ(sizes, (std::vector<size_t>{20, 20, 15}));
  EXPECT_EQ(all, sent);
  EXPECT_EQ(uuids.size(), 55u);

  // limit= and the cursor together; another user's view pages the same way.
  std::string next;
  rapidjson::Document page = List("/api/messages/" + group + "?limit=7", kBaykoSub, &next);
  ASSERT_EQ(page.Size(), 7u);
  EXPECT_EQ(S(page[6], "message"), "m54");
  EXPECT_EQ(S(page[0], "message"), "m48");
  ASSERT_FALSE(next.empty());
  page = List("/api/messages/" + group + "?cursor=" + next + "&limit=100", kBaykoSub, &next);
  EXPECT_EQ(page.Size(), 48u);
  EXPECT_EQ(next, "");
  EXPECT_EQ(S(page[47], "message"), "m47");

  // The inbox shows the last message.
  rapidjson::Document inbox = List("/api/message_groups", kBaykoSub);
  ASSERT_EQ(inbox.Size(), 1u);
  EXPECT_EQ(S(inbox[0], "message"), "m54");
}

TEST_F(ConversationTest, ConversationsPage) {
  Start(kAndrewSub, "bayko", "to bayko");
  Start(kAndrewSub, "londo", "to londo");
  Start(kAndrewSub, "altbrown", "to altbrown");
  std::string cursor;
  rapidjson::Document page = List("/api/message_groups?limit=2", kAndrewSub, &cursor);
  ASSERT_EQ(page.Size(), 2u);
  EXPECT_EQ(S(page[0], "handle"), "altbrown");
  EXPECT_EQ(S(page[1], "handle"), "londo");
  ASSERT_FALSE(cursor.empty());
  page = List("/api/message_groups?limit=2&cursor=" + cursor, kAndrewSub, &cursor);
  ASSERT_EQ(page.Size(), 1u);
  EXPECT_EQ(S(page[0], "handle"), "bayko");
  EXPECT_EQ(cursor, "");
}

TEST_F(ConversationTest, BadPagingParametersAre400) {
  const std::string group = Start(kAndrewSub, "bayko", "hello");
  Start(kAndrewSub, "londo", "hello");
  // Real cursors: of this conversation's messages, and of andrew's inbox.
  for (int i = 0; i < 3; ++i) {
    Send(kAndrewSub, R"({"message":"more","message_group_uuid":")" + group + R"("})");
  }
  std::string inbox_cursor;
  List("/api/message_groups?limit=1", kAndrewSub, &inbox_cursor);
  ASSERT_FALSE(inbox_cursor.empty());
  std::string messages_cursor;
  List("/api/messages/" + group + "?limit=1", kAndrewSub, &messages_cursor);
  ASSERT_FALSE(messages_cursor.empty());

  struct Case {
    std::string target;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"/api/message_groups?cursor=garbage", "invalid_cursor"},
      {"/api/message_groups?cursor=", "invalid_cursor"},
      {"/api/message_groups?cursor=%zz", "invalid_cursor"},
      {"/api/message_groups?cursor=" + std::string(5000, 'A'), "invalid_cursor"},
      {"/api/message_groups?cursor=" + messages_cursor, "invalid_cursor"},
      {"/api/messages/" + group + "?cursor=" + inbox_cursor, "invalid_cursor"},
      {"/api/messages/" + group + "?cursor=eyJwayI6MX0", "invalid_cursor"},  // {"pk":1}
      {"/api/message_groups?limit=0", "invalid_limit"},
      {"/api/message_groups?limit=101", "invalid_limit"},
      {"/api/message_groups?limit=-1", "invalid_limit"},
      {"/api/message_groups?limit=abc", "invalid_limit"},
      {"/api/messages/" + group + "?limit=", "invalid_limit"},
      {"/api/messages/" + group + "?limit=99999999999999999999", "invalid_limit"},
  };
  for (const auto& c : cases) {
    net::HttpResponse res = Serve(Get(c.target, TokenFor(kAndrewSub)));
    EXPECT_EQ(res.result_int(), 400u) << c.target << ": " << res.body();
    EXPECT_EQ(Errors(res), std::vector<std::string>{c.error}) << c.target;
  }
  // A cursor of a conversation londo is not in is still a 404 for londo.
  net::HttpResponse res =
      Serve(Get("/api/messages/" + group + "?cursor=" + messages_cursor, TokenFor(kLondoSub)));
  EXPECT_EQ(res.result_int(), 404u);
}

TEST_F(ConversationTest, UserShort) {
  net::HttpResponse res = Serve(Get("/api/users/@bayko/short", TokenFor(kAndrewSub)));
  ASSERT_EQ(res.result_int(), 200u) << res.body();
  rapidjson::Document doc = ParseJson(res.body());
  EXPECT_EQ(S(doc, "uuid"), kBaykoUuid);
  EXPECT_EQ(S(doc, "handle"), "bayko");
  EXPECT_EQ(S(doc, "display_name"), "Andrew Bayko");
  ASSERT_TRUE(doc.HasMember("message_group_uuid"));
  EXPECT_TRUE(doc["message_group_uuid"].IsNull());  // no conversation yet
  EXPECT_EQ(doc.MemberCount(), 4u);

  // Percent-encoded handles are decoded.
  res = Serve(Get("/api/users/@%62ayko/short", TokenFor(kAndrewSub)));
  EXPECT_EQ(res.result_int(), 200u);

  // Handles are looked up regardless of case (Cruddur's rule: unique
  // regardless of case).
  res = Serve(Get("/api/users/@BaYkO/short", TokenFor(kAndrewSub)));
  EXPECT_EQ(res.result_int(), 200u);

  for (const char* target :
       {"/api/users/@nobody/short", "/api/users/@%0A/short", "/api/users/@%20/short"}) {
    res = Serve(Get(target, TokenFor(kAndrewSub)));
    EXPECT_EQ(res.result_int(), 404u) << target;
    EXPECT_EQ(Errors(res), std::vector<std::string>{"user_not_found"}) << target;
  }
  // Not routes at all.
  for (const char* target : {"/api/users/@/short", "/api/users/bayko/short",
                             "/api/users/@a/b/short", "/api/users/@%zz/short"}) {
    res = Serve(Get(target, TokenFor(kAndrewSub)));
    EXPECT_EQ(res.result_int(), 404u) << target;
    EXPECT_EQ(Errors(res), std::vector<std::string>{"not_found"}) << target;
  }
}

TEST_F(ConversationTest, UserShortNamesTheCallersConversation) {
  const std::string group = Start(kAndrewSub, "bayko", "hello");
  const std::string other = Start(kAndrewSub, "londo", "hi londo");
  // Both sides see the same conversation.
  for (const auto& [sub, handle, want] :
       {std::tuple{kAndrewSub, "bayko", group}, std::tuple{kBaykoSub, "andrewbrown", group},
        std::tuple{kAndrewSub, "londo", other}, std::tuple{kLondoSub, "andrewbrown", other}}) {
    net::HttpResponse res =
        Serve(Get(std::string("/api/users/@") + handle + "/short", TokenFor(sub)));
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    rapidjson::Document doc = ParseJson(res.body());
    ASSERT_TRUE(doc["message_group_uuid"].IsString()) << res.body();
    EXPECT_EQ(S(doc, "message_group_uuid"), want) << handle;
  }
  // Bayko and londo have none; nobody has one with themself.
  for (const auto& [sub, handle] : {std::pair{kBaykoSub, "londo"}, std::pair{kLondoSub, "bayko"},
                                    std::pair{kAndrewSub, "andrewbrown"}}) {
    net::HttpResponse res =
        Serve(Get(std::string("/api/users/@") + handle + "/short", TokenFor(sub)));
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_TRUE(ParseJson(res.body())["message_group_uuid"].IsNull()) << handle;
  }
}

}  // namespace
}  // namespace cruddur::api::testing
