#include "plan/colour_names.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string>

namespace edgepix {

namespace {

struct NamedColour {
  const char* name;
  uint32_t rgb;
};

// CSS Color Module Level 4 named colours, sorted by name for binary search.
const NamedColour kNamedColours[] = {
    {"aliceblue", 0xf0f8ff}, {"antiquewhite", 0xfaebd7}, {"aqua", 0x00ffff}, {"aquamarine", 0x7fffd4},
    {"azure", 0xf0ffff}, {"beige", 0xf5f5dc}, {"bisque", 0xffe4c4}, {"black", 0x000000},
    {"blanchedalmond", 0xffebcd}, {"blue", 0x0000ff}, {"blueviolet", 0x8a2be2}, {"brown", 0xa52a2a},
    {"burlywood", 0xdeb887}, {"cadetblue", 0x5f9ea0}, {"chartreuse", 0x7fff00}, {"chocolate", 0xd2691e},
    {"coral", 0xff7f50}, {"cornflowerblue", 0x6495ed}, {"cornsilk", 0xfff8dc}, {"crimson", 0xdc143c},
    {"cyan", 0x00ffff}, {"darkblue", 0x00008b}, {"darkcyan", 0x008b8b}, {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9}, {"darkgreen", 0x006400}, {"darkgrey", 0xa9a9a9}, {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b}, {"darkolivegreen", 0x556b2f}, {"darkorange", 0xff8c00}, {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000}, {"darksalmon", 0xe9967a}, {"darkseagreen", 0x8fbc8f}, {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f}, {"darkslategrey", 0x2f4f4f}, {"darkturquoise", 0x00ced1}, {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493}, {"deepskyblue", 0x00bfff}, {"dimgray", 0x696969}, {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff}, {"firebrick", 0xb22222}, {"floralwhite", 0xfffaf0}, {"forestgreen", 0x228b22},
    {"fuchsia", 0xff00ff}, {"gainsboro", 0xdcdcdc}, {"ghostwhite", 0xf8f8ff}, {"gold", 0xffd700},
    {"goldenrod", 0xdaa520}, {"gray", 0x808080}, {"green", 0x008000}, {"greenyellow", 0xadff2f},
    {"grey", 0x808080}, {"honeydew", 0xf0fff0}, {"hotpink", 0xff69b4}, {"indianred", 0xcd5c5c},
    {"indigo", 0x4b0082}, {"ivory", 0xfffff0}, {"khaki", 0xf0e68c}, {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5}, {"lawngreen", 0x7cfc00}, {"lemonchiffon", 0xfffacd}, {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080}, {"lightcyan", 0xe0ffff}, {"lightgoldenrodyellow", 0xfafad2}, {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90}, {"lightgrey", 0xd3d3d3}, {"lightpink", 0xffb6c1}, {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa}, {"lightskyblue", 0x87cefa}, {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899}, {"lightsteelblue", 0xb0c4de}, {"lightyellow", 0xffffe0}, {"lime", 0x00ff00},
    {"limegreen", 0x32cd32}, {"linen", 0xfaf0e6}, {"magenta", 0xff00ff}, {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa}, {"mediumblue", 0x0000cd}, {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db}, {"mediumseagreen", 0x3cb371}, {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a}, {"mediumturquoise", 0x48d1cc}, {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970}, {"mintcream", 0xf5fffa}, {"mistyrose", 0xffe4e1}, {"moccasin", 0xffe4b5},
    {"navajowhite", 0xffdead}, {"navy", 0x000080}, {"oldlace", 0xfdf5e6}, {"olive", 0x808000},
    {"olivedrab", 0x6b8e23}, {"orange", 0xffa500}, {"orangered", 0xff4500}, {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa}, {"palegreen", 0x98fb98}, {"paleturquoise", 0xafeeee}, {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5}, {"peachpuff", 0xffdab9}, {"peru", 0xcd853f}, {"pink", 0xffc0cb},
    {"plum", 0xdda0dd}, {"powderblue", 0xb0e0e6}, {"purple", 0x800080}, {"rebeccapurple", 0x663399},
    {"red", 0xff0000}, {"rosybrown", 0xbc8f8f}, {"royalblue", 0x4169e1}, {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072}, {"sandybrown", 0xf4a460}, {"seagreen", 0x2e8b57}, {"seashell", 0xfff5ee},
    {"sienna", 0xa0522d}, {"silver", 0xc0c0c0}, {"skyblue", 0x87ceeb}, {"slateblue", 0x6a5acd},
    {"slategray", 0x708090}, {"slategrey", 0x708090}, {"snow", 0xfffafa}, {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4}, {"tan", 0xd2b48c}, {"teal", 0x008080}, {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347}, {"turquoise", 0x40e0d0}, {"violet", 0xee82ee}, {"wheat", 0xf5deb3},
    {"white", 0xffffff}, {"whitesmoke", 0xf5f5f5}, {"yellow", 0xffff00}, {"yellowgreen", 0x9acd32},
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_hex(std::string_view hex, Rgba* out) {
  // The length first: the digits are read into a buffer sized for the longest form, #rrggbbaa.
  const bool short_form = hex.size() == 3 || hex.size() == 4;
  if (!short_form && hex.size() != 6 && hex.size() != 8) return false;
  int digits[8];
  for (size_t i = 0; i < hex.size(); ++i)
    if ((digits[i] = hex_digit(hex[i])) < 0) return false;
  uint8_t channel[4] = {0, 0, 0, 255};
  if (short_form) {
    for (size_t i = 0; i < hex.size(); ++i) channel[i] = uint8_t(digits[i] * 17);
  } else {
    for (size_t i = 0; i < hex.size() / 2; ++i) channel[i] = uint8_t(digits[2 * i] * 16 + digits[2 * i + 1]);
  }
  *out = {channel[0], channel[1], channel[2], channel[3]};
  return true;
}

// One rgb()/rgba() component: 0..255 or a percentage; alpha as 0..1 or a percentage.
bool parse_component(std::string_view text, bool alpha, uint8_t* out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.size() > 16) return false;
  const bool percent = text.back() == '%';
  if (percent) text.remove_suffix(1);
  const std::string number(text);
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (number.empty() || *end != 0 || !(value >= 0)) return false;
  const double scaled = percent ? value / 100 * 255 : alpha ? value * 255 : value;
  if (scaled > 255.0001) return false;
  *out = uint8_t(scaled + 0.5);
  return true;
}

bool parse_function(std::string_view text, Rgba* out) {
  const bool has_alpha = text.substr(0, 5) == "rgba(";
  const size_t open = has_alpha ? 5 : 4;
  if (!(has_alpha || text.substr(0, 4) == "rgb(") || text.back() != ')') return false;
  std::string_view args = text.substr(open, text.size() - open - 1);
  uint8_t channel[4] = {0, 0, 0, 255};
  size_t count = 0;
  while (count < 4) {
    const size_t comma = args.find(',');
    if (!parse_component(args.substr(0, comma), count == 3, &channel[count])) return false;
    ++count;
    if (comma == std::string_view::npos) break;
    args.remove_prefix(comma + 1);
  }
  if (count < 3 || (count == 4 && args.find(',') != std::string_view::npos)) return false;
  *out = {channel[0], channel[1], channel[2], channel[3]};
  return true;
}

}  // namespace

bool parse_css_colour(std::string_view text, Rgba* out) {
  if (text.empty() || text.size() > 64) return false;
  if (text.front() == '#') return parse_hex(text.substr(1), out);
  std::string lower(text);
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "transparent") {
    *out = {0, 0, 0, 0};
    return true;
  }
  if (lower.compare(0, 3, "rgb") == 0) return parse_function(lower, out);
  size_t lo = 0, hi = sizeof(kNamedColours) / sizeof(kNamedColours[0]);
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    const int order = std::strcmp(kNamedColours[mid].name, lower.c_str());
    if (order == 0) {
      const uint32_t rgb = kNamedColours[mid].rgb;
      *out = {uint8_t(rgb >> 16), uint8_t(rgb >> 8), uint8_t(rgb), 255};
      return true;
    }
    if (order < 0) lo = mid + 1; else hi = mid;
  }
  return false;
}

}  // namespace edgepix
