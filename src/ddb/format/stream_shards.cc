#include "ddb/format/stream_shards.h"

#include <cstdio>
#include <vector>

namespace ddb::streams {

uint64_t ShardStart(const StreamDesc& d, int64_t k) {
  return static_cast<uint64_t>(d.created_ms + k * d.shard_ms) * kSeqPerMs;
}
uint64_t ShardEnd(const StreamDesc& d, int64_t k) { return ShardStart(d, k + 1) - 1; }
int64_t ShardOf(const StreamDesc& d, uint64_t seq) {
  int64_t ms = static_cast<int64_t>(seq / kSeqPerMs);
  if (ms < d.created_ms) return 0;
  return (ms - d.created_ms) / d.shard_ms;
}
std::string ShardId(const StreamDesc& d, int64_t k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(d.created_ms + k * d.shard_ms));
  return "shardId-" + std::string(buf) + "-" + Hex(HashText(d.arn + "#" + std::to_string(k)), 8);
}
std::optional<int64_t> ParseShardId(const StreamDesc& d, std::string_view id) {
  if (id.size() != 37 || id.substr(0, 8) != "shardId-") return std::nullopt;
  auto ms = ParseSeq(id.substr(8, 20));
  if (!ms || static_cast<int64_t>(*ms) < d.created_ms) return std::nullopt;
  int64_t off = static_cast<int64_t>(*ms) - d.created_ms;
  if (off % d.shard_ms != 0) return std::nullopt;
  int64_t k = off / d.shard_ms;
  if (ShardId(d, k) != id) return std::nullopt;
  return k;
}

uint64_t ShardLast(const StreamDesc& d, const ShardSpan& s, int64_t k) {
  if (k < s.last) return ShardEnd(d, k);
  return s.last_open ? UINT64_MAX : d.end_seq;
}

std::string EncodeIterator(const ShardIterator& it) {
  std::string body = it.arn + "|" + std::to_string(it.shard) + "|" + std::to_string(it.position) +
                     "|" + std::to_string(it.issued_ms);
  return body + "|" + Hex(HashText("ddb-iterator:" + body), 16);
}

std::optional<ShardIterator> DecodeIterator(std::string_view text) {
  size_t check = text.rfind('|');
  if (check == std::string_view::npos) return std::nullopt;
  std::string_view body = text.substr(0, check);
  if (Hex(HashText("ddb-iterator:" + std::string(body)), 16) != text.substr(check + 1)) {
    return std::nullopt;
  }
  // body = <arn>|<shard>|<position>|<issued>; the ARN has no '|'.
  std::vector<std::string_view> parts;  // issued, position, shard
  for (int i = 0; i < 3; ++i) {
    size_t bar = body.rfind('|');
    if (bar == std::string_view::npos) return std::nullopt;
    parts.push_back(body.substr(bar + 1));
    body = body.substr(0, bar);
  }
  ShardIterator it;
  it.arn.assign(body);
  auto issued = ParseSeq(parts[0]);
  auto pos = ParseSeq(parts[1]);
  auto shard = ParseSeq(parts[2]);
  if (!issued || !pos || !shard) return std::nullopt;
  it.issued_ms = static_cast<int64_t>(*issued);
  it.position = *pos;
  it.shard = static_cast<int64_t>(*shard);
  return it;
}

}  // namespace ddb::streams
