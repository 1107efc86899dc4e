// Storage-key encoding of primary-key values. Everything here is part of the
// on-disk format: changing it makes existing databases unreadable.
#include "ddb/model/key_codec.h"

#include "ddb/model/number.h"

namespace ddb {
namespace {

// Type tags, shared by the hash input and the partition key part.
char TypeTag(AttrType t) {
  switch (t) {
    case AttrType::kS:
      return 'S';
    case AttrType::kN:
      return 'N';
    case AttrType::kB:
      return 'B';
    default:
      return '?';
  }
}

void AppendVarint32(uint32_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace

// PartitionHash (on-disk format, do not change):
//   h = FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) over
//       the type tag byte ('S', 'N' or 'B') followed by the value bytes (UTF-8
//       text for S, canonical number text for N, raw bytes for B);
//   then MurmurHash3's fmix64 finalizer, so that the high bits (which decide
//   the key-space position, hence Scan order and parallel Scan segments) are
//   well mixed even for short keys.
uint64_t PartitionHash(const AttributeValue& partition_key) {
  uint64_t h = 0xcbf29ce484222325ULL;
  constexpr uint64_t kPrime = 0x100000001b3ULL;
  h ^= static_cast<uint8_t>(TypeTag(partition_key.type));
  h *= kPrime;
  for (char c : partition_key.scalar) {
    h ^= static_cast<uint8_t>(c);
    h *= kPrime;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// Layout: 8-byte big-endian PartitionHash, type tag byte, LEB128 varint32 of
// the value length, value bytes (as hashed).
void AppendPartitionKey(const AttributeValue& partition_key, std::string* out) {
  AppendBigEndian64(PartitionHash(partition_key), out);
  out->push_back(TypeTag(partition_key.type));
  AppendVarint32(static_cast<uint32_t>(partition_key.scalar.size()), out);
  out->append(partition_key.scalar);
}

size_t PartitionPartSize(std::string_view encoded) {
  size_t pos = 9;  // the hash and the type tag
  uint32_t length = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (pos >= encoded.size()) return 0;
    auto byte = static_cast<uint8_t>(encoded[pos++]);
    length |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if (byte < 0x80) {
      return encoded.size() - pos >= length ? pos + length : 0;
    }
  }
  return 0;
}

// S and B: the raw bytes (bytewise order is DynamoDB's order). N: the
// order-preserving number encoding of number.h.
void AppendSortKey(const AttributeValue& sort_key, std::string* out) {
  if (sort_key.type == AttrType::kN) {
    out->append(EncodeNumberOrdered(sort_key.scalar));
  } else {
    out->append(sort_key.scalar);
  }
}

AttributeValue DecodeSortKey(AttrType type, std::string_view encoded) {
  switch (type) {
    case AttrType::kN:
      return AttributeValue::N(DecodeNumberOrdered(encoded));
    case AttrType::kB:
      return AttributeValue::B(std::string(encoded));
    default:
      return AttributeValue::S(std::string(encoded));
  }
}

void AppendBigEndian64(uint64_t v, std::string* out) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
  out->append(buf, 8);
}

uint64_t ReadBigEndian64(std::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

}  // namespace ddb
