#include "cruddur/api/json_views.h"

#include "base/json_string.h"

namespace cruddur::api {
namespace {

// A JSON object appended to `out`, field by field (base::AppendJsonString:
// a page of messages is a hundred short strings).
class Object {
 public:
  explicit Object(std::string& out) : out_(out) { out_.push_back('{'); }
  Object& Field(std::string_view name, std::string_view value) {
    Name(name);
    base::AppendJsonString(out_, value);
    return *this;
  }
  Object& Null(std::string_view name) {
    Name(name);
    out_ += "null";
    return *this;
  }
  void End() { out_.push_back('}'); }

 private:
  void Name(std::string_view name) {
    if (!first_) out_.push_back(',');
    first_ = false;
    base::AppendJsonString(out_, name);
    out_.push_back(':');
  }
  std::string& out_;
  bool first_ = true;
};

Object& MessageFields(Object& o, const messaging::Message& m) {
  return o.Field("uuid", m.uuid)
      .Field("display_name", m.sender.display_name)
      .Field("handle", m.sender.handle)
      .Field("message", m.message)
      .Field("created_at", m.created_at);
}

// [each(element)...], `each` appending one value.
template <typename T, typename F>
std::string Array(const std::vector<T>& elements, size_t bytes_each, F each) {
  std::string out;
  out.reserve(2 + elements.size() * bytes_each);
  out.push_back('[');
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out.push_back(',');
    each(out, elements[i]);
  }
  out.push_back(']');
  return out;
}

}  // namespace

std::string ConversationsJson(const std::vector<messaging::Conversation>& conversations) {
  return Array(conversations, 256, [](std::string& out, const messaging::Conversation& c) {
    Object(out)
        .Field("uuid", c.message_group_uuid)
        .Field("display_name", c.other.display_name)
        .Field("handle", c.other.handle)
        .Field("message", c.message)
        .Field("created_at", c.created_at)
        .End();
  });
}

std::string MessagesJson(const std::vector<messaging::Message>& messages) {
  return Array(messages, 256, [](std::string& out, const messaging::Message& m) {
    Object o(out);
    MessageFields(o, m).End();
  });
}

std::string SentMessageJson(const messaging::SentMessage& sent) {
  std::string out;
  Object o(out);
  MessageFields(o, sent.message).Field("message_group_uuid", sent.message_group_uuid).End();
  return out;
}

std::string UserShortJson(const users::User& user,
                          const std::optional<std::string>& message_group_uuid) {
  std::string out;
  Object o(out);
  o.Field("uuid", user.uuid).Field("handle", user.handle).Field("display_name", user.display_name);
  if (message_group_uuid) {
    o.Field("message_group_uuid", *message_group_uuid);
  } else {
    o.Null("message_group_uuid");
  }
  o.End();
  return out;
}

std::string ErrorsJson(std::span<const std::string_view> codes) {
  std::string out = "{\"errors\":[";
  for (size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out.push_back(',');
    base::AppendJsonString(out, codes[i]);
  }
  out += "]}";
  return out;
}

}  // namespace cruddur::api
