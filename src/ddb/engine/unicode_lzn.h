// Unicode general categories L, Z and N: the \p{L}\p{Z}\p{N} classes of
// DynamoDB's tag pattern, from a generated range table (unicode_lzn.cc says
// how it was generated and from which Unicode version).
#pragma once

namespace ddb::ops {

// True when `cp` is a letter (Lu Ll Lt Lm Lo), a separator (Zs Zl Zp) or a
// number (Nd Nl No). Code points outside Unicode's range answer false.
bool IsLetterSeparatorOrNumber(char32_t cp);

// True when the table's ranges are well formed, sorted and disjoint (for tests).
bool LznRangesSorted();

}  // namespace ddb::ops
