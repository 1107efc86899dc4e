#include "ddb/format/pitr_records.h"

#include "ddb/format/keys.h"

namespace ddb::pitr {
namespace {

constexpr char kAbsent = 0;
constexpr char kPresent = 1;

void AppendBigEndian32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}
uint32_t ReadBigEndian32(std::string_view b) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return v;
}

}  // namespace

std::string EncodeUndoRecord(bool present, std::string_view item_key, std::string_view stored) {
  std::string value(1, present ? kPresent : kAbsent);
  AppendBigEndian32(static_cast<uint32_t>(item_key.size()), &value);
  value += item_key;
  if (present) value += stored;
  return value;
}

Result<UndoRecord> ParseUndoRecord(std::string_view v) {
  auto bad = [] { return Internal("corrupt point-in-time log record"); };
  if (v.size() < 5 || (v[0] != kAbsent && v[0] != kPresent)) return bad();
  uint32_t len = ReadBigEndian32(v.substr(1, 4));
  if (v.size() < 5 + static_cast<size_t>(len)) return bad();
  UndoRecord r;
  r.present = v[0] == kPresent;
  r.item_key = v.substr(5, len);
  r.stored = v.substr(5 + len);
  return r;
}

uint64_t TableIdOfUndoKey(std::string_view key) {
  return ReadBigEndian64(key.substr(keys::UndoLogPrefix().size(), 8));
}

std::string EncodeScratchValue(const UndoRecord& r) {
  std::string value(1, r.present ? kPresent : kAbsent);
  value += r.stored;
  return value;
}

ScratchImage ParseScratchValue(std::string_view v) {
  ScratchImage s;
  s.present = !v.empty() && v[0] == kPresent;
  if (s.present) s.stored = v.substr(1);
  return s;
}

}  // namespace ddb::pitr
