// LiveEvents: what `cruddur serve` runs for GET /api/events - the messages
// table's stream (enabled here when the table is local and has none), the
// process's one StreamFollower reading it through the DynamoDB Streams API
// (the in-process engine, AWS_ENDPOINT_URL's server, or Amazon DynamoDB
// Streams with --prod), and the EventHub fanning its events out.
#pragma once

#include <functional>
#include <memory>

#include "aws/client.h"
#include "cruddur/api/event_hub.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/messaging/stream_follower.h"
#include "cruddur/serve/serve_config.h"
#include "ddb/engine/engine.h"

namespace cruddur::serve {

struct LiveEvents {
  std::unique_ptr<aws::AwsJsonClient> streams;
  std::unique_ptr<api::EventHub> hub;
  std::unique_ptr<messaging::StreamFollower> follower;
  // For ApiOptions::message_stored: wakes the follower, so a message this
  // process stored is published at once rather than at the next poll. Empty
  // with --prod: Amazon DynamoDB Streams shows a record some time after its
  // write, so a poll at once would mostly find nothing; the period serves.
  // Valid while `follower` lives (a wake after Stop does nothing).
  std::function<void()> wake_on_write;

  // Stops the follower and the heartbeats, ends the streams. Idempotent.
  void Stop();
  ~LiveEvents() { Stop(); }
};

// The poll interval in force: --events-poll-ms, else 250 ms locally and
// 1000 ms with --prod.
int EventsPollMs(const ServeConfig& c);

// Starts the live events, or returns null (logged as events_unavailable with
// the reason) when the table has no stream: the API then answers 404 on
// /api/events and clients poll. `engine` is null unless the messages live
// in this process. `dynamodb` and `store` must outlive the result.
std::unique_ptr<LiveEvents> StartLiveEvents(const ServeConfig& c, ddb::Engine* engine,
                                            aws::AwsJsonClient* dynamodb,
                                            messaging::MessageStore* store);

}  // namespace cruddur::serve
