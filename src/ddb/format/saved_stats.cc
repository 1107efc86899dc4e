#include "ddb/format/saved_stats.h"

#include "ddb/format/keys.h"

namespace ddb {
namespace {

constexpr char kVersion = 1;

void Put(int64_t v, std::string* out) { AppendBigEndian64(static_cast<uint64_t>(v), out); }
void Put(uint64_t v, std::string* out) { AppendBigEndian64(v, out); }

// Reads 8 bytes at `*pos`; false past the end.
bool Take(std::string_view in, size_t* pos, uint64_t* v) {
  if (in.size() - *pos < 8) return false;
  *v = ReadBigEndian64(in.substr(*pos, 8));
  *pos += 8;
  return true;
}
bool Take(std::string_view in, size_t* pos, int64_t* v) {
  uint64_t u = 0;
  if (!Take(in, pos, &u)) return false;
  *v = static_cast<int64_t>(u);
  return true;
}

}  // namespace

std::string EncodeSavedStats(const SavedStats& stats) {
  std::string out(1, kVersion);
  Put(static_cast<uint64_t>(stats.size()), &out);
  for (const auto& [id, s] : stats) {
    Put(id, &out);
    Put(s.item_count, &out);
    Put(s.size_bytes, &out);
    Put(static_cast<uint64_t>(s.indexes.size()), &out);
    for (const auto& [index_id, i] : s.indexes) {
      Put(index_id, &out);
      Put(i.item_count, &out);
      Put(i.size_bytes, &out);
    }
  }
  return out;
}

std::optional<SavedStats> DecodeSavedStats(std::string_view record) {
  if (record.empty() || record[0] != kVersion) return std::nullopt;
  size_t pos = 1;
  uint64_t tables = 0;
  if (!Take(record, &pos, &tables)) return std::nullopt;
  SavedStats out;
  for (uint64_t t = 0; t < tables; ++t) {
    uint64_t id = 0, indexes = 0;
    TableStats s;
    if (!Take(record, &pos, &id) || !Take(record, &pos, &s.item_count) ||
        !Take(record, &pos, &s.size_bytes) || !Take(record, &pos, &indexes)) {
      return std::nullopt;
    }
    for (uint64_t i = 0; i < indexes; ++i) {
      uint64_t index_id = 0;
      TableStats::Index index;
      if (!Take(record, &pos, &index_id) || !Take(record, &pos, &index.item_count) ||
          !Take(record, &pos, &index.size_bytes)) {
        return std::nullopt;
      }
      s.indexes[index_id] = index;
    }
    out[id] = std::move(s);
  }
  if (pos != record.size()) return std::nullopt;
  return out;
}

}  // namespace ddb
