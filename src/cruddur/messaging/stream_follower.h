// StreamFollower: reads the messages table's DynamoDB stream through the
// DynamoDB Streams API and hands on what it says about messages, so the
// same code follows the in-process engine, a ddb-server and Amazon
// DynamoDB Streams.
//
//   DescribeTable -> LatestStreamArn (no stream: kNoStream)
//   DescribeStream (paginated) -> the shards; the open ones are read from
//     LATEST at start, and a shard that appears later (the child of a
//     closed one, after a roll-over or a split) from TRIM_HORIZON, so
//     nothing written after Start is missed
//   GetRecords on every open shard each poll interval, continuing with
//     NextShardIterator; a shard whose NextShardIterator is absent is done,
//     and the stream is described again to find its children. An expired
//     iterator is replaced by AFTER_SEQUENCE_NUMBER of the last record read.
//
// The thread polls every poll interval, and at once when woken (Wake): a
// writer in this process calls it once its write has returned, so its event
// goes out without waiting for the period (the in-process engine and a
// ddb-server have the stream record by then). The period remains for the
// writes of other processes, and for Amazon DynamoDB Streams, where a
// record appears some time after its write.
//
// Each poll hands one FollowedBatch to `on_batch`, on the follower's thread:
// the INSERT/MODIFY NEW_IMAGEs of message items as MessageEvents (in stream
// order per shard) and the memberships the inbox items in it show. Errors of
// a poll (the service unreachable, throttled) are retried on the next one.
// One reader per process: DynamoDB allows two readers per shard.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "cruddur/messaging/errors.h"
#include "cruddur/messaging/message_event.h"

namespace cruddur::messaging {

struct FollowedBatch {
  std::vector<Membership> memberships;
  std::vector<MessageEvent> messages;
};

struct StreamFollowerOptions {
  std::string table;  // the messages table
  // Pause between polls (--events-poll-ms); a Wake cuts it short.
  std::chrono::milliseconds poll_interval{250};
  // How often the shards are described even when none closed.
  std::chrono::milliseconds describe_interval{std::chrono::seconds(60)};
  // Records per GetRecords (DynamoDB: at most 1000).
  int records_limit = 1000;
  // Called with a poll's error (for the log); may be empty.
  std::function<void(const base::Error&)> on_error;
};

class StreamFollower {
 public:
  // `dynamodb` (DescribeTable) and `streams` (DynamoDB Streams) are not
  // owned and must outlive the follower.
  StreamFollower(aws::AwsJsonClient* dynamodb, aws::AwsJsonClient* streams,
                 StreamFollowerOptions options, std::function<void(FollowedBatch&&)> on_batch);
  ~StreamFollower();  // Stop()s
  StreamFollower(const StreamFollower&) = delete;
  StreamFollower& operator=(const StreamFollower&) = delete;

  // Finds the stream and positions on its open shards (LATEST). kNoStream
  // if the table has none; the service's error otherwise. Not thread-safe
  // with Poll.
  base::Status Open();

  // Polls every shard once, calling on_batch if anything came. Returns the
  // first error (the other shards are still read). Open() first.
  base::Status Poll();

  // Open()ed: starts the thread that Polls every poll interval.
  void Start();
  // Stops and joins the thread. Idempotent.
  void Stop();

  // Asks the thread for a poll now instead of at the end of its pause.
  // Wakes coalesce: any number of them before the thread begins its next
  // poll make that one poll; one arriving during a poll (which may have
  // missed that write) makes one more poll after it; then the pause starts
  // again. So wakes never make the thread spin: it polls at most once per
  // wake, and a burst costs one or two polls. Non-blocking (a short lock),
  // thread-safe; before Start or after Stop it only marks a poll as due.
  void Wake();

  // Polls the thread has run since construction (tests, diagnostics).
  uint64_t thread_polls() const { return thread_polls_.load(); }

  const std::string& stream_arn() const { return stream_arn_; }
  size_t open_shards() const { return iterators_.size(); }

 private:
  base::Status Describe(bool at_start);
  base::Result<std::string> Iterator(const std::string& shard_id, std::string_view type,
                                     const std::string& sequence);
  base::Status ReadShard(const std::string& shard_id, FollowedBatch* batch, bool* done);

  aws::AwsJsonClient* dynamodb_;
  aws::AwsJsonClient* streams_;
  StreamFollowerOptions options_;
  std::function<void(FollowedBatch&&)> on_batch_;
  std::string stream_arn_;
  std::map<std::string, std::string> iterators_;      // open shard -> next iterator
  std::map<std::string, std::string> last_sequence_;  // shard -> last record read
  std::set<std::string> finished_;                    // shards read to their end
  bool describe_due_ = false;
  std::chrono::steady_clock::time_point last_describe_{};

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;  // a Wake since the thread's last poll began
  std::atomic<uint64_t> thread_polls_{0};
  std::thread thread_;
};

// The table's stream ARN if its stream is enabled (DescribeTable:
// StreamSpecification.StreamEnabled and LatestStreamArn), else nullopt.
base::Result<std::optional<std::string>> EnabledStreamArn(aws::AwsJsonClient& dynamodb,
                                                          std::string_view table);

}  // namespace cruddur::messaging
