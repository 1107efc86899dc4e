#include "net/request_id.h"

#include <cstdint>
#include <random>
#include <thread>

namespace net {
namespace {

// xoshiro256** (Blackman & Vigna): fast, 256 bits of state, plenty for ids.
class Xoshiro256 {
 public:
  Xoshiro256() {
    std::random_device rd;
    uint64_t seed = (uint64_t{rd()} << 32) ^ rd();
    seed ^= std::hash<std::thread::id>{}(std::this_thread::get_id());
    for (auto& s : s_) s = SplitMix(seed);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr uint64_t kRadix = 36;
// 36^12 < 2^64: twelve characters per 64-bit draw. The modulo bias is below
// 2^-2, irrelevant for ids.
constexpr int kCharsPerDraw = 12;

}  // namespace

void NewRequestId(char* out) {
  thread_local Xoshiro256 rng;
  size_t i = 0;
  while (i < kRequestIdLength) {
    uint64_t r = rng.Next();
    for (int k = 0; k < kCharsPerDraw && i < kRequestIdLength; ++k, ++i) {
      out[i] = kAlphabet[r % kRadix];
      r /= kRadix;
    }
  }
}

std::string NewRequestId() {
  std::string id(kRequestIdLength, '\0');
  NewRequestId(id.data());
  return id;
}

}  // namespace net
