// CRC32 (IEEE 802.3, as zlib's crc32 computes it): the checksum DynamoDB sends in the
// x-amz-crc32 response header and that botocore verifies over the exact body
// bytes it receives.
#pragma once

#include <cstdint>
#include <string_view>

namespace net {

// CRC32 of `bytes`, continuing from `crc` (0 to start).
uint32_t Crc32(std::string_view bytes, uint32_t crc = 0);

}  // namespace net
