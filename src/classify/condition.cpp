#include "classify/condition.h"

#include <string>

namespace edgepix {

namespace {

// Every comparable feature of the classify object, plus the two the verdict adds. dominantColors (a list) and the
// objects exposure and exif themselves are not comparable: their fields are.
const FeaturePath kFeaturePaths[] = {
    {"format", FeatureType::string, false},         {"width", FeatureType::number, false},
    {"height", FeatureType::number, false},         {"pixels", FeatureType::number, false},
    {"fileSize", FeatureType::number, false},       {"animated", FeatureType::boolean, false},
    {"frames", FeatureType::number, false},         {"alpha", FeatureType::boolean, false},
    {"thumbhash", FeatureType::string, false},      {"blurhash", FeatureType::string, false},
    {"phash", FeatureType::string, false},          {"sharpness", FeatureType::number, false},
    {"exposure.mean", FeatureType::number, false},  {"exposure.shadows", FeatureType::number, false},
    {"exposure.highlights", FeatureType::number, false}, {"photo", FeatureType::number, false},
    {"exif.gps", FeatureType::boolean, false},      {"exif.cameraModel", FeatureType::string, true},
    {"exif.captureDate", FeatureType::string, true},
};

// A feature's value as compared: absent, a list or an object reads as null.
struct Scalar {
  JsonValue::Kind kind = JsonValue::Kind::null;
  double number = 0;
  bool boolean = false;
  std::string_view string;
};

Scalar scalar_of(const JsonValue* value) {
  Scalar scalar;
  if (!value) return scalar;
  if (value->is(JsonValue::Kind::number)) scalar.number = value->number();
  else if (value->is(JsonValue::Kind::boolean)) scalar.boolean = value->boolean();
  else if (value->is(JsonValue::Kind::string)) scalar.string = value->string();
  else if (!value->is(JsonValue::Kind::null)) return scalar;
  scalar.kind = value->kind();
  return scalar;
}

Scalar number_scalar(double number) {
  Scalar scalar;
  scalar.kind = JsonValue::Kind::number;
  scalar.number = number;
  return scalar;
}

// The value at a dotted path. `pixels` is width × height.
Scalar feature_value(const JsonValue& features, std::string_view path) {
  if (path == "pixels") {
    const Scalar width = scalar_of(features.find("width")), height = scalar_of(features.find("height"));
    if (width.kind != JsonValue::Kind::number || height.kind != JsonValue::Kind::number) return {};
    return number_scalar(width.number * height.number);
  }
  const JsonValue* at = &features;
  while (at && !path.empty()) {
    const size_t dot = path.find('.');
    at = at->find(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return scalar_of(at);
}

double label_score(const JsonValue& features, const std::string& label) {
  const JsonValue* labels = features.find("labels");
  if (!labels || !labels->is(JsonValue::Kind::array)) return 0;
  for (const JsonValue& entry : labels->items()) {
    const Scalar name = scalar_of(entry.find("label")), score = scalar_of(entry.find("score"));
    if (name.kind == JsonValue::Kind::string && name.string == label && score.kind == JsonValue::Kind::number)
      return score.number;
  }
  return 0;
}

bool same_value(const Scalar& a, const JsonValue& b) {
  if (a.kind != b.kind()) return false;
  switch (a.kind) {
    case JsonValue::Kind::null: return true;
    case JsonValue::Kind::boolean: return a.boolean == b.boolean();
    case JsonValue::Kind::number: return a.number == b.number();
    case JsonValue::Kind::string: return a.string == b.string();
    default: return false;
  }
}

bool compare(const Scalar& actual, CompareOp op, const JsonValue& operand) {
  switch (op) {
    case CompareOp::eq: return same_value(actual, operand);
    case CompareOp::ne: return !same_value(actual, operand);
    case CompareOp::in:
      for (const JsonValue& item : operand.items())
        if (same_value(actual, item)) return true;
      return false;
    default: break;
  }
  if (actual.kind != JsonValue::Kind::number || !operand.is(JsonValue::Kind::number)) return false;
  const double a = actual.number, b = operand.number();
  return op == CompareOp::lt ? a < b : op == CompareOp::lte ? a <= b : op == CompareOp::gt ? a > b : a >= b;
}

}  // namespace

const FeaturePath* feature_path(std::string_view path) {
  for (const FeaturePath& row : kFeaturePaths)
    if (path == row.path) return &row;
  return nullptr;
}

bool condition_matches(const Condition& condition, const JsonValue& features) {
  switch (condition.kind) {
    case Condition::Kind::feature:
      return compare(feature_value(features, condition.subject), condition.op, condition.operand);
    case Condition::Kind::label:
      return compare(number_scalar(label_score(features, condition.subject)), condition.op, condition.operand);
    case Condition::Kind::all:
      for (const Condition& child : condition.children)
        if (!condition_matches(child, features)) return false;
      return true;
    case Condition::Kind::any:
      for (const Condition& child : condition.children)
        if (condition_matches(child, features)) return true;
      return false;
    case Condition::Kind::negate: return !condition_matches(condition.children.front(), features);
  }
  return false;
}

}  // namespace edgepix
