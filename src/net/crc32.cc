#include "net/crc32.h"

#include <zlib.h>

namespace net {

uint32_t Crc32(std::string_view bytes, uint32_t crc) {
  // zlib's crc32 takes a uInt length; feed large inputs in slices.
  const auto* p = reinterpret_cast<const Bytef*>(bytes.data());
  size_t left = bytes.size();
  uLong c = crc;
  while (left > 0) {
    uInt n = left > (1u << 30) ? (1u << 30) : static_cast<uInt>(left);
    c = crc32(c, p, n);
    p += n;
    left -= n;
  }
  return static_cast<uint32_t>(c);
}

}  // namespace net
