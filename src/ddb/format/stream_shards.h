// Shards and shard iterators of a stream (stream_records.h): how positions
// in a stream's records are named to clients.
//
// Shard k of a stream covers the sequence numbers written in
// [created + k * shard_period, created + (k + 1) * shard_period); shard k's
// parent is shard k - 1. The last shard of a disabled stream ends at the
// stream's final sequence number. A shard's id names its start time and a
// check derived from the stream's ARN.
//
// A shard iterator is the text <arn>|<shard>|<position>|<issued ms>|<check>:
// it reads from sequence number `position` on, and the check makes a forged
// or altered one invalid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ddb/format/stream_records.h"

namespace ddb::streams {

// The first and last sequence numbers shard k may hold.
uint64_t ShardStart(const StreamDesc& d, int64_t k);
uint64_t ShardEnd(const StreamDesc& d, int64_t k);
// The shard a sequence number falls in.
int64_t ShardOf(const StreamDesc& d, uint64_t seq);
// "shardId-<start ms, 20 digits>-<8 hex check>", and back (nullopt if `id`
// is not one of the stream's shards).
std::string ShardId(const StreamDesc& d, int64_t k);
std::optional<int64_t> ParseShardId(const StreamDesc& d, std::string_view id);

// The shard range a stream shows now: [first, last], whether `last` is
// still open, and the visible watermark it was computed with
// (StreamLog::SpanOf).
struct ShardSpan {
  int64_t first = 0, last = 0;
  bool last_open = true;
  uint64_t watermark = 0;
};

// The last sequence number of shard k, or UINT64_MAX while it is open.
uint64_t ShardLast(const StreamDesc& d, const ShardSpan& s, int64_t k);

struct ShardIterator {
  std::string arn;
  int64_t shard = 0;
  uint64_t position = 0;
  int64_t issued_ms = 0;
};

std::string EncodeIterator(const ShardIterator& it);
// nullopt if `text` is not an iterator this engine issued.
std::optional<ShardIterator> DecodeIterator(std::string_view text);

}  // namespace ddb::streams
