// The condition language's reader: leaves that compare one feature or one label's score, and all/any/not over
// them. Every operand is checked against the feature's type here, so a policy that reads fails nowhere later.
#include <string>

#include "classify/condition.h"
#include "classify/policy.h"

namespace edgepix {

namespace {

const char* const kOpNames[] = {"eq", "ne", "lt", "lte", "gt", "gte", "in"};  // CompareOp's order
constexpr size_t kMaxLabelName = 256;

Status bad(const std::string& where, const std::string& why) { return error(ErrorCode::bad_policy, where + ": " + why); }

// What a value of the type is called, and what a condition writes for one.
const char* type_noun(FeatureType type) {
  return type == FeatureType::number ? "a number" : type == FeatureType::string ? "a string" : "a boolean";
}
const char* type_text(FeatureType type) { return type == FeatureType::boolean ? "true or false" : type_noun(type); }

bool has_type(const JsonValue& value, const FeaturePath& feature) {
  if (value.is(JsonValue::Kind::null)) return feature.nullable;
  const JsonValue::Kind kind = feature.type == FeatureType::number   ? JsonValue::Kind::number
                               : feature.type == FeatureType::string ? JsonValue::Kind::string
                                                                     : JsonValue::Kind::boolean;
  return value.is(kind);
}

Status check_operand(const FeaturePath& feature, CompareOp op, const JsonValue& value, const std::string& where) {
  const std::string expected = std::string(type_text(feature.type)) + (feature.nullable ? " or null" : "") +
                               " (feature '" + feature.path + "' is " + type_noun(feature.type) + ")";
  if (op == CompareOp::in) {
    if (!value.is(JsonValue::Kind::array)) return bad(where, "expected a list of values");
    for (size_t i = 0; i < value.items().size(); ++i)
      if (!has_type(value.items()[i], feature)) return bad(where + "[" + std::to_string(i) + "]", "expected " + expected);
    return {};
  }
  if (op == CompareOp::eq || op == CompareOp::ne)
    return has_type(value, feature) ? Status() : bad(where, "expected " + expected);
  if (feature.type != FeatureType::number)
    return bad(where, std::string("feature '") + feature.path + "' is " + type_noun(feature.type) + ": " +
                          op_name(op) + " compares numbers");
  return value.is(JsonValue::Kind::number) ? Status() : bad(where, "expected a number");
}

Status parse_feature_leaf(const std::string& where, const std::string& op_where, Condition* leaf) {
  const FeaturePath* feature = feature_path(leaf->subject);
  if (!feature) {
    const bool whole = leaf->subject == "dominantColors" || leaf->subject == "exposure" || leaf->subject == "exif";
    return bad(where + ".feature", whole ? "'" + leaf->subject + "' cannot be compared (compare one of its fields)"
                                         : "unknown feature '" + leaf->subject + "'");
  }
  return check_operand(*feature, leaf->op, leaf->operand, op_where);
}

Status parse_label_leaf(const std::string& where, const std::string& op_where, const Condition& leaf) {
  if (leaf.subject.empty() || leaf.subject.size() > kMaxLabelName)
    return bad(where + ".label", "expected a label's name (1 to 256 characters)");
  if (leaf.op == CompareOp::in) return bad(op_where, "a label's score is compared by eq, ne, lt, lte, gt or gte");
  return leaf.operand.is(JsonValue::Kind::number) ? Status() : bad(op_where, "expected a score (a number)");
}

// {"feature":"width","gt":1000} or {"label":"stop sign","gte":0.8}: the subject and exactly one op.
Result<Condition> parse_leaf(const JsonValue& json, const std::string& where) {
  const bool is_label = json.find("label") != nullptr;
  if (is_label && json.find("feature")) return bad(where, "a condition names a feature or a label, not both");
  const char* subject_key = is_label ? "label" : "feature";
  Condition leaf;
  leaf.kind = is_label ? Condition::Kind::label : Condition::Kind::feature;
  std::string op_key;
  for (const auto& [key, value] : json.members()) {
    if (key == subject_key) continue;
    CompareOp op;
    if (!op_named(key, &op)) return bad(where, "unknown op '" + key + "'");
    if (!op_key.empty()) return bad(where, "more than one op ('" + op_key + "' and '" + key + "'): combine them with all");
    op_key = key;
    leaf.op = op;
    leaf.operand = value;
  }
  if (op_key.empty()) return bad(where, "expected an op: eq, ne, lt, lte, gt, gte or in");
  const JsonValue* subject = json.find(subject_key);
  if (!subject->is(JsonValue::Kind::string))
    return bad(where + "." + subject_key, is_label ? "expected a label's name" : "expected a feature's path");
  leaf.subject = subject->string();
  const std::string op_where = where + "." + op_key;
  EP_TRY(is_label ? parse_label_leaf(where, op_where, leaf) : parse_feature_leaf(where, op_where, &leaf));
  return leaf;
}

Result<Condition> parse_list(const JsonValue& list, const std::string& where, int depth, Condition::Kind kind) {
  if (!list.is(JsonValue::Kind::array)) return bad(where, "expected a list of conditions");
  Condition combined;
  combined.kind = kind;
  for (size_t i = 0; i < list.items().size(); ++i) {
    Result<Condition> child = parse_condition(list.items()[i], where + "[" + std::to_string(i) + "]", depth + 1);
    if (!child.ok()) return child.status();
    combined.children.push_back(std::move(child.value()));
  }
  return combined;
}

}  // namespace

const char* op_name(CompareOp op) { return kOpNames[size_t(op)]; }

bool op_named(std::string_view name, CompareOp* op) {
  for (size_t i = 0; i < sizeof(kOpNames) / sizeof(kOpNames[0]); ++i)
    if (name == kOpNames[i]) return *op = CompareOp(i), true;
  return false;
}

Result<Condition> parse_condition(const JsonValue& json, const std::string& where, int depth) {
  if (depth > kMaxConditionDepth) return bad(where, "conditions nest deeper than 16 levels");
  if (!json.is(JsonValue::Kind::object)) return bad(where, "expected a condition (an object)");
  if (json.find("feature") || json.find("label")) return parse_leaf(json, where);
  if (json.members().size() != 1)
    return bad(where, "expected a condition: {feature, op}, {label, op}, {all: […]}, {any: […]} or {not: {…}}");
  const auto& [key, value] = json.members().front();
  if (key == "all") return parse_list(value, where + ".all", depth, Condition::Kind::all);
  if (key == "any") return parse_list(value, where + ".any", depth, Condition::Kind::any);
  if (key != "not") return bad(where, "unknown condition '" + key + "' (expected feature, label, all, any or not)");
  Result<Condition> child = parse_condition(value, where + ".not", depth + 1);
  if (!child.ok()) return child.status();
  Condition negation;
  negation.kind = Condition::Kind::negate;
  negation.children.push_back(std::move(child.value()));
  return negation;
}

}  // namespace edgepix
