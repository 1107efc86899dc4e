#include "cruddur/userpool/attributes.h"

#include <array>

#include "base/ascii.h"
#include "cruddur/userpool/pool_error.h"

namespace cruddur::userpool {
namespace {

constexpr std::array<std::string_view, 20> kStandard = {"address",
                                                        "birthdate",
                                                        "email",
                                                        "email_verified",
                                                        "family_name",
                                                        "gender",
                                                        "given_name",
                                                        "locale",
                                                        "middle_name",
                                                        "name",
                                                        "nickname",
                                                        "phone_number",
                                                        "phone_number_verified",
                                                        "picture",
                                                        "preferred_username",
                                                        "profile",
                                                        "sub",
                                                        "updated_at",
                                                        "website",
                                                        "zoneinfo"};

constexpr std::string_view kCustomPrefix = "custom:";

size_t CountChars(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool ValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  int labels = 0;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    ++labels;
    start = dot + 1;
  }
  return labels >= 2;
}

}  // namespace

bool IsVerifiedFlag(std::string_view name) {
  return name == "email_verified" || name == "phone_number_verified";
}

bool IsStandardAttribute(std::string_view name) {
  for (std::string_view s : kStandard) {
    if (s == name) return true;
  }
  return false;
}

bool IsEmail(std::string_view text) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  const std::string_view local = text.substr(0, at);
  return !local.empty() && local.size() <= 64 && ValidDomain(text.substr(at + 1));
}

base::Status CheckAttributeWrites(const AttributeList& attributes, AttributeWriter writer,
                                  const std::vector<std::string>& custom_attributes) {
  for (const auto& [name, value] : attributes) {
    const bool client = writer == AttributeWriter::kClient;
    if (name == "sub") {
      return client ? NotAuthorized("A client attempted to write unauthorized attribute")
                    : InvalidParameter("Cannot modify the non-mutable attribute sub");
    }
    if (IsVerifiedFlag(name)) {
      if (client) return NotAuthorized("A client attempted to write unauthorized attribute");
      if (writer == AttributeWriter::kUser) {
        return InvalidParameter("Cannot modify the non-mutable attribute " + name);
      }
      const std::string flag = base::AsciiLowercase(value);
      if (flag != "true" && flag != "false") {
        return InvalidParameter("Invalid value for attribute " + name + ": must be true or false");
      }
      continue;
    }
    if (name.starts_with(kCustomPrefix)) {
      const std::string_view bare = std::string_view(name).substr(kCustomPrefix.size());
      bool declared = false;
      for (const auto& c : custom_attributes) declared |= c == bare;
      if (!declared) {
        return InvalidParameter("Attributes did not conform to the schema: Type for attribute {" +
                                name + "} could not be determined");
      }
    } else if (!IsStandardAttribute(name)) {
      return InvalidParameter("Attributes did not conform to the schema: " + name +
                              ": Attribute does not exist in the schema.");
    }
    if (CountChars(value) > kMaxAttributeValueChars) {
      return InvalidParameter("Attributes did not conform to the schema: " + name +
                              ": String must be no longer than " +
                              std::to_string(kMaxAttributeValueChars) + " characters");
    }
    if (name == "email" && !IsEmail(value)) {
      return InvalidParameter("Invalid email address format.");
    }
  }
  return base::Status::Ok();
}

base::Status CheckCustomAttributeNames(const std::vector<std::string>& names) {
  if (names.size() > kMaxCustomAttributes) {
    return InvalidParameter("a user pool has at most " + std::to_string(kMaxCustomAttributes) +
                            " custom attributes, not " + std::to_string(names.size()));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    const size_t chars = CountChars(n);
    bool printable = true;
    for (char c : n) {
      const auto u = static_cast<unsigned char>(c);
      printable &= u > 0x20 && u != 0x7F;
    }
    if (chars < 1 || chars > kMaxCustomAttributeNameChars || !printable ||
        n.starts_with(kCustomPrefix)) {
      return InvalidParameter("custom attribute name '" + n +
                              "' must be 1 to 20 characters without spaces (and without the "
                              "custom: prefix)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (names[j] == n) return InvalidParameter("custom attribute " + n + " is declared twice");
    }
  }
  return base::Status::Ok();
}

const std::string* FindAttribute(const AttributeList& attributes, std::string_view name) {
  for (const auto& [n, v] : attributes) {
    if (n == name) return &v;
  }
  return nullptr;
}

void SetAttribute(AttributeList& attributes, std::string_view name, std::string value) {
  for (auto& [n, v] : attributes) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  attributes.emplace_back(std::string(name), std::move(value));
}

std::string MaskEmail(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return "***";
  // The first character of each part, whole (it may be several UTF-8 bytes).
  auto first_char = [&](size_t i) {
    size_t end = i + 1;
    while (end < email.size() && (static_cast<unsigned char>(email[end]) & 0xC0) == 0x80) ++end;
    return email.substr(i, end - i);
  };
  return std::string(first_char(0)) + "***@" + std::string(first_char(at + 1)) + "***";
}

}  // namespace cruddur::userpool
