// CSS colours for `background`: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(), rgba() and the named colours.
#pragma once
#include <string_view>

#include "core/image.h"

namespace edgepix {
bool parse_css_colour(std::string_view text, Rgba* out);
}
