// Request ids in DynamoDB's shape: 52 characters of [A-Z0-9], sent in the
// x-amzn-RequestId header of every response.
#pragma once

#include <cstddef>
#include <string>

namespace net {

inline constexpr size_t kRequestIdLength = 52;

// Writes a fresh random id to out[0..kRequestIdLength) (no terminator).
// Thread-safe and lock-free: each thread has its own generator, seeded from
// std::random_device. Ids are unique in practice, not secret.
void NewRequestId(char* out);

// Convenience: the id as a string.
std::string NewRequestId();

}  // namespace net
