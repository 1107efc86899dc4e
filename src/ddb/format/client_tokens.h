// The stored form of a TransactWriteItems ClientRequestToken: what a
// committed transaction leaves under keys::ClientTokenKey(token), in the same
// write batch as its items, so that a replay of the request after a restart
// (clean or not) is still recognised for the rest of the token's ten minutes.
//
// Layout: the commit time (milliseconds since the epoch, 8 bytes big-endian),
// then the request's fingerprint (RequestFingerprint, 32 hex digits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ddb {

struct ClientTokenRecord {
  uint64_t committed_ms = 0;  // when the transaction was written
  std::string fingerprint;    // RequestFingerprint of its parameters
};

std::string EncodeClientToken(const ClientTokenRecord& record);

// nullopt for a truncated or malformed record (the caller drops it).
std::optional<ClientTokenRecord> DecodeClientToken(std::string_view record);

// A 128-bit hash (FNV-1a) of a request's canonical parameters, as 32 lower-case
// hex digits: equal parameters give equal fingerprints in every process and
// build. Not a cryptographic hash: two requests that collide would need the
// same token, which only their one client chooses.
std::string RequestFingerprint(std::string_view canonical);

}  // namespace ddb
