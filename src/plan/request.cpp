#include "plan/request.h"

#include <cmath>

#include "core/counters.h"
#include "core/json_value.h"

namespace edgepix {

namespace {

Status bad_request(const std::string& why) { return error(ErrorCode::bad_option, why); }

// --- limits: the host may lower any of them, never raise one (the defaults are what fits a Worker isolate) ---

struct LimitField {
  const char* key;  // the JSON name: struct Limits' field in camelCase
  uint64_t Limits::*wide;
  uint32_t Limits::*narrow;
  bool zero_allowed;  // budget: 0 means "the default budget"
};
const LimitField kLimitFields[] = {
    {"maxWorkingBytes", &Limits::max_working_bytes, nullptr, false},
    {"maxSourcePixels", &Limits::max_source_pixels, nullptr, false},
    {"maxOutputSide", nullptr, &Limits::max_output_side, false},
    {"maxFrames", nullptr, &Limits::max_frames, false},
    {"maxAnimationPixels", &Limits::max_animation_pixels, nullptr, false},
    {"budget", &Limits::max_work_units, nullptr, true},
};

uint64_t limit_value(const Limits& limits, const LimitField& field) {
  return field.wide ? limits.*field.wide : limits.*field.narrow;
}

Status apply_limit(const LimitField& field, const JsonValue& value, Limits* limits) {
  const std::string name = std::string("limits.") + field.key;
  const double number = value.is(JsonValue::Kind::number) ? value.number() : -1;
  if (number < (field.zero_allowed ? 0 : 1) || number != std::floor(number) || number > 9e15)
    return bad_request(name + ": expected a whole number" + (field.zero_allowed ? "" : " above 0"));
  const uint64_t ceiling = limit_value(Limits(), field);
  if (ceiling && uint64_t(number) > ceiling)
    return bad_request(name + ": at most " + std::to_string(ceiling) + " (a host may lower a limit, not raise it)");
  if (field.wide) limits->*field.wide = uint64_t(number);
  else limits->*field.narrow = uint32_t(number);
  return {};
}

Status parse_limits(const JsonValue& object, Limits* limits) {
  if (!object.is(JsonValue::Kind::object)) return bad_request("limits must be an object");
  for (const auto& [key, value] : object.members()) {
    const LimitField* field = nullptr;
    for (const auto& candidate : kLimitFields)
      if (key == candidate.key) field = &candidate;
    if (!field) return bad_request("unknown limit '" + key + "'");
    EP_TRY(apply_limit(*field, value, limits));
  }
  return {};
}

// --- draw entries ---

template <class Enum>
struct Name {
  const char* name;
  Enum value;
};
const Name<CompositeMode> kComposites[] = {{"over", CompositeMode::over}, {"in", CompositeMode::in},   {"atop", CompositeMode::atop},
                                       {"out", CompositeMode::out},   {"xor", CompositeMode::exclusive_or},
                                       {"lighter", CompositeMode::lighter}};
const Name<Repeat> kRepeats[] = {{"none", Repeat::none}, {"both", Repeat::both}, {"x", Repeat::x}, {"y", Repeat::y}};

template <class Enum, size_t N>
const char* name_of(const Name<Enum> (&names)[N], Enum value) {
  for (const auto& entry : names)
    if (entry.value == value) return entry.name;
  return "?";
}

Status parse_composite(const std::string& where, const JsonValue& value, CompositeMode* out) {
  for (const auto& entry : kComposites)
    if (value.is(JsonValue::Kind::string) && value.string() == entry.name) return *out = entry.value, Status();
  return bad_request(where + ".composite: expected over, in, atop, out, xor or lighter");
}

// The binding writes `repeat: true` for both axes, or "x" / "y".
Status parse_repeat(const std::string& where, const JsonValue& value, Repeat* out) {
  if (value.is(JsonValue::Kind::boolean)) return *out = value.boolean() ? Repeat::both : Repeat::none, Status();
  if (value.is(JsonValue::Kind::string) && (value.string() == "x" || value.string() == "y"))
    return *out = value.string() == "x" ? Repeat::x : Repeat::y, Status();
  return bad_request(where + ".repeat: expected true, false, \"x\" or \"y\"");
}

Status parse_offset(const std::string& where, const JsonValue& value, std::optional<int32_t>* out) {
  const double number = value.is(JsonValue::Kind::number) ? value.number() : 0;
  if (!value.is(JsonValue::Kind::number) || number != std::floor(number) || std::fabs(number) > 100000)
    return bad_request(where + ": expected a whole number of pixels");
  *out = int32_t(number);
  return {};
}

Status parse_overlay_member(const std::string& where, const std::string& key, const JsonValue& value,
                            Overlay* overlay) {
  const std::pair<const char*, std::optional<int32_t>*> offsets[] = {
      {"top", &overlay->top}, {"left", &overlay->left}, {"bottom", &overlay->bottom}, {"right", &overlay->right}};
  for (const auto& [name, field] : offsets)
    if (key == name) return parse_offset(where + "." + name, value, field);
  if (key == "input") {
    if (!value.is(JsonValue::Kind::number) || value.number() < 1 || value.number() > kMaxOverlays ||
        value.number() != std::floor(value.number()))
      return bad_request(where + ".input: expected the index of an input from 1 to " + std::to_string(kMaxOverlays));
    overlay->input = uint32_t(value.number());
    return {};
  }
  if (key == "opacity") {
    if (!value.is(JsonValue::Kind::number) || value.number() < 0 || value.number() > 1)
      return bad_request(where + ".opacity: expected a number from 0 to 1");
    overlay->opacity = value.number();
    return {};
  }
  if (key == "repeat") return parse_repeat(where, value, &overlay->repeat);
  if (key == "composite") return parse_composite(where, value, &overlay->composite);
  if (key == "transform") {
    Result<Options> options = parse_options_json(&value, nullptr);
    if (!options.ok()) return bad_request(where + ": " + options.status().message());
    overlay->options = options.value();
    return {};
  }
  return bad_request(where + ": unknown member '" + key + "'");
}

Status parse_draw(const JsonValue& list, std::vector<Overlay>* overlays) {
  if (!list.is(JsonValue::Kind::array)) return bad_request("draw must be an array");
  if (list.items().size() > kMaxOverlays) return bad_request("draw: at most " + std::to_string(kMaxOverlays) + " entries");
  for (const JsonValue& entry : list.items()) {
    const std::string where = "draw[" + std::to_string(overlays->size()) + "]";
    if (!entry.is(JsonValue::Kind::object)) return bad_request(where + " must be an object");
    Overlay overlay;
    overlay.input = uint32_t(overlays->size() + 1);  // by default, the inputs in draw order
    for (const auto& [key, value] : entry.members()) EP_TRY(parse_overlay_member(where, key, value, &overlay));
    // The binding places an overlay by one edge per axis: two would ask for a stretch it does not do.
    if ((overlay.top && overlay.bottom) || (overlay.left && overlay.right))
      return bad_request(where + ": give top or bottom, and left or right, not both of a pair");
    overlays->push_back(overlay);
  }
  return {};
}

Result<Request> parse_json_request(const JsonValue& json) {
  for (const auto& member : json.members())
    if (member.first != "options" && member.first != "transform" && member.first != "output" &&
        member.first != "draw" && member.first != "limits" && member.first != "keepGps")
      return bad_request("unknown request member '" + member.first + "'");
  const JsonValue* url_options = json.find("options");
  if (url_options && (json.find("transform") || json.find("output")))
    return bad_request("a request has either options (the URL form) or transform/output (the binding form)");
  Request request;
  Result<Options> options = Options();
  if (url_options) {
    if (!url_options->is(JsonValue::Kind::string)) return bad_request("options must be a string");
    options = parse_options(url_options->string());
  } else {
    options = parse_options_json(json.find("transform"), json.find("output"));
  }
  if (!options.ok()) return options.status();
  request.options = options.value();
  if (const JsonValue* draw = json.find("draw")) EP_TRY(parse_draw(*draw, &request.overlays));
  if (const JsonValue* limits = json.find("limits")) EP_TRY(parse_limits(*limits, &request.limits));
  if (const JsonValue* keep_gps = json.find("keepGps")) {
    if (!keep_gps->is(JsonValue::Kind::boolean)) return bad_request("keepGps must be true or false");
    request.keep_gps = keep_gps->boolean();
  }
  return request;
}

bool is_json_object(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

std::string offset_text(const std::optional<int32_t>& offset) { return offset ? std::to_string(*offset) : "-"; }

}  // namespace

Result<Request> parse_request(std::string_view text) {
  ++core_counters.options_parsed;
  if (!is_json_object(text)) {
    Result<Options> options = parse_options(text);
    if (!options.ok()) return options.status();
    Request request;
    request.options = options.value();
    return request;
  }
  Result<JsonValue> json = parse_json(text);
  if (!json.ok()) return json.status();
  return parse_json_request(json.value());
}

std::string canonical_request(const Request& request) {
  std::string key = canonical_options(request.options);
  // Brackets delimit each overlay's own options, so no two different lists spell the same.
  for (const Overlay& o : request.overlays)
    key += ",draw=" + std::to_string(o.input) + ":" + offset_text(o.top) + ";" + offset_text(o.right) + ";" +
           offset_text(o.bottom) + ";" + offset_text(o.left) + ":" + exact_number_text(o.opacity) + ":" +
           name_of(kRepeats, o.repeat) + ":" + name_of(kComposites, o.composite) + "[" +
           canonical_options(o.options) + "]";
  const Limits defaults;
  for (const auto& field : kLimitFields)
    if (limit_value(request.limits, field) != limit_value(defaults, field))
      key += ",lim=" + std::string(field.key) + ":" + std::to_string(limit_value(request.limits, field));
  if (request.keep_gps && request.options.metadata == MetadataPolicy::keep) key += ",gps=keep";
  return key;
}

}  // namespace edgepix
