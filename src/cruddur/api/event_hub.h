// EventHub: the live-update fan-out behind GET /api/events. The process's
// one StreamFollower (messaging/stream_follower.h) publishes batches here;
// each message gets an event id and goes to the open event streams of the
// conversation's members only, and into a bounded ring so that a client
// reconnecting with Last-Event-ID gets exactly what it missed.
//
// Wire format (text/event-stream, web/README.md):
//   retry: 2000                                  first, once
//   id: <epoch>-<n>\nevent: message\ndata: {message_group_uuid, uuid,
//       handle, display_name, message, created_at}\n\n
//   id: <epoch>-<n>\nevent: heartbeat\ndata: {}\n\n
//   id: <epoch>-<n>\nevent: reset\ndata: {}\n\n  (cannot resume: reload)
// Ids: <epoch> is this hub's start (µs since 1970), <n> counts the events it
// published (1, 2, ...). A heartbeat carries the latest <n> published so far
// (0 before any): every event up to it has been sent or did not concern the
// subscriber, so a Last-Event-ID taken from a heartbeat resumes exactly too.
// On subscribe: replay of the ring's events after Last-Event-ID (those of
// the caller's conversations), or `reset` when the id is from another
// process, unknown, or older than the ring (events were evicted); then a
// heartbeat, then live events. Replay and registration happen under one
// lock with publishing, so nothing is lost or sent twice.
//
// Membership: a group's members are learned from the inbox items in the
// stream (a new conversation's transaction writes them with its first
// message) and, when fewer than two are known, from the group's inbox items
// (MessageStore::ConversationInboxes, the same data CheckMember reads); a
// conversation's members never change, so they are cached (bounded). The
// sender is always a member. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cruddur/messaging/message_store.h"
#include "cruddur/messaging/stream_follower.h"
#include "net/http_server.h"

namespace cruddur::api {

struct EventHubOptions {
  // The ring: at most this many events, none older than ring_age.
  size_t ring_events = 10000;
  std::chrono::seconds ring_age{24 * 3600};
  // Heartbeat period (keep it under the server's idle timeout and the
  // client's 45 s).
  std::chrono::milliseconds heartbeat{15000};
  // Bytes a subscriber may have queued; beyond, it is dropped (the stream
  // ends; the client reconnects and resumes).
  size_t max_queued_bytes = 256u << 10;
  // Groups whose members are remembered.
  size_t member_cache_groups = 100000;
  // The reconnection delay the stream suggests (retry:), ms.
  int retry_ms = 2000;
  // Clock for ids and ring ages; tests fix it.
  std::function<std::chrono::system_clock::time_point()> now = std::chrono::system_clock::now;
};

class EventHub {
 public:
  // `store` (membership lookups) is not owned and must outlive the hub.
  explicit EventHub(messaging::MessageStore* store, EventHubOptions options = {});
  ~EventHub();  // Stop()s
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // The follower's batch (its thread): memberships first, then each message
  // to the ring and to its members' streams.
  void Publish(messaging::FollowedBatch&& batch);

  // Answers `responder` with the caller's event stream (`head`: status 200
  // and headers; text/event-stream is set here), resuming after
  // `last_event_id` if non-empty.
  void Subscribe(std::string user_uuid, std::string_view last_event_id, net::Responder responder,
                 net::HttpResponse&& head);

  // Starts the heartbeat thread.
  void Start();
  // Stops it and ends every stream. Idempotent.
  void Stop();

  // Open subscriptions, and the id a heartbeat would carry now.
  size_t subscribers() const;
  std::string CurrentId() const;

 private:
  struct Event {
    uint64_t n;
    std::chrono::system_clock::time_point at;
    std::string uuid;
    std::vector<std::string> members;
    std::string frame;  // "id: ...\nevent: message\ndata: ...\n\n"
  };
  struct Subscriber {
    std::string user_uuid;
    net::ResponseStream stream;
  };

  std::vector<std::string> Members(const messaging::MessageEvent& e);
  std::string IdLocked(uint64_t n) const;
  std::string HeartbeatLocked() const;
  void TrimLocked();
  void RemoveLocked(uint64_t subscriber);
  void Remove(uint64_t subscriber);
  // Parses "<epoch>-<n>" of this hub; nullopt if not ours.
  std::optional<uint64_t> ParseId(std::string_view id) const;

  messaging::MessageStore* store_;
  EventHubOptions options_;
  const std::string epoch_;

  mutable std::mutex mu_;
  uint64_t last_n_ = 0;
  std::deque<Event> ring_;
  std::unordered_set<std::string> ring_uuids_;
  uint64_t next_subscriber_ = 1;
  std::unordered_map<uint64_t, Subscriber> subscribers_;
  std::unordered_multimap<std::string, uint64_t> by_user_;

  std::mutex members_mu_;
  std::unordered_map<std::string, std::set<std::string>> members_;

  std::mutex beat_mu_;
  std::condition_variable beat_wake_;
  bool stopping_ = false;
  std::thread beat_thread_;
};

}  // namespace cruddur::api
