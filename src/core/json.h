// A minimal JSON object writer for the answers the C ABI returns (flat objects, one level of nesting).
#pragma once
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace edgepix {

// `value` as a quoted JSON string.
inline std::string json_string(std::string_view value) {
  std::string text = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      text += '\\';
      text += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      text += escaped;
    } else {
      text += c;
    }
  }
  return text + '"';
}

class JsonObject {
 public:
  JsonObject& add(std::string_view key, std::string_view value) {
    key_(key);
    quote(value);
    return *this;
  }
  JsonObject& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonObject& add(std::string_view key, uint64_t value) {
    key_(key);
    text_ += std::to_string(value);
    return *this;
  }
  JsonObject& add(std::string_view key, bool value) {
    key_(key);
    text_ += value ? "true" : "false";
    return *this;
  }
  JsonObject& add(std::string_view key, const std::vector<std::string>& values) {
    key_(key);
    text_ += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) text_ += ',';
      quote(values[i]);
    }
    text_ += ']';
    return *this;
  }
  JsonObject& add(std::string_view key, const JsonObject& nested) {
    key_(key);
    text_ += nested.str();
    return *this;
  }
  std::string str() const { return "{" + text_ + "}"; }
  // A value already written as JSON (an array, a number, null), inserted as it is.
  JsonObject& add_json(std::string_view key, std::string_view json) {
    key_(key);
    text_ += json;
    return *this;
  }

 private:
  void key_(std::string_view key) {
    if (!text_.empty()) text_ += ',';
    quote(key);
    text_ += ':';
  }
  void quote(std::string_view value) { text_ += json_string(value); }
  std::string text_;
};

}  // namespace edgepix
