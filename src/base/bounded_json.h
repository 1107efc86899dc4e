// Bounded JSON parsing: RapidJSON's parser with a limit on nesting depth that
// is enforced while parsing, not after.
//
// Why by hand: RapidJSON's iterative mode keeps a deep document from
// overflowing the parser's stack, but it still builds the whole tree, and
// every later walk over that tree (serializing, fingerprinting, validating)
// would recurse as deep. RapidJSON has no depth option, so a SAX filter in
// front of the document stops the parse at the first value that opens one
// level too many: memory and time stay proportional to what is accepted.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/error/error.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace base {

// How a bounded parse ended.
struct JsonParseOutcome {
  // kParseErrorNone on success; the parser's error otherwise. A document too
  // deep ends with kParseErrorTermination and `too_deep` set.
  rapidjson::ParseErrorCode error = rapidjson::kParseErrorNone;
  // Byte offset of the error in the input.
  size_t offset = 0;
  // True when the input nests objects/arrays deeper than the limit.
  bool too_deep = false;
  // True when a string's \u escapes encode a lone surrogate (which has no
  // UTF-8 form); the error is then kParseErrorStringUnicodeSurrogateInvalid.
  bool lone_surrogate = false;

  bool ok() const { return error == rapidjson::kParseErrorNone; }
};

namespace internal {

// Forwards SAX events to `Target` (a GenericDocument) while counting open
// objects and arrays; refuses the one that would exceed `max_depth`.
template <typename Target>
class DepthFilter {
 public:
  using Ch = typename Target::Ch;
  DepthFilter(Target& target, unsigned max_depth) : t_(target), max_(max_depth) {}

  bool Null() { return t_.Null(); }
  bool Bool(bool b) { return t_.Bool(b); }
  bool Int(int i) { return t_.Int(i); }
  bool Uint(unsigned i) { return t_.Uint(i); }
  bool Int64(int64_t i) { return t_.Int64(i); }
  bool Uint64(uint64_t i) { return t_.Uint64(i); }
  bool Double(double d) { return t_.Double(d); }
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool copy) { return t_.RawNumber(s, n, copy); }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) {
    return ValidText(s, n) && t_.String(s, n, copy);
  }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) {
    return ValidText(s, n) && t_.Key(s, n, copy);
  }
  bool StartObject() { return Open() && t_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return t_.EndObject(n);
  }
  bool StartArray() { return Open() && t_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return t_.EndArray(n);
  }

  bool too_deep() const { return too_deep_; }
  bool lone_surrogate() const { return lone_surrogate_; }

 private:
  // The input is validated UTF-8, but RapidJSON turns an escaped lone low
  // surrogate ("\udc00") into the bytes ED B0 80, which are not UTF-8 (and
  // would make responses that echo them unparsable). Surrogates encode as
  // ED A0..BF; any other ED byte starts an ordinary character.
  bool ValidText(const Ch* s, rapidjson::SizeType n) {
    const char* p = reinterpret_cast<const char*>(s);
    const char* end = p + n;
    while ((p = static_cast<const char*>(std::memchr(p, '\xED', end - p))) != nullptr) {
      if (p + 1 < end && (static_cast<unsigned char>(p[1]) & 0xE0) == 0xA0) {
        lone_surrogate_ = true;
        return false;
      }
      ++p;
    }
    return true;
  }

  bool Open() {
    if (++depth_ > max_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  Target& t_;
  unsigned max_;
  unsigned depth_ = 0;
  bool too_deep_ = false;
  bool lone_surrogate_ = false;
};

}  // namespace internal

// True when every byte of `text` is 0x01..0x7F: ASCII (so valid UTF-8) with
// no NUL, so that a parse of the NUL-terminated string reads it to its end,
// exactly as a parse bounded by its length.
inline bool IsPlainAscii(std::string_view text) {
  // Blocks of 64 bytes without an early exit inside, so that the compiler
  // makes the check of a block a few vector instructions.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  for (; n >= 64; p += 64, n -= 64) {
    unsigned char bad = 0;
    for (int i = 0; i < 64; ++i) bad |= static_cast<unsigned char>(p[i] - 1) >= 0x7F ? 1 : 0;
    if (bad) return false;
  }
  for (; n > 0; ++p, --n) {
    if (static_cast<unsigned char>(*p - 1) >= 0x7F) return false;
  }
  return true;
}

namespace internal {

// Parses `stream` into `*doc` through a DepthFilter (ParseBoundedJson).
template <unsigned kFlags, typename Document, typename Stream>
JsonParseOutcome ParseFiltered(Document* doc, Stream& stream, unsigned max_depth,
                               typename Document::AllocatorType* stack_allocator) {
  using Reader =
      rapidjson::GenericReader<typename Document::EncodingType, typename Document::EncodingType,
                               typename Document::AllocatorType>;
  JsonParseOutcome outcome;
  auto generate = [&](Document& target) {
    DepthFilter<Document> filter(target, max_depth);
    Reader reader(stack_allocator);
    rapidjson::ParseResult r =
        reader.template Parse<kFlags | rapidjson::kParseIterativeFlag>(stream, filter);
    outcome.error = r.Code();
    outcome.offset = r.Offset();
    outcome.too_deep = filter.too_deep();
    outcome.lone_surrogate = filter.lone_surrogate();
    if (outcome.lone_surrogate) outcome.error = rapidjson::kParseErrorStringUnicodeSurrogateInvalid;
    return !r.IsError();
  };
  doc->Populate(generate);
  if (!outcome.ok()) doc->SetNull();
  return outcome;
}

}  // namespace internal

// Parses `text` into `*doc` with RapidJSON flags `kFlags` (iterative parsing
// is always added), refusing input nested deeper than `max_depth` objects and
// arrays (the top-level value counts as depth 1). `stack_allocator` (may be
// null) serves the parser's own stack. On failure `*doc` is null and the
// outcome says why; on success `*doc` holds the value.
template <unsigned kFlags, typename Document>
JsonParseOutcome ParseBoundedJson(Document* doc, std::string_view text, unsigned max_depth,
                                  typename Document::AllocatorType* stack_allocator = nullptr) {
  rapidjson::MemoryStream bytes(text.data(), text.size());
  rapidjson::EncodedInputStream<typename Document::EncodingType, rapidjson::MemoryStream> stream(
      bytes);
  return internal::ParseFiltered<kFlags>(doc, stream, max_depth, stack_allocator);
}

// The same for a std::string, whose terminating NUL lets plain ASCII text
// (IsPlainAscii) take RapidJSON's fastest input stream: it scans strings and
// whitespace 16 bytes at a time (RAPIDJSON_SSE2, CMakeLists.txt), and has no
// UTF-8 to validate. Other text is parsed as above. The outcome is the same
// either way.
template <unsigned kFlags, typename Document>
JsonParseOutcome ParseBoundedJson(Document* doc, const std::string& text, unsigned max_depth,
                                  typename Document::AllocatorType* stack_allocator = nullptr) {
  if (!IsPlainAscii(text)) {
    return ParseBoundedJson<kFlags>(doc, std::string_view(text), max_depth, stack_allocator);
  }
  rapidjson::StringStream stream(text.c_str());
  return internal::ParseFiltered<kFlags & ~unsigned{rapidjson::kParseValidateEncodingFlag}>(
      doc, stream, max_depth, stack_allocator);
}

}  // namespace base
