#include "plan/options.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/json_value.h"
#include "plan/colour_names.h"

namespace edgepix {

namespace {

constexpr uint32_t kMaxSide = 12000;

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

Status bad(std::string_view option, const std::string& why) {
  return error(ErrorCode::bad_option, "option '" + std::string(option) + "': " + why);
}

// A plain decimal: an optional sign, digits with an optional point, an optional exponent. strtod alone would also
// take hex ("0x40"), "inf", leading spaces, and stop at an embedded NUL ("64\0junk").
bool is_decimal(std::string_view text) {
  size_t i = text.empty() || (text[0] != '+' && text[0] != '-') ? 0 : 1;
  const auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

bool parse_number(std::string_view text, double* out) {
  if (text.empty() || text.size() > 24 || !is_decimal(text)) return false;
  const std::string copy(text);
  *out = std::strtod(copy.c_str(), nullptr);
  return std::isfinite(*out);
}

Status parse_side(std::string_view name, std::string_view value, uint32_t* out) {
  double number = 0;
  if (!parse_number(value, &number) || number != std::floor(number) || number < 1)
    return bad(name, "expected a whole number of pixels, got '" + std::string(value) + "'");
  if (number > kMaxSide) return bad(name, "at most " + std::to_string(kMaxSide) + " pixels");
  *out = uint32_t(number);
  return {};
}

Status parse_width(std::string_view name, std::string_view value, Options* o) {
  o->width_auto = value == "auto";
  return o->width_auto ? Status() : parse_side(name, value, &o->width);
}
Status parse_height(std::string_view name, std::string_view value, Options* o) { return parse_side(name, value, &o->height); }

template <class Enum>
struct Choice {
  const char* name;
  Enum value;
};

const Choice<Fit> kFits[] = {{"scale-down", Fit::scale_down}, {"contain", Fit::contain}, {"cover", Fit::cover},
                             {"crop", Fit::crop}, {"pad", Fit::pad}, {"squeeze", Fit::squeeze}};
const Choice<FormatRequest> kFormats[] = {
    {"auto", FormatRequest::automatic}, {"jpeg", FormatRequest::jpeg}, {"jpg", FormatRequest::jpeg},
    {"baseline-jpeg", FormatRequest::baseline_jpeg}, {"png", FormatRequest::png}, {"webp", FormatRequest::webp},
    {"avif", FormatRequest::avif}, {"json", FormatRequest::json}};
const Choice<MetadataPolicy> kMetadataPolicies[] = {
    {"keep", MetadataPolicy::keep}, {"copyright", MetadataPolicy::copyright}, {"none", MetadataPolicy::none}};
// Cloudflare's named qualities.
const Choice<int> kQualityNames[] = {{"high", 90}, {"medium-high", 80}, {"medium-low", 65}, {"low", 50}};
const Choice<Gravity::Kind> kGravities[] = {
    {"auto", Gravity::Kind::automatic}, {"center", Gravity::Kind::center}, {"centre", Gravity::Kind::center},
    {"left", Gravity::Kind::left}, {"right", Gravity::Kind::right}, {"top", Gravity::Kind::top},
    {"bottom", Gravity::Kind::bottom}};

template <class Enum, size_t N>
Status parse_choice(std::string_view name, std::string_view value, const Choice<Enum> (&choices)[N], Enum* out) {
  std::string allowed;
  for (const auto& choice : choices) {
    if (value == choice.name) {
      *out = choice.value;
      return {};
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(choice.name);
  }
  return bad(name, "'" + std::string(value) + "' is not one of " + allowed);
}

Status parse_fit(std::string_view name, std::string_view value, Options* o) { return parse_choice(name, value, kFits, &o->fit); }
Status parse_format(std::string_view name, std::string_view value, Options* o) {
  return parse_choice(name, value, kFormats, &o->format);
}

Status parse_quality_value(std::string_view name, std::string_view value, int* out) {
  for (const auto& choice : kQualityNames)
    if (value == choice.name) return *out = choice.value, Status();
  double number = 0;
  if (!parse_number(value, &number) || number != std::floor(number) || number < 1 || number > 100)
    return bad(name, "expected a whole number from 1 to 100 or high, medium-high, medium-low, low; got '" +
                         std::string(value) + "'");
  *out = int(number);
  return {};
}
Status parse_quality(std::string_view name, std::string_view value, Options* o) {
  return parse_quality_value(name, value, &o->quality);
}
Status parse_slow_quality(std::string_view name, std::string_view value, Options* o) {
  return parse_quality_value(name, value, &o->slow_connection_quality);
}

// A number within [low, high]; `what` describes the range in the error.
Status parse_ranged(std::string_view name, std::string_view value, double low, double high, double* out) {
  double number = 0;
  if (!parse_number(value, &number) || number < low || number > high)
    return bad(name, "expected a number from " + format_number(low) + " to " + format_number(high) + ", got '" +
                         std::string(value) + "'");
  *out = number;
  return {};
}
Status parse_sharpen(std::string_view n, std::string_view v, Options* o) { return parse_ranged(n, v, 0, 10, &o->sharpen); }
Status parse_blur(std::string_view n, std::string_view v, Options* o) {
  EP_TRY(parse_ranged(n, v, 0, 250, &o->blur));
  if (o->blur > 0 && o->blur < 1) return bad(n, "expected 0 or a radius from 1 to 250");
  return {};
}
Status parse_brightness(std::string_view n, std::string_view v, Options* o) { return parse_ranged(n, v, 0, 10, &o->brightness); }
Status parse_contrast(std::string_view n, std::string_view v, Options* o) { return parse_ranged(n, v, 0, 10, &o->contrast); }
Status parse_gamma(std::string_view n, std::string_view v, Options* o) {
  EP_TRY(parse_ranged(n, v, 0, 10, &o->gamma));
  if (o->gamma == 0) return bad(n, "must be above 0");
  return {};
}
Status parse_saturation(std::string_view n, std::string_view v, Options* o) { return parse_ranged(n, v, 0, 10, &o->saturation); }

Status parse_rotate(std::string_view name, std::string_view value, Options* o) {
  if (value == "0" || value == "90" || value == "180" || value == "270") {
    o->rotate = uint16_t(std::atoi(std::string(value).c_str()));
    return {};
  }
  return bad(name, "expected 90, 180 or 270, got '" + std::string(value) + "'");
}

Status parse_flip(std::string_view name, std::string_view value, Options* o) {
  if (value != "h" && value != "v" && value != "hv" && value != "vh")
    return bad(name, "expected h, v or hv, got '" + std::string(value) + "'");
  o->flip_horizontal = value.find('h') != std::string_view::npos;
  o->flip_vertical = value.find('v') != std::string_view::npos;
  return {};
}

Status parse_gravity(std::string_view name, std::string_view value, Options* o) {
  const size_t x = value.find('x');
  if (x != std::string_view::npos && x > 0) {  // focal point "0.5x0.25": fractions of width and height
    double fx = 0, fy = 0;
    if (!parse_number(value.substr(0, x), &fx) || !parse_number(value.substr(x + 1), &fy) || fx < 0 || fx > 1 ||
        fy < 0 || fy > 1)
      return bad(name, "a focal point is <x>x<y> with fractions from 0 to 1, got '" + std::string(value) + "'");
    o->gravity = {Gravity::Kind::point, fx, fy};
    return {};
  }
  return parse_choice(name, value, kGravities, &o->gravity.kind);
}

// "top;right;bottom;left" in pixels (as Cloudflare writes trim), or one number for all four.
Status parse_edges(std::string_view name, std::string_view value, Edges* out) {
  uint32_t sides[4];
  size_t count = 0;
  while (count < 4) {
    const size_t semicolon = value.find(';');
    double number = 0;
    if (!parse_number(value.substr(0, semicolon), &number) || number < 0 || number > 10000 ||
        number != std::floor(number))
      return bad(name, "expected whole pixel counts as top;right;bottom;left");
    sides[count++] = uint32_t(number);
    if (semicolon == std::string_view::npos) break;
    value.remove_prefix(semicolon + 1);
  }
  if (count != 1 && count != 4) return bad(name, "expected one number or four (top;right;bottom;left)");
  *out = count == 1 ? Edges{sides[0], sides[0], sides[0], sides[0]} : Edges{sides[0], sides[1], sides[2], sides[3]};
  return {};
}

Status parse_trim(std::string_view name, std::string_view value, Options* o) {
  o->trim_border = value == "border";
  return o->trim_border ? Status() : parse_edges(name, value, &o->trim);
}

// border=color:<css colour>;width:<px> (or top:/right:/bottom:/left: for single sides).
Status parse_border(std::string_view name, std::string_view value, Options* o) {
  bool any_width = false;
  while (!value.empty()) {
    const size_t semicolon = value.find(';');
    const std::string_view item = value.substr(0, semicolon);
    value = semicolon == std::string_view::npos ? std::string_view() : value.substr(semicolon + 1);
    const size_t colon = item.find(':');
    const std::string_view key = item.substr(0, colon);
    const std::string_view setting = colon == std::string_view::npos ? std::string_view() : item.substr(colon + 1);
    if (key == "color" || key == "colour") {
      if (!parse_css_colour(setting, &o->border_colour)) return bad(name, "'" + std::string(setting) + "' is not a CSS colour");
      continue;
    }
    Edges width;
    EP_TRY(parse_edges(name, setting, &width));
    if (key == "width") o->border = width;
    else if (key == "top") o->border.top = width.top;
    else if (key == "right") o->border.right = width.top;
    else if (key == "bottom") o->border.bottom = width.top;
    else if (key == "left") o->border.left = width.top;
    else return bad(name, "expected color:, width:, top:, right:, bottom: or left:, got '" + std::string(key) + "'");
    any_width = true;
  }
  if (!any_width) return bad(name, "expected a width, e.g. border=color:#000;width:10");
  return {};
}

Status parse_dpr(std::string_view name, std::string_view value, Options* o) {
  double number = 0;
  if (!parse_number(value, &number) || !(number > 0) || number > 10)
    return bad(name, "expected a number above 0 and at most 10, got '" + std::string(value) + "'");
  o->dpr = number;
  return {};
}

Status parse_background(std::string_view name, std::string_view value, Options* o) {
  if (!parse_css_colour(value, &o->background)) return bad(name, "'" + std::string(value) + "' is not a CSS colour");
  return {};
}

Status parse_metadata(std::string_view name, std::string_view value, Options* o) {
  return parse_choice(name, value, kMetadataPolicies, &o->metadata);
}

Status parse_anim(std::string_view name, std::string_view value, Options* o) {
  if (value != "true" && value != "false") return bad(name, "expected true or false, got '" + std::string(value) + "'");
  o->animate = value == "true";
  return {};
}

Status parse_compression(std::string_view name, std::string_view value, Options* o) {
  if (value != "fast") return bad(name, "the only value is fast, got '" + std::string(value) + "'");
  o->fast_compression = true;
  return {};
}

Status parse_onerror(std::string_view name, std::string_view value, Options* o) {
  if (value != "redirect") return bad(name, "the only value is redirect, got '" + std::string(value) + "'");
  o->redirect_on_error = true;
  return {};
}

// --- the canonical writers: each row appends its part of the cache key, only what changes the output ---

// The key's items, comma-separated. Defaults of the core few are spelled out, the rest appear only when set.
struct KeyWriter {
  std::string text;
  void add(const std::string& item) { text += (text.empty() ? "" : ",") + item; }
  void add_if(bool set, const std::string& item) {
    if (set) add(item);
  }
};

std::string hex_colour(Rgba c) {
  char text[10];
  std::snprintf(text, sizeof(text), "%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
  return text;
}
std::string edges_text(const Edges& e) {
  return std::to_string(e.top) + ";" + std::to_string(e.right) + ";" + std::to_string(e.bottom) + ";" +
         std::to_string(e.left);
}
uint32_t with_dpr(const Options& o, uint32_t side) { return side ? uint32_t(std::lround(side * o.dpr)) : 0u; }
template <class Enum, size_t N>
const char* choice_name(const Choice<Enum> (&choices)[N], Enum value) {
  for (const auto& choice : choices)
    if (choice.value == value) return choice.name;
  return "?";
}

// dpr is folded into the sizes; it has no item of its own.
void write_width(const Options& o, KeyWriter& k) {
  k.add("w=" + (o.width_auto && !o.width ? std::string("auto") : std::to_string(with_dpr(o, o.width))));
}
void write_height(const Options& o, KeyWriter& k) { k.add("h=" + std::to_string(with_dpr(o, o.height))); }
void write_fit(const Options& o, KeyWriter& k) { k.add(std::string("fit=") + fit_name(o.fit)); }
void write_gravity(const Options& o, KeyWriter& k) {
  const Gravity& g = o.gravity;
  k.add_if(g.kind != Gravity::Kind::center,
           "g=" + (g.kind == Gravity::Kind::point ? exact_number_text(g.x) + "x" + exact_number_text(g.y)
                                                  : std::string(choice_name(kGravities, g.kind))));
}
// (slow-connection-quality has no writer: negotiation has already put it into quality when it applied)
void write_quality(const Options& o, KeyWriter& k) { k.add("q=" + std::to_string(o.quality)); }
// The output format is a negotiated decision, keyed by the decision (decide.cpp); only what else it implies here.
void write_format(const Options& o, KeyWriter& k) {
  k.add_if(o.format == FormatRequest::baseline_jpeg || o.format == FormatRequest::json,
           std::string("out=") + (o.format == FormatRequest::json ? "json" : "baseline"));
}
void write_background(const Options& o, KeyWriter& k) { k.add("bg=" + hex_colour(o.background)); }
void write_rotate(const Options& o, KeyWriter& k) { k.add_if(o.rotate != 0, "rot=" + std::to_string(o.rotate)); }
void write_flip(const Options& o, KeyWriter& k) {
  k.add_if(o.flip_horizontal || o.flip_vertical,
           std::string("flip=") + (o.flip_horizontal ? "h" : "") + (o.flip_vertical ? "v" : ""));
}
void write_trim(const Options& o, KeyWriter& k) {
  k.add_if(o.trim.any(), "trim=" + edges_text(o.trim));
  k.add_if(o.trim_border, "trim=border");
}
// A number option whose default is `unchanged`.
template <double Options::*field, int unchanged>
void write_number(const char* short_name, const Options& o, KeyWriter& k) {
  k.add_if(o.*field != unchanged, std::string(short_name) + "=" + exact_number_text(o.*field));
}
void write_sharpen(const Options& o, KeyWriter& k) { write_number<&Options::sharpen, 0>("sharpen", o, k); }
void write_blur(const Options& o, KeyWriter& k) { write_number<&Options::blur, 0>("blur", o, k); }
void write_brightness(const Options& o, KeyWriter& k) { write_number<&Options::brightness, 1>("bri", o, k); }
void write_contrast(const Options& o, KeyWriter& k) { write_number<&Options::contrast, 1>("con", o, k); }
void write_gamma(const Options& o, KeyWriter& k) { write_number<&Options::gamma, 1>("gam", o, k); }
void write_saturation(const Options& o, KeyWriter& k) { write_number<&Options::saturation, 1>("sat", o, k); }
void write_border(const Options& o, KeyWriter& k) {
  k.add_if(o.border.any(), "border=" + edges_text(o.border) + ":" + hex_colour(o.border_colour));
}
void write_anim(const Options& o, KeyWriter& k) { k.add_if(!o.animate, "anim=false"); }
void write_metadata(const Options& o, KeyWriter& k) {
  k.add_if(o.metadata != MetadataPolicy::copyright, std::string("meta=") + choice_name(kMetadataPolicies, o.metadata));
}
void write_compression(const Options& o, KeyWriter& k) { k.add_if(o.fast_compression, "comp=fast"); }

// --- the JSON adapters: a binding-shaped value becomes the URL form, read by the row's own parser ---

struct OptionSpec;
Status from_scalar(const OptionSpec& spec, const JsonValue& value, Options* o);
Status from_format(const OptionSpec& spec, const JsonValue& value, Options* o);
Status from_gravity(const OptionSpec& spec, const JsonValue& value, Options* o);
Status from_trim(const OptionSpec& spec, const JsonValue& value, Options* o);
Status from_border(const OptionSpec& spec, const JsonValue& value, Options* o);

enum Place : uint8_t { kTransform = 1, kOutput = 2 };  // which JSON object may carry the option

struct OptionSpec {
  const char* name;
  const char* alias;  // short form Cloudflare accepts, or null
  Status (*parse)(std::string_view name, std::string_view value, Options* out);
  void (*write)(const Options& options, KeyWriter& key);  // null: never changes the output bytes
  const char* json_key;  // the binding's name when it differs from `name`, else null
  Status (*from_json)(const OptionSpec& spec, const JsonValue& value, Options* out);
  uint8_t places;
};

// Every option: its names, its parser, its canonical writer and its JSON form. Adding an option is adding a row.
const OptionSpec kOptions[] = {
    {"width", "w", parse_width, write_width, nullptr, from_scalar, kTransform},
    {"height", "h", parse_height, write_height, nullptr, from_scalar, kTransform},
    {"fit", nullptr, parse_fit, write_fit, nullptr, from_scalar, kTransform},
    {"gravity", "g", parse_gravity, write_gravity, nullptr, from_gravity, kTransform},
    {"quality", "q", parse_quality, write_quality, nullptr, from_scalar, kTransform | kOutput},
    {"slow-connection-quality", "scq", parse_slow_quality, nullptr, "slowConnectionQuality", from_scalar, kTransform | kOutput},
    {"format", "f", parse_format, write_format, nullptr, from_format, kTransform | kOutput},
    {"dpr", nullptr, parse_dpr, nullptr, nullptr, from_scalar, kTransform},
    {"background", nullptr, parse_background, write_background, nullptr, from_scalar, kTransform | kOutput},
    {"rotate", nullptr, parse_rotate, write_rotate, nullptr, from_scalar, kTransform},
    {"flip", nullptr, parse_flip, write_flip, nullptr, from_scalar, kTransform},
    {"trim", nullptr, parse_trim, write_trim, nullptr, from_trim, kTransform},
    {"sharpen", nullptr, parse_sharpen, write_sharpen, nullptr, from_scalar, kTransform},
    {"blur", nullptr, parse_blur, write_blur, nullptr, from_scalar, kTransform},
    {"brightness", nullptr, parse_brightness, write_brightness, nullptr, from_scalar, kTransform},
    {"contrast", nullptr, parse_contrast, write_contrast, nullptr, from_scalar, kTransform},
    {"gamma", nullptr, parse_gamma, write_gamma, nullptr, from_scalar, kTransform},
    {"saturation", nullptr, parse_saturation, write_saturation, nullptr, from_scalar, kTransform},
    {"border", nullptr, parse_border, write_border, nullptr, from_border, kTransform},
    {"anim", nullptr, parse_anim, write_anim, nullptr, from_scalar, kTransform | kOutput},
    {"metadata", nullptr, parse_metadata, write_metadata, nullptr, from_scalar, kTransform | kOutput},
    {"compression", nullptr, parse_compression, write_compression, nullptr, from_scalar, kTransform | kOutput},
    // changes what the Worker answers on failure, never the bytes
    {"onerror", nullptr, parse_onerror, nullptr, "onError", from_scalar, kTransform},
};

Status from_scalar(const OptionSpec& spec, const JsonValue& value, Options* o) {
  std::string text;
  if (!json_scalar_text(value, &text)) return bad(spec.name, "expected a number, string or boolean");
  return spec.parse(spec.name, text, o);
}

// output({ format: "image/webp" }) names a media type; transform-style JSON uses the URL's words.
Status from_format(const OptionSpec& spec, const JsonValue& value, Options* o) {
  if (!value.is(JsonValue::Kind::string)) return bad(spec.name, "expected a string such as image/webp");
  std::string_view text = value.string();
  if (text.substr(0, 6) == "image/") text.remove_prefix(6);
  return spec.parse(spec.name, text, o);
}

// The member `key` as a number's text into `out`; `out` is left alone when the member is absent.
Status json_pixels(const OptionSpec& spec, const JsonValue& object, const char* key, std::string* out) {
  const JsonValue* member = object.find(key);
  if (!member) return {};
  if (!member->is(JsonValue::Kind::number)) return bad(spec.name, std::string(key) + ": expected a number of pixels");
  *out = exact_number_text(member->number());
  return {};
}

// Members not in `known` are refused by name: a binding option we do not implement must not pass silently.
Status only_members(const OptionSpec& spec, const JsonValue& object, std::initializer_list<const char*> known) {
  for (const auto& member : object.members()) {
    bool listed = false;
    for (const char* key : known) listed = listed || member.first == key;
    if (!listed) return bad(spec.name, "'" + member.first + "' is not supported here");
  }
  return {};
}

// gravity: a side word, or { x, y, mode: "box-center" } (the window centred on the point, as x0.5y0.5 is).
Status from_gravity(const OptionSpec& spec, const JsonValue& value, Options* o) {
  if (!value.is(JsonValue::Kind::object)) return from_scalar(spec, value, o);
  EP_TRY(only_members(spec, value, {"x", "y", "mode"}));
  const JsonValue* mode = value.find("mode");
  if (mode && !(mode->is(JsonValue::Kind::string) && mode->string() == "box-center"))
    return bad(spec.name, "the only mode is box-center");
  std::string x = "0.5", y = "0.5";
  for (auto [key, out] : {std::pair{"x", &x}, std::pair{"y", &y}}) {
    const JsonValue* member = value.find(key);
    if (member && !json_scalar_text(*member, out)) return bad(spec.name, std::string(key) + ": expected a fraction");
  }
  return spec.parse(spec.name, x + "x" + y, o);
}

// trim: "border", or { top, right, bottom, left, border: true }.
Status from_trim(const OptionSpec& spec, const JsonValue& value, Options* o) {
  if (!value.is(JsonValue::Kind::object)) return from_scalar(spec, value, o);
  EP_TRY(only_members(spec, value, {"top", "right", "bottom", "left", "border"}));
  const JsonValue* border = value.find("border");
  if (border && border->is(JsonValue::Kind::object) && border->members().empty()) return spec.parse(spec.name, "border", o);
  if (border && !border->is(JsonValue::Kind::boolean)) return bad(spec.name, "border: expected true (its settings are not supported)");
  if (border && border->boolean()) return spec.parse(spec.name, "border", o);
  std::string sides[4] = {"0", "0", "0", "0"};
  const char* keys[4] = {"top", "right", "bottom", "left"};
  for (int i = 0; i < 4; ++i) EP_TRY(json_pixels(spec, value, keys[i], &sides[i]));
  return spec.parse(spec.name, sides[0] + ";" + sides[1] + ";" + sides[2] + ";" + sides[3], o);
}

// border: { color, width } or { color, top, right, bottom, left }.
Status from_border(const OptionSpec& spec, const JsonValue& value, Options* o) {
  if (!value.is(JsonValue::Kind::object)) return bad(spec.name, "expected an object such as { color, width }");
  EP_TRY(only_members(spec, value, {"color", "width", "top", "right", "bottom", "left"}));
  std::string text;
  const JsonValue* colour = value.find("color");
  if (colour && !colour->is(JsonValue::Kind::string)) return bad(spec.name, "color: expected a CSS colour");
  if (colour) text = "color:" + colour->string();
  for (const char* key : {"width", "top", "right", "bottom", "left"}) {
    std::string pixels;
    EP_TRY(json_pixels(spec, value, key, &pixels));
    if (!pixels.empty()) text += (text.empty() ? "" : ";") + std::string(key) + ":" + pixels;
  }
  return spec.parse(spec.name, text, o);
}

const OptionSpec* find_option(std::string_view name) {
  for (const auto& spec : kOptions)
    if (name == spec.name || (spec.alias && name == spec.alias)) return &spec;
  return nullptr;
}

const OptionSpec* find_json_option(std::string_view key, Place place) {
  for (const auto& spec : kOptions)
    if (key == (spec.json_key ? spec.json_key : spec.name)) return spec.places & place ? &spec : nullptr;
  return nullptr;
}

// Options are separated by commas, except inside parentheses: `background=rgba(0,0,0,0.5)` is one option.
size_t next_separator(std::string_view text) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && depth > 0) --depth;
    if (text[i] == ',' && depth == 0) return i;
  }
  return std::string_view::npos;
}

Status apply_json_object(const JsonValue& object, Place place, const char* what, Options* options) {
  if (!object.is(JsonValue::Kind::object)) return error(ErrorCode::bad_option, std::string(what) + " must be an object");
  for (const auto& [key, value] : object.members()) {
    const OptionSpec* spec = find_json_option(key, place);
    if (!spec) return error(ErrorCode::bad_option, "unknown option '" + key + "' in " + what);
    EP_TRY(spec->from_json(*spec, value, options));
  }
  return {};
}

}  // namespace

const char* fit_name(Fit fit) { return choice_name(kFits, fit); }

Result<Options> parse_options(std::string_view text) {
  Options options;
  if (text.size() > 2048) return error(ErrorCode::bad_option, "the option string is longer than 2048 characters");
  bool any = false;
  // An option given twice (or by its name and its alias): the last one wins, as URL builders that append an override
  // to a preset's string expect. The decision's canonical key then names only the winner.
  while (!text.empty()) {
    const size_t end = next_separator(text);
    const std::string_view item = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (item.empty()) continue;
    const size_t equals = item.find('=');
    const std::string_view name = item.substr(0, equals);
    const OptionSpec* spec = find_option(name);
    if (!spec) return error(ErrorCode::bad_option, "unknown option '" + std::string(name) + "'");
    if (equals == std::string_view::npos) return bad(spec->name, "expected " + std::string(spec->name) + "=<value>");
    EP_TRY(spec->parse(spec->name, item.substr(equals + 1), &options));
    any = true;
  }
  if (!any) return error(ErrorCode::bad_option, "no options given (e.g. width=400)");
  return options;
}

Result<Options> parse_options_json(const JsonValue* transform, const JsonValue* output) {
  Options options;
  if (transform) EP_TRY(apply_json_object(*transform, kTransform, "transform", &options));
  if (output) EP_TRY(apply_json_object(*output, kOutput, "output", &options));
  return options;
}

std::string canonical_options(const Options& options) {
  KeyWriter key;
  for (const auto& spec : kOptions)
    if (spec.write) spec.write(options, key);
  return key.text;
}

}  // namespace edgepix
