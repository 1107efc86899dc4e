// Order-preserving encoding of primary-key values into storage keys.
//
// A stored item's key is  <table prefix> <8-byte partition hash> <partition
// key part> <sort key part>.  The hash spreads partitions over the key space
// the way DynamoDB does (Scan order is by hash; parallel Scan segments are
// hash ranges), and the sort key part sorts exactly as DynamoDB sorts: numbers
// numerically, strings and binaries bytewise.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ddb/model/attribute_value.h"

namespace ddb {

// 64-bit hash of a partition key value (type-aware: S "1" and N "1" differ).
// Stable across releases: it is part of the on-disk format.
uint64_t PartitionHash(const AttributeValue& partition_key);

// Appends the 8-byte big-endian hash, then a self-delimiting encoding of the
// partition key value (type tag + length + bytes).
void AppendPartitionKey(const AttributeValue& partition_key, std::string* out);

// The length of the partition key part (AppendPartitionKey's bytes) at the
// start of `encoded`, or 0 if `encoded` does not start with a whole one.
size_t PartitionPartSize(std::string_view encoded);

// Appends the order-preserving encoding of a sort key value (S/N/B). It is
// the last part of a key, so it needs no terminator: for values of the same
// type, x < y  <=>  encoding(x) < encoding(y) bytewise.
void AppendSortKey(const AttributeValue& sort_key, std::string* out);

// Decodes a sort key part back (type must be known from the schema).
AttributeValue DecodeSortKey(AttrType type, std::string_view encoded);

// Writes 8 bytes big-endian.
void AppendBigEndian64(uint64_t v, std::string* out);
uint64_t ReadBigEndian64(std::string_view bytes);

}  // namespace ddb
