// SrpChallenges: the pending USER_SRP_AUTH sign-ins between InitiateAuth and
// RespondToAuthChallenge PASSWORD_VERIFIER, in memory.
//
// Why in memory: a challenge lives 3 minutes (Cognito's session validity)
// and holds the server's secret b, which should never reach the disk; a
// restart only makes in-flight sign-ins start over. The SECRET_BLOCK a client
// sees is 64 random bytes (base64) naming the entry; it carries nothing
// itself. Each challenge is answered once: Take removes it, so a captured
// PASSWORD_CLAIM_SIGNATURE cannot be replayed.
//
// Bounded: expired entries are dropped on every Put, and beyond kMaxPending
// the oldest go first (a client flooding InitiateAuth only evicts its own
// and others' pending sign-ins, which then start over).
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/userpool/srp.h"

namespace cruddur::userpool {

struct SrpChallenge {
  std::string username;      // USER_ID_FOR_SRP (for an unknown user: the name given)
  bool real = false;         // false: a decoy for a user who cannot do SRP
  std::string A_hex;         // the client's public value
  SrpServerKey server;       // b and B
  std::string verifier_hex;  // the verifier B was made from
  int64_t expires_ms = 0;    // epoch ms
};

class SrpChallenges {
 public:
  static constexpr size_t kMaxPending = 10000;

  // Stores `challenge` and returns its SECRET_BLOCK (standard base64).
  base::Result<std::string> Put(SrpChallenge challenge, int64_t now_ms);

  // Removes and returns the challenge of this SECRET_BLOCK, or nullopt if
  // there is none (never issued, answered already, evicted). An expired one
  // is returned too: the caller words that error.
  std::optional<SrpChallenge> Take(std::string_view secret_block);

 private:
  std::mutex mu_;
  std::map<std::string, SrpChallenge> by_block_;   // key: Sha256Hex(secret block)
  std::multimap<int64_t, std::string> by_expiry_;  // expires_ms -> key
};

}  // namespace cruddur::userpool
