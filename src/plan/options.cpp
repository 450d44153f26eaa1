#include "plan/options.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "plan/colour_names.h"

namespace edgepix {

namespace {

constexpr uint32_t kMaxSide = 12000;

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
                             {"crop", Fit::crop}, {"pad", Fit::pad}};
const Choice<FormatRequest> kFormats[] = {{"auto", FormatRequest::automatic}, {"jpeg", FormatRequest::jpeg},
                                          {"jpg", FormatRequest::jpeg}, {"png", FormatRequest::png},
                                          {"webp", FormatRequest::webp}};

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

Status parse_quality(std::string_view name, std::string_view value, Options* o) {
  double number = 0;
  if (!parse_number(value, &number) || number != std::floor(number) || number < 1 || number > 100)
    return bad(name, "expected a whole number from 1 to 100, got '" + std::string(value) + "'");
  o->quality = int(number);
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
    {"quality", "q", parse_quality},
    {"format", "f", parse_format},
    {"dpr", nullptr, parse_dpr},
    {"background", nullptr, parse_background},
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
  char background[10];
  std::snprintf(background, sizeof(background), "%02x%02x%02x%02x", o.background.r, o.background.g, o.background.b,
                o.background.a);
  return "w=" + (o.width_auto && !o.width ? std::string("auto") : std::to_string(scaled(o.width))) + ",h=" + std::to_string(scaled(o.height)) + ",fit=" +
         fit_name(o.fit) + ",q=" + std::to_string(o.quality) + ",bg=" + background;
}

}  // namespace edgepix
