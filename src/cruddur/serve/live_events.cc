#include "cruddur/serve/live_events.h"

#include <algorithm>
#include <chrono>

#include "aws/engine/engine_streams_transport.h"
#include "cruddur/messaging/table_admin.h"
#include "cruddur/serve/log.h"

namespace cruddur::serve {
namespace {

base::Result<std::unique_ptr<aws::AwsJsonClient>> StreamsClient(const ServeConfig& c,
                                                                ddb::Engine* engine) {
  aws::ClientOptions options;
  options.attempt_timeout = std::chrono::seconds(10);
  options.total_timeout = std::chrono::seconds(20);
  if (engine) {
    return std::make_unique<aws::AwsJsonClient>(
        std::make_unique<aws::EngineStreamsTransport>(engine), options);
  }
  aws::ClientConfig config;
  config.region = c.region;
  if (c.prod) {
    config.public_endpoint = true;  // streams.dynamodb.<region>.amazonaws.com
  } else {
    config.endpoint_url = c.ddb_endpoint_url;  // a ddb-server serves both APIs
    config.default_credentials = aws::Credentials{"cruddur-local", "cruddur-local", ""};
  }
  return aws::AwsJsonClient::FromEnvironment(aws::kDynamoDBStreams, config,
                                             aws::ProcessEnvironment(), options);
}

}  // namespace

void LiveEvents::Stop() {
  if (follower) follower->Stop();
  if (hub) hub->Stop();
}

int EventsPollMs(const ServeConfig& c) {
  if (c.events_poll_ms > 0) return c.events_poll_ms;
  return c.prod ? 1000 : 250;
}

std::unique_ptr<LiveEvents> StartLiveEvents(const ServeConfig& c, ddb::Engine* engine,
                                            aws::AwsJsonClient* dynamodb,
                                            messaging::MessageStore* store) {
  auto unavailable = [](const std::string& reason) {
    LogEvent("events_unavailable", {{"reason", reason}});
    return nullptr;
  };
  if (!c.prod) {
    auto enabled = messaging::EnsureMessagesStream(*dynamodb, c.table);
    if (!enabled.ok()) return unavailable(enabled.error().message);
    if (*enabled) LogEvent("stream_enabled", {{"table", c.table}, {"view", "NEW_IMAGE"}});
  }
  auto live = std::make_unique<LiveEvents>();
  auto client = StreamsClient(c, engine);
  if (!client.ok()) return unavailable(client.error().message);
  live->streams = std::move(*client);

  api::EventHubOptions ho;
  // Heartbeats well within the server's idle timeout, and at most 15 s.
  const double idle = c.http_limits.idle_timeout_seconds;
  auto beat = std::chrono::milliseconds(15000);
  if (idle > 0) {
    beat = std::min(beat, std::chrono::milliseconds(static_cast<int64_t>(idle * 1000 / 2)));
  }
  ho.heartbeat = std::max(beat, std::chrono::milliseconds(100));
  live->hub = std::make_unique<api::EventHub>(store, ho);

  messaging::StreamFollowerOptions fo;
  fo.table = c.table;
  fo.poll_interval = std::chrono::milliseconds(EventsPollMs(c));
  // Logged once a minute at most while it lasts (the follower retries each poll).
  fo.on_error = [last = std::chrono::steady_clock::time_point()](const base::Error& e) mutable {
    const auto now = std::chrono::steady_clock::now();
    if (last != std::chrono::steady_clock::time_point() && now - last < std::chrono::minutes(1)) {
      return;
    }
    last = now;
    LogEvent("events_poll_failed", {{"type", e.Name()}, {"reason", e.message}});
  };
  api::EventHub* hub = live->hub.get();
  live->follower = std::make_unique<messaging::StreamFollower>(
      dynamodb, live->streams.get(), fo,
      [hub](messaging::FollowedBatch&& batch) { hub->Publish(std::move(batch)); });
  if (auto st = live->follower->Open(); !st.ok()) return unavailable(st.error().message);
  live->follower->Start();
  if (!c.prod) {
    live->wake_on_write = [follower = live->follower.get()] { follower->Wake(); };
  }
  live->hub->Start();
  LogEvent("events", {{"stream", live->follower->stream_arn()},
                      {"poll_ms", std::to_string(EventsPollMs(c))},
                      {"heartbeat_ms", std::to_string(ho.heartbeat.count())}});
  return live;
}

}  // namespace cruddur::serve
