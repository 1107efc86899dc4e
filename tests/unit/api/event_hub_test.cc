// EventHub (GET /api/events) over a real HttpServer: events only to the
// conversation's members, ids, Last-Event-ID replay without duplicates,
// `reset` for ids it cannot resume from (foreign, evicted), heartbeats; and
// the route's 404 without a hub.
#include "cruddur/api/event_hub.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "cruddur/api/events_route.h"
#include "cruddur/api/routes.h"

namespace cruddur::api {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

// Reads what a GET /?user=U (Last-Event-ID: L) stream sends within a window.
class Sub {
 public:
  Sub(uint16_t port, const std::string& user, const std::string& last_id = "") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    std::string req = "GET /" + user + " HTTP/1.1\r\nHost: x\r\n";
    if (!last_id.empty()) req += "Last-Event-ID: " + last_id + "\r\n";
    req += "\r\n";
    EXPECT_EQ(::send(fd_, req.data(), req.size(), MSG_NOSIGNAL), static_cast<ssize_t>(req.size()));
  }
  ~Sub() { ::close(fd_); }
  // Reads for `seconds`; returns everything read so far.
  const std::string& Read(double seconds = 0.3) {
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    char buf[8192];
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 10) <= 0) continue;
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      got_.append(buf, static_cast<size_t>(n));
    }
    return got_;
  }
  size_t Count(const std::string& what) {
    size_t n = 0;
    for (size_t at = got_.find(what); at != std::string::npos; at = got_.find(what, at + 1)) ++n;
    return n;
  }

 private:
  int fd_ = -1;
  std::string got_;
};

messaging::FollowedBatch Message(const std::string& group, const std::string& sender,
                                 const std::string& uuid) {
  messaging::FollowedBatch b;
  messaging::MessageEvent e;
  e.message_group_uuid = group;
  e.uuid = uuid;
  e.handle = "h";
  e.display_name = "H";
  e.message = "text " + uuid;
  e.created_at = "2026-01-01T00:00:00.000000+00:00";
  e.sender_uuid = sender;
  b.messages.push_back(e);
  return b;
}

class EventHubTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }
  void Start(EventHubOptions o) {
    server_.reset();
    hub_ = std::make_unique<EventHub>(nullptr, o);
    server_ = std::make_unique<net::HttpServer>(net::HttpServerOptions{.threads = 1});
    std::string error;
    ASSERT_TRUE(server_->Start(
        "127.0.0.1", 0,
        [this](net::HttpRequest&& r, net::Responder out) {
          std::string user(r.target().substr(1));
          hub_->Subscribe(user, LastEventId(r), std::move(out),
                          net::HttpResponse{http::status::ok, 11});
        },
        &error));
    messaging::FollowedBatch members;
    members.memberships = {{"g1", "u1"}, {"g1", "u2"}};
    hub_->Publish(std::move(members));
  }
  void TearDown() override {
    server_->Stop();
    hub_->Stop();
  }
  std::string Id(int n) {
    std::string cur = hub_->CurrentId();
    return cur.substr(0, cur.find('-') + 1) + std::to_string(n);
  }
  std::unique_ptr<EventHub> hub_;
  std::unique_ptr<net::HttpServer> server_;
};

TEST_F(EventHubTest, MembersOnlyWithIdsAndHeartbeat) {
  Sub u1(server_->port(), "u1"), u2(server_->port(), "u2"), u3(server_->port(), "u3");
  u1.Read();
  u3.Read();
  EXPECT_NE(u1.Read().find("text/event-stream"), std::string::npos);
  EXPECT_NE(u1.Read().find("retry: 2000\n\n"), std::string::npos);
  EXPECT_NE(u1.Read().find("id: " + Id(0) + "\nevent: heartbeat\ndata: {}\n\n"), std::string::npos);
  hub_->Publish(Message("g1", "u2", "m1"));
  const std::string frame =
      "id: " + Id(1) + "\nevent: message\ndata: {\"message_group_uuid\":\"g1\"";
  EXPECT_NE(u1.Read().find(frame), std::string::npos) << u1.Read();
  EXPECT_NE(u2.Read().find(frame), std::string::npos);
  EXPECT_EQ(u3.Read().find("event: message"), std::string::npos);
  // The same message again (a MODIFY, a record read twice): not resent.
  hub_->Publish(Message("g1", "u2", "m1"));
  u1.Read();
  EXPECT_EQ(u1.Count("event: message"), 1u);
  EXPECT_EQ(hub_->subscribers(), 3u);
}

TEST_F(EventHubTest, ResumeReplaysExactlyTheMissedEvents) {
  hub_->Publish(Message("g1", "u2", "m1"));
  hub_->Publish(Message("g2", "u9", "other"));  // not u1's
  hub_->Publish(Message("g1", "u1", "m2"));
  Sub again(server_->port(), "u1", Id(1));
  again.Read();
  EXPECT_EQ(again.Count("event: message"), 1u) << again.Read();
  EXPECT_NE(again.Read().find("\"uuid\":\"m2\""), std::string::npos);
  EXPECT_EQ(again.Count("event: reset"), 0u);
  // The heartbeat after the replay carries the latest id.
  EXPECT_NE(again.Read().find("id: " + Id(3) + "\nevent: heartbeat"), std::string::npos);
  hub_->Publish(Message("g1", "u2", "m3"));
  again.Read();
  EXPECT_EQ(again.Count("event: message"), 2u);
}

TEST_F(EventHubTest, ForeignOrFutureIdsReset) {
  for (const std::string& id : std::vector<std::string>{"1-1", "nonsense", Id(7)}) {
    Sub s(server_->port(), "u1", id);
    s.Read();
    EXPECT_EQ(s.Count("event: reset"), 1u) << id;
  }
}

TEST_F(EventHubTest, EvictedIdsReset) {
  EventHubOptions o;
  o.ring_events = 2;
  Start(o);
  for (int i = 1; i <= 4; ++i) hub_->Publish(Message("g1", "u2", "m" + std::to_string(i)));
  Sub old(server_->port(), "u1", Id(1));  // 2 was evicted
  old.Read();
  EXPECT_EQ(old.Count("event: reset"), 1u);
  EXPECT_EQ(old.Count("event: message"), 0u);
  Sub recent(server_->port(), "u1", Id(2));  // 3 and 4 are kept
  recent.Read();
  EXPECT_EQ(recent.Count("event: reset"), 0u);
  EXPECT_EQ(recent.Count("event: message"), 2u);
}

TEST_F(EventHubTest, HeartbeatsArrive) {
  EventHubOptions o;
  o.heartbeat = std::chrono::milliseconds(50);
  Start(o);
  hub_->Start();
  Sub s(server_->port(), "u1");
  s.Read(0.4);
  EXPECT_GE(s.Count("event: heartbeat"), 4u);
}

TEST(EventsRouteTest, RouteAnd404WithoutAHub) {
  auto m = MatchRoute("/api/events");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->id, RouteId::kEvents);
  EXPECT_TRUE(RouteAllows(RouteId::kEvents, http::verb::get));
  EXPECT_FALSE(RouteAllows(RouteId::kEvents, http::verb::post));
  EXPECT_EQ(AllowHeader(RouteId::kEvents), "GET, OPTIONS");
  Caller caller{"sub", "u1"};
  ApiReply none = EventsRoute(nullptr, caller);
  EXPECT_EQ(none.status, 404u);
  EXPECT_EQ(none.body, R"({"errors":["not_found"]})");
  EXPECT_TRUE(none.event_stream_user.empty());
  EventHub hub(nullptr);
  ApiReply yes = EventsRoute(&hub, caller);
  EXPECT_EQ(yes.status, 200u);
  EXPECT_EQ(yes.event_stream_user, "u1");
}

}  // namespace
}  // namespace cruddur::api
