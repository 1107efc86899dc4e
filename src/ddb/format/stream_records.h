// DynamoDB Streams' records on disk (key layout: keys.h, prefix "\x04"):
//   "\x04" "\x00" <stream arn>             a stream descriptor (StreamDesc as JSON)
//   "\x04" "\x01" <stream id:8> <seq:8>    one stream record: the record's JSON as
//                                          GetRecords returns it
// and the sequence numbers that order them: seq = max(previous + 1,
// now_ms * 10^6), printed as a 21-digit decimal, so a sequence number also
// tells the millisecond its record was written. The log that writes and
// trims them: stream_log.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ddb/format/item_change.h"
#include "ddb/format/table_info.h"

namespace ddb::streams {

inline constexpr uint64_t kSeqPerMs = 1000000;  // sequence numbers per millisecond

// One stream: a table's stream between one enable and its disable.
struct StreamDesc {
  std::string arn, table_name, label, view_type, region;
  uint64_t id = 0, table_id = 0;
  std::string hash_key, range_key;
  int64_t created_ms = 0;
  int64_t shard_ms = 0;
  bool disabled = false;
  uint64_t end_seq = 0;      // disabled: the last sequence number it may hold
  uint64_t trimmed_seq = 0;  // the largest sequence number trimmed away
};

std::string SerializeDesc(const StreamDesc& d);
// nullopt if `json` is not a descriptor.
std::optional<StreamDesc> ParseDesc(std::string_view json);

// The 21-digit decimal form of a sequence number, and back.
std::string FormatSeq(uint64_t seq);
std::optional<uint64_t> ParseSeq(std::string_view s);

// A stable 64-bit hash of `s` (FNV-1a, then Mix64), and the last `digits`
// hex digits of `v`: the check parts of event ids, shard ids and iterators.
uint64_t HashText(std::string_view s);
std::string Hex(uint64_t v, int digits);

// <table arn>/stream/<label>.
std::string StreamArnOf(const TableInfo& t);

// The record (its JSON, as GetRecords returns it) of `change` in stream
// `stream_id` with view type `view`, numbered `seq`, written at `now_ms`.
std::string EncodeRecord(const ItemChange& change, uint64_t stream_id, uint64_t seq,
                         const std::string& view, int64_t now_ms);

}  // namespace ddb::streams
