#include "cruddur/messaging/stream_follower.h"

#include "aws/client_error.h"
#include "cruddur/messaging/item_json.h"
#include "ddb/common/error.h"

namespace cruddur::messaging {
namespace {

using json::SetString;

const rapidjson::Value* Member(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(name);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string StringMember(const rapidjson::Value& v, const char* name) {
  const rapidjson::Value* m = Member(v, name);
  if (!m || !m->IsString()) return {};
  return std::string(m->GetString(), m->GetStringLength());
}

}  // namespace

base::Result<std::optional<std::string>> EnabledStreamArn(aws::AwsJsonClient& dynamodb,
                                                          std::string_view table) {
  rapidjson::Document req(rapidjson::kObjectType);
  SetString(req, "TableName", table, req.GetAllocator());
  ASSIGN_OR_RETURN(auto out, dynamodb.CallJson("DescribeTable", req));
  const rapidjson::Value* t = Member(out, "Table");
  if (!t) return std::optional<std::string>();
  const rapidjson::Value* spec = Member(*t, "StreamSpecification");
  const rapidjson::Value* enabled = spec ? Member(*spec, "StreamEnabled") : nullptr;
  std::string arn = StringMember(*t, "LatestStreamArn");
  if (!enabled || !enabled->IsBool() || !enabled->GetBool() || arn.empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(std::move(arn));
}

StreamFollower::StreamFollower(aws::AwsJsonClient* dynamodb, aws::AwsJsonClient* streams,
                               StreamFollowerOptions options,
                               std::function<void(FollowedBatch&&)> on_batch)
    : dynamodb_(dynamodb),
      streams_(streams),
      options_(std::move(options)),
      on_batch_(std::move(on_batch)) {}

StreamFollower::~StreamFollower() { Stop(); }

base::Status StreamFollower::Open() {
  ASSIGN_OR_RETURN(auto arn, EnabledStreamArn(*dynamodb_, options_.table));
  if (!arn) {
    return base::Error{kNoStream, "table " + options_.table + " has no enabled stream"};
  }
  stream_arn_ = std::move(*arn);
  iterators_.clear();
  finished_.clear();
  last_sequence_.clear();
  return Describe(true);
}

base::Result<std::string> StreamFollower::Iterator(const std::string& shard_id,
                                                   std::string_view type,
                                                   const std::string& sequence) {
  rapidjson::Document req(rapidjson::kObjectType);
  auto& a = req.GetAllocator();
  SetString(req, "StreamArn", stream_arn_, a);
  SetString(req, "ShardId", shard_id, a);
  SetString(req, "ShardIteratorType", type, a);
  if (!sequence.empty()) SetString(req, "SequenceNumber", sequence, a);
  ASSIGN_OR_RETURN(auto out, streams_->CallJson("GetShardIterator", req));
  std::string it = StringMember(out, "ShardIterator");
  if (it.empty())
    return aws::ClientError(aws::ClientErrorCode::kInvalidResponse,
                            "GetShardIterator: no iterator");
  return it;
}

base::Status StreamFollower::Describe(bool at_start) {
  struct Shard {
    std::string id, parent;
    bool closed = false;
  };
  std::vector<Shard> shards;
  std::string start;
  while (true) {
    rapidjson::Document req(rapidjson::kObjectType);
    auto& a = req.GetAllocator();
    SetString(req, "StreamArn", stream_arn_, a);
    if (!start.empty()) SetString(req, "ExclusiveStartShardId", start, a);
    ASSIGN_OR_RETURN(auto out, streams_->CallJson("DescribeStream", req));
    const rapidjson::Value* desc = Member(out, "StreamDescription");
    const rapidjson::Value* list = desc ? Member(*desc, "Shards") : nullptr;
    if (list && list->IsArray()) {
      for (const auto& s : list->GetArray()) {
        Shard shard{StringMember(s, "ShardId"), StringMember(s, "ParentShardId")};
        const rapidjson::Value* range = Member(s, "SequenceNumberRange");
        shard.closed = range && !StringMember(*range, "EndingSequenceNumber").empty();
        if (!shard.id.empty()) shards.push_back(std::move(shard));
      }
    }
    start = desc ? StringMember(*desc, "LastEvaluatedShardId") : std::string();
    if (start.empty()) break;
  }
  std::set<std::string> listed;
  for (const auto& s : shards) listed.insert(s.id);
  for (const auto& s : shards) {
    if (iterators_.count(s.id) || finished_.count(s.id)) continue;
    if (at_start) {
      // History before the start is not ours to send: closed shards are
      // done, open ones are read from now on.
      if (s.closed) {
        finished_.insert(s.id);
        continue;
      }
      ASSIGN_OR_RETURN(iterators_[s.id], Iterator(s.id, "LATEST", ""));
      continue;
    }
    // A new shard: read all of it, once its parent (if still listed) is done.
    const bool parent_pending =
        !s.parent.empty() && listed.count(s.parent) && !finished_.count(s.parent);
    if (parent_pending) continue;
    ASSIGN_OR_RETURN(iterators_[s.id], Iterator(s.id, "TRIM_HORIZON", ""));
  }
  describe_due_ = false;
  last_describe_ = std::chrono::steady_clock::now();
  return base::Status::Ok();
}

base::Status StreamFollower::ReadShard(const std::string& shard_id, FollowedBatch* batch,
                                       bool* done) {
  *done = false;
  for (int round = 0; round < 10; ++round) {
    rapidjson::Document req(rapidjson::kObjectType);
    auto& a = req.GetAllocator();
    SetString(req, "ShardIterator", iterators_[shard_id], a);
    req.AddMember("Limit", options_.records_limit, a);
    // Parsed in place: what is kept of a record is copied into strings.
    auto out = streams_->CallJsonInPlace("GetRecords", req);
    if (!out.ok()) {
      const std::error_code code = out.error().code;
      if (code == ddb::ErrorCode::kExpiredIterator || code == ddb::ErrorCode::kTrimmedDataAccess) {
        // Continue after the last record read (or from the oldest kept).
        auto seq = last_sequence_.find(shard_id);
        auto it = code == ddb::ErrorCode::kExpiredIterator && seq != last_sequence_.end()
                      ? Iterator(shard_id, "AFTER_SEQUENCE_NUMBER", seq->second)
                      : Iterator(shard_id, "TRIM_HORIZON", "");
        if (!it.ok()) return std::move(it).error();
        iterators_[shard_id] = std::move(*it);
        continue;
      }
      if (code == ddb::ErrorCode::kResourceNotFound) describe_due_ = true;
      return std::move(out).error();
    }
    const rapidjson::Value* records = Member(*out, "Records");
    size_t count = 0;
    if (records && records->IsArray()) {
      for (const auto& r : records->GetArray()) {
        ++count;
        const rapidjson::Value* change = Member(r, "dynamodb");
        if (!change) continue;
        std::string seq = StringMember(*change, "SequenceNumber");
        if (!seq.empty()) last_sequence_[shard_id] = std::move(seq);
        const std::string name = StringMember(r, "eventName");
        if (name != "INSERT" && name != "MODIFY") continue;
        const rapidjson::Value* image = Member(*change, "NewImage");
        if (!image) continue;
        if (auto m = MembershipFromImage(*image)) batch->memberships.push_back(std::move(*m));
        if (auto e = MessageEventFromImage(*image)) batch->messages.push_back(std::move(*e));
      }
    }
    std::string next = StringMember(*out, "NextShardIterator");
    if (next.empty()) {
      *done = true;
      return base::Status::Ok();
    }
    iterators_[shard_id] = std::move(next);
    if (count < static_cast<size_t>(options_.records_limit)) break;
  }
  return base::Status::Ok();
}

base::Status StreamFollower::Poll() {
  base::Status first = base::Status::Ok();
  if (describe_due_ ||
      std::chrono::steady_clock::now() - last_describe_ >= options_.describe_interval) {
    if (auto st = Describe(false); !st.ok()) first = st;
  }
  FollowedBatch batch;
  std::vector<std::string> shards;
  for (const auto& [id, it] : iterators_) shards.push_back(id);
  for (const std::string& id : shards) {
    bool done = false;
    auto st = ReadShard(id, &batch, &done);
    if (!st.ok() && first.ok()) first = st;
    if (done) {
      iterators_.erase(id);
      finished_.insert(id);
      describe_due_ = true;
    }
  }
  // Children of a shard that just closed are read in the same poll.
  if (describe_due_ && first.ok()) {
    if (auto st = Describe(false); !st.ok()) first = st;
  }
  if (!batch.memberships.empty() || !batch.messages.empty()) on_batch_(std::move(batch));
  return first;
}

void StreamFollower::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      // Cleared before the poll: a Wake from here on is for a write this
      // poll may miss, so it makes one more.
      woken_ = false;
      lock.unlock();
      auto st = Poll();
      thread_polls_.fetch_add(1);
      if (!st.ok() && options_.on_error) options_.on_error(st.error());
      lock.lock();
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || woken_; });
    }
  });
}

void StreamFollower::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (woken_) return;  // a poll is already due
    woken_ = true;
  }
  wake_.notify_all();
}

void StreamFollower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace cruddur::messaging
