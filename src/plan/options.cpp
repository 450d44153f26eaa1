#include "plan/options.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

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

bool parse_number(std::string_view text, double* out) {
  if (text.empty() || text.size() > 24) return false;
  const std::string copy(text);
  char* end = nullptr;
  *out = std::strtod(copy.c_str(), &end);
  return *end == 0 && std::isfinite(*out);
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

struct OptionSpec {
  const char* name;
  const char* alias;  // short form Cloudflare accepts, or null
  Status (*parse)(std::string_view name, std::string_view value, Options* out);
};

// Every option: its name, its alias and its parser. Adding an option is adding a row.
const OptionSpec kOptions[] = {
    {"width", "w", parse_width},
    {"height", "h", parse_height},
    {"fit", nullptr, parse_fit},
    {"gravity", "g", parse_gravity},
    {"quality", "q", parse_quality},
    {"slow-connection-quality", "scq", parse_slow_quality},
    {"format", "f", parse_format},
    {"dpr", nullptr, parse_dpr},
    {"background", nullptr, parse_background},
    {"rotate", nullptr, parse_rotate},
    {"flip", nullptr, parse_flip},
    {"trim", nullptr, parse_trim},
    {"sharpen", nullptr, parse_sharpen},
    {"blur", nullptr, parse_blur},
    {"brightness", nullptr, parse_brightness},
    {"contrast", nullptr, parse_contrast},
    {"gamma", nullptr, parse_gamma},
    {"saturation", nullptr, parse_saturation},
    {"border", nullptr, parse_border},
    {"anim", nullptr, parse_anim},
    {"metadata", nullptr, parse_metadata},
    {"compression", nullptr, parse_compression},
    {"onerror", nullptr, parse_onerror},  // changes what the Worker answers on failure, never the bytes
};

const OptionSpec* find_option(std::string_view name) {
  for (const auto& spec : kOptions)
    if (name == spec.name || (spec.alias && name == spec.alias)) return &spec;
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

}  // namespace

const char* fit_name(Fit fit) {
  for (const auto& choice : kFits)
    if (choice.value == fit) return choice.name;
  return "scale-down";
}

Result<Options> parse_options(std::string_view text) {
  Options options;
  if (text.size() > 2048) return error(ErrorCode::bad_option, "the option string is longer than 2048 characters");
  bool any = false;
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

std::string canonical_options(const Options& o) {
  const auto scaled = [&](uint32_t side) { return side ? uint32_t(std::lround(side * o.dpr)) : 0u; };
  const auto colour = [](Rgba c) {
    char text[10];
    std::snprintf(text, sizeof(text), "%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
    return std::string(text);
  };
  const auto edges = [](const Edges& e) {
    return std::to_string(e.top) + ";" + std::to_string(e.right) + ";" + std::to_string(e.bottom) + ";" +
           std::to_string(e.left);
  };
  // Defaults are spelled out for the core few, the rest appear only when set, so keys stay short.
  std::string key = "w=" + (o.width_auto && !o.width ? std::string("auto") : std::to_string(scaled(o.width))) +
                    ",h=" + std::to_string(scaled(o.height)) + ",fit=" + fit_name(o.fit) + ",q=" +
                    std::to_string(o.quality) + ",bg=" + colour(o.background);
  const auto add = [&](bool set, const std::string& item) {
    if (set) key += "," + item;
  };
  add(o.gravity.kind != Gravity::Kind::center, "g=" + std::to_string(int(o.gravity.kind)) + ":" +
                                                   format_number(o.gravity.x) + "x" + format_number(o.gravity.y));
  add(o.format == FormatRequest::baseline_jpeg || o.format == FormatRequest::json,
      std::string("out=") + (o.format == FormatRequest::json ? "json" : "baseline"));
  add(o.rotate != 0, "rot=" + std::to_string(o.rotate));
  add(o.flip_horizontal || o.flip_vertical, std::string("flip=") + (o.flip_horizontal ? "h" : "") + (o.flip_vertical ? "v" : ""));
  add(o.trim.any(), "trim=" + edges(o.trim));
  add(o.trim_border, "trim=border");
  add(o.sharpen != 0, "sharpen=" + format_number(o.sharpen));
  add(o.blur != 0, "blur=" + format_number(o.blur));
  add(o.brightness != 1, "bri=" + format_number(o.brightness));
  add(o.contrast != 1, "con=" + format_number(o.contrast));
  add(o.gamma != 1, "gam=" + format_number(o.gamma));
  add(o.saturation != 1, "sat=" + format_number(o.saturation));
  add(o.border.any(), "border=" + edges(o.border) + ":" + colour(o.border_colour));
  add(!o.animate, "anim=false");
  add(o.fast_compression, "comp=fast");
  add(o.metadata != MetadataPolicy::copyright, o.metadata == MetadataPolicy::keep ? "meta=keep" : "meta=none");
  return key;
}

}  // namespace edgepix
