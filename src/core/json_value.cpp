#include "core/json_value.h"

#include "core/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace edgepix {

namespace {
Status malformed(const JsonReadLimits& limits, size_t at, const char* why) {
  return error(limits.code, std::string(limits.subject) + " is not valid JSON at character " + std::to_string(at) + ": " + why);
}

void append_utf8(uint32_t code, std::string* out) {
  if (code < 0x80) {
    *out += char(code);
  } else if (code < 0x800) {
    *out += char(0xC0 | (code >> 6));
    *out += char(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    *out += char(0xE0 | (code >> 12));
    *out += char(0x80 | ((code >> 6) & 0x3F));
    *out += char(0x80 | (code & 0x3F));
  } else {
    *out += char(0xF0 | (code >> 18));
    *out += char(0x80 | ((code >> 12) & 0x3F));
    *out += char(0x80 | ((code >> 6) & 0x3F));
    *out += char(0x80 | (code & 0x3F));
  }
}
}  // namespace

class JsonParser {
 public:
  JsonParser(std::string_view text, const JsonReadLimits& limits) : text_(text), limits_(limits) {}

  Status value(JsonValue* out, int depth) {
    if (depth > limits_.max_depth) return malformed(at_, "nested too deeply");
    skip_space();
    if (at_ >= text_.size()) return malformed(at_, "a value was expected");
    const char c = text_[at_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') return out->kind_ = JsonValue::Kind::string, string(&out->string_);
    if (literal("true")) return out->kind_ = JsonValue::Kind::boolean, out->boolean_ = true, Status();
    if (literal("false")) return out->kind_ = JsonValue::Kind::boolean, Status();
    if (literal("null")) return {};
    return number(out);
  }

  Status finish() {
    skip_space();
    return at_ == text_.size() ? Status() : malformed(at_, "text after the value");
  }

 private:
  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  bool take(char c) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == c) return ++at_, true;
    return false;
  }

  Status number(JsonValue* out) {
    const size_t start = at_;
    while (at_ < text_.size() && std::string_view("+-0123456789.eE").find(text_[at_]) != std::string_view::npos) ++at_;
    const std::string digits(text_.substr(start, at_ - start));
    char* end = nullptr;
    out->number_ = digits.empty() ? 0 : std::strtod(digits.c_str(), &end);
    if (digits.empty() || *end != 0 || !std::isfinite(out->number_)) return malformed(start, "not a value");
    out->kind_ = JsonValue::Kind::number;
    return {};
  }

  Status hex4(uint32_t* code) {
    if (at_ + 4 > text_.size()) return malformed(at_, "a short \\u escape");
    const std::string hex(text_.substr(at_, 4));
    char* end = nullptr;
    *code = uint32_t(std::strtoul(hex.c_str(), &end, 16));
    if (*end != 0) return malformed(at_, "a bad \\u escape");
    at_ += 4;
    return {};
  }

  Status escape(std::string* out) {
    const char c = text_[at_++];
    const std::string_view from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
    if (from.find(c) != std::string_view::npos) return *out += to[from.find(c)], Status();
    if (c != 'u') return malformed(at_ - 1, "an unknown escape");
    uint32_t code = 0;
    EP_TRY(hex4(&code));
    if (code >= 0xD800 && code < 0xDC00 && literal("\\u")) {  // a surrogate pair
      uint32_t low = 0;
      EP_TRY(hex4(&low));
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(code, out);
    return {};
  }

  Status string(std::string* out) {
    ++at_;  // the opening quote
    while (at_ < text_.size() && text_[at_] != '"') {
      const char c = text_[at_++];
      if (static_cast<unsigned char>(c) < 0x20) return malformed(at_ - 1, "a control character in a string");
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (at_ >= text_.size()) break;
      EP_TRY(escape(out));
    }
    if (at_ >= text_.size()) return malformed(at_, "an unterminated string");
    ++at_;
    return {};
  }

  Status array(JsonValue* out, int depth) {
    ++at_;
    out->kind_ = JsonValue::Kind::array;
    if (take(']')) return {};
    do {
      out->items_.emplace_back();
      EP_TRY(value(&out->items_.back(), depth + 1));
    } while (take(','));
    return take(']') ? Status() : malformed(at_, "',' or ']' expected");
  }

  Status object(JsonValue* out, int depth) {
    ++at_;
    out->kind_ = JsonValue::Kind::object;
    if (take('}')) return {};
    do {
      skip_space();
      if (at_ >= text_.size() || text_[at_] != '"') return malformed(at_, "a quoted key expected");
      out->members_.emplace_back();
      EP_TRY(string(&out->members_.back().first));
      if (!take(':')) return malformed(at_, "':' expected");
      EP_TRY(value(&out->members_.back().second, depth + 1));
    } while (take(','));
    return take('}') ? Status() : malformed(at_, "',' or '}' expected");
  }

  Status malformed(size_t at, const char* why) const { return edgepix::malformed(limits_, at, why); }

  std::string_view text_;
  const JsonReadLimits& limits_;
  size_t at_ = 0;
};

const JsonValue* JsonValue::find(std::string_view key) const {
  const JsonValue* found = nullptr;
  for (const auto& member : members_)
    if (member.first == key) found = &member.second;
  return found;
}

Result<JsonValue> parse_json(std::string_view text) { return parse_json(text, JsonReadLimits()); }

Result<JsonValue> parse_json(std::string_view text, const JsonReadLimits& limits) {
  if (text.size() > limits.max_text)
    return error(limits.code, std::string(limits.subject) + " is longer than " + std::to_string(limits.max_text / 1024) + " KB");
  JsonParser parser(text, limits);
  JsonValue value;
  EP_TRY(parser.value(&value, 0));
  EP_TRY(parser.finish());
  return value;
}

std::string exact_number_text(double value) {
  char text[32];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(text, sizeof(text), "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

bool json_scalar_text(const JsonValue& value, std::string* out) {
  switch (value.kind()) {
    case JsonValue::Kind::string: *out = value.string(); return true;
    case JsonValue::Kind::boolean: *out = value.boolean() ? "true" : "false"; return true;
    case JsonValue::Kind::number: *out = exact_number_text(value.number()); return true;
    default: return false;
  }
}

std::string json_text(const JsonValue& value) {
  switch (value.kind()) {
    case JsonValue::Kind::null: return "null";
    case JsonValue::Kind::boolean: return value.boolean() ? "true" : "false";
    case JsonValue::Kind::number: return exact_number_text(value.number());
    case JsonValue::Kind::string: return json_string(value.string());
    case JsonValue::Kind::array: {
      std::string text = "[";
      for (const JsonValue& item : value.items()) text += (text.size() > 1 ? "," : "") + json_text(item);
      return text + "]";
    }
    case JsonValue::Kind::object: {
      JsonObject object;
      for (const auto& [key, member] : value.members()) object.add_json(key, json_text(member));
      return object.str();
    }
  }
  return "null";
}

}  // namespace edgepix
