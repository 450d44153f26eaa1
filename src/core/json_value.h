// A small JSON reader for the requests the host sends (options, draw entries, limits): a parsed tree with the
// few lookups the plan needs. Bounded: depth and size limits keep a hostile request cheap to refuse.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace edgepix {

class JsonValue {
 public:
  enum class Kind : uint8_t { null, boolean, number, string, array, object };

  Kind kind() const { return kind_; }
  bool is(Kind kind) const { return kind_ == kind; }
  bool boolean() const { return boolean_; }
  double number() const { return number_; }
  const std::string& string() const { return string_; }
  const std::vector<JsonValue>& items() const { return items_; }
  // Members in the order written (a repeated key keeps its last value, as JSON.parse does).
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }
  // The member named `key`, or null when absent (or when this is not an object).
  const JsonValue* find(std::string_view key) const;

 private:
  friend class JsonParser;
  Kind kind_ = Kind::null;
  bool boolean_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses one JSON value (RFC 8259; \u escapes to UTF-8). Errors are bad_option: the request is what is wrong.
Result<JsonValue> parse_json(std::string_view text);

// A number, string or boolean written back as text ("400", "cover", "true"), for parsers that read the URL form.
// Numbers keep every digit they need to read back the same double.
bool json_scalar_text(const JsonValue& value, std::string* out);
// The shortest decimal text that reads back as exactly `value` (0.1 is "0.1", not "0.10000000000000001").
std::string exact_number_text(double value);

// How much a document may hold, and whose fault a malformed one is (requests: bad_option; policies: bad_policy).
struct JsonReadLimits {
  size_t max_text = 64 * 1024;
  int max_depth = 16;
  ErrorCode code = ErrorCode::bad_option;
  const char* subject = "the request";  // names the document in the error message
};
Result<JsonValue> parse_json(std::string_view text, const JsonReadLimits& limits);
// A parsed value written back as compact JSON (numbers by exact_number_text).
std::string json_text(const JsonValue& value);

}  // namespace edgepix
