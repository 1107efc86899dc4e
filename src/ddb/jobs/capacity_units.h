// Consumed: capacity units by table and index. What a request costs
// (engine/capacity.h works it out and writes it into responses) and what the
// throttler (throttle.h) draws from its token buckets.
#pragma once

#include <map>
#include <string>

namespace ddb {

// Units consumed by one request on one table.
struct Consumed {
  double table = 0;
  std::map<std::string, double> gsis;  // by index name
  std::map<std::string, double> lsis;
  double Total() const;
  void Add(const Consumed& other);
  // Multiplies every part (transactional writes cost twice).
  void Scale(double factor);
};

}  // namespace ddb
