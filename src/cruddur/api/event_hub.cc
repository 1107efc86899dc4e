#include "cruddur/api/event_hub.h"

#include <boost/beast/http/field.hpp>
#include <charconv>

#include "cruddur/messaging/message_event.h"

namespace cruddur::api {
namespace {

namespace http = boost::beast::http;

std::string EpochOf(std::chrono::system_clock::time_point t) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
}

}  // namespace

EventHub::EventHub(messaging::MessageStore* store, EventHubOptions options)
    : store_(store), options_(std::move(options)), epoch_(EpochOf(options_.now())) {}

EventHub::~EventHub() { Stop(); }

std::string EventHub::IdLocked(uint64_t n) const { return epoch_ + "-" + std::to_string(n); }

std::string EventHub::HeartbeatLocked() const {
  return "id: " + IdLocked(last_n_) + "\nevent: heartbeat\ndata: {}\n\n";
}

std::string EventHub::CurrentId() const {
  std::lock_guard<std::mutex> lock(mu_);
  return IdLocked(last_n_);
}

size_t EventHub::subscribers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return subscribers_.size();
}

std::optional<uint64_t> EventHub::ParseId(std::string_view id) const {
  size_t dash = id.find('-');
  if (dash == std::string_view::npos || id.substr(0, dash) != epoch_) return std::nullopt;
  std::string_view digits = id.substr(dash + 1);
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    return std::nullopt;
  }
  return n;
}

std::vector<std::string> EventHub::Members(const messaging::MessageEvent& e) {
  std::set<std::string> known;
  {
    std::lock_guard<std::mutex> lock(members_mu_);
    auto it = members_.find(e.message_group_uuid);
    if (it != members_.end()) known = it->second;
  }
  if (!e.sender_uuid.empty()) known.insert(e.sender_uuid);
  if (known.size() < 2 && store_) {
    // Not learned from the stream (an older conversation): its inboxes.
    auto inboxes = store_->ConversationInboxes(e.message_group_uuid);
    if (inboxes.ok()) {
      for (const auto& inbox : *inboxes) known.insert(inbox.owner_uuid);
    }
  }
  {
    std::lock_guard<std::mutex> lock(members_mu_);
    if (members_.size() >= options_.member_cache_groups) members_.clear();
    members_[e.message_group_uuid].insert(known.begin(), known.end());
  }
  return std::vector<std::string>(known.begin(), known.end());
}

void EventHub::TrimLocked() {
  const auto oldest = options_.now() - options_.ring_age;
  while (!ring_.empty() && (ring_.size() > options_.ring_events || ring_.front().at < oldest)) {
    ring_uuids_.erase(ring_.front().uuid);
    ring_.pop_front();
  }
}

void EventHub::Publish(messaging::FollowedBatch&& batch) {
  {
    std::lock_guard<std::mutex> lock(members_mu_);
    for (const auto& m : batch.memberships) {
      if (members_.size() >= options_.member_cache_groups) members_.clear();
      members_[m.message_group_uuid].insert(m.user_uuid);
    }
  }
  for (const auto& e : batch.messages) {
    std::vector<std::string> members = Members(e);
    const std::string data = messaging::MessageEventJson(e);
    std::lock_guard<std::mutex> lock(mu_);
    if (ring_uuids_.count(e.uuid)) continue;  // a MODIFY, or a record read twice
    Event ev;
    ev.n = ++last_n_;
    ev.at = options_.now();
    ev.uuid = e.uuid;
    ev.members = std::move(members);
    ev.frame = "id: " + IdLocked(ev.n) + "\nevent: message\ndata: " + data + "\n\n";
    std::vector<uint64_t> dead;
    for (const std::string& user : ev.members) {
      auto [from, to] = by_user_.equal_range(user);
      for (auto it = from; it != to; ++it) {
        auto sub = subscribers_.find(it->second);
        if (sub != subscribers_.end() && !sub->second.stream.Write(ev.frame)) {
          dead.push_back(it->second);
        }
      }
    }
    for (uint64_t id : dead) RemoveLocked(id);
    ring_uuids_.insert(ev.uuid);
    ring_.push_back(std::move(ev));
    TrimLocked();
  }
}

void EventHub::Subscribe(std::string user_uuid, std::string_view last_event_id,
                         net::Responder responder, net::HttpResponse&& head) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = next_subscriber_++;
  }
  head.set(http::field::content_type, "text/event-stream");
  head.set(http::field::cache_control, "no-store");
  head.set("X-Accel-Buffering", "no");  // proxies: do not buffer the stream
  head.body().clear();
  net::StreamOptions so;
  so.max_queued_bytes = options_.max_queued_bytes;
  so.on_close = [this, id] { Remove(id); };
  net::ResponseStream stream = responder.Stream(std::move(head), std::move(so));

  std::lock_guard<std::mutex> lock(mu_);
  TrimLocked();
  std::string prelude = "retry: " + std::to_string(options_.retry_ms) + "\n\n";
  if (!last_event_id.empty()) {
    const uint64_t first_kept = ring_.empty() ? last_n_ + 1 : ring_.front().n;
    auto n = ParseId(last_event_id);
    bool reset = !n || *n > last_n_ || *n + 1 < first_kept;
    std::string replay;
    if (!reset) {
      for (const Event& ev : ring_) {
        if (ev.n <= *n) continue;
        for (const std::string& m : ev.members) {
          if (m == user_uuid) {
            replay += ev.frame;
            break;
          }
        }
      }
      // More than a stream may queue: the client reloads instead.
      reset = replay.size() > options_.max_queued_bytes / 2;
    }
    prelude += reset ? "id: " + IdLocked(last_n_) + "\nevent: reset\ndata: {}\n\n" : replay;
  }
  prelude += HeartbeatLocked();
  if (!stream.Write(prelude)) return;
  by_user_.emplace(user_uuid, id);
  subscribers_.emplace(id, Subscriber{std::move(user_uuid), std::move(stream)});
}

void EventHub::RemoveLocked(uint64_t subscriber) {
  auto it = subscribers_.find(subscriber);
  if (it == subscribers_.end()) return;
  auto [from, to] = by_user_.equal_range(it->second.user_uuid);
  for (auto u = from; u != to; ++u) {
    if (u->second == subscriber) {
      by_user_.erase(u);
      break;
    }
  }
  subscribers_.erase(it);
}

void EventHub::Remove(uint64_t subscriber) {
  std::lock_guard<std::mutex> lock(mu_);
  RemoveLocked(subscriber);
}

void EventHub::Start() {
  std::lock_guard<std::mutex> lock(beat_mu_);
  if (beat_thread_.joinable() || stopping_) return;
  beat_thread_ = std::thread([this] {
    std::unique_lock<std::mutex> beat(beat_mu_);
    while (!beat_wake_.wait_for(beat, options_.heartbeat, [this] { return stopping_; })) {
      beat.unlock();
      {
        std::lock_guard<std::mutex> lock(mu_);
        TrimLocked();
        const std::string frame = HeartbeatLocked();
        std::vector<uint64_t> dead;
        for (auto& [id, sub] : subscribers_) {
          if (!sub.stream.Write(frame)) dead.push_back(id);
        }
        for (uint64_t id : dead) RemoveLocked(id);
      }
      beat.lock();
    }
  });
}

void EventHub::Stop() {
  {
    std::lock_guard<std::mutex> lock(beat_mu_);
    stopping_ = true;
  }
  beat_wake_.notify_all();
  if (beat_thread_.joinable()) beat_thread_.join();
  std::unordered_map<uint64_t, Subscriber> subs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    subs.swap(subscribers_);
    by_user_.clear();
  }
  for (auto& [id, sub] : subs) sub.stream.End();
}

}  // namespace cruddur::api
