// The placeholder a page shows while an image loads: its ThumbHash decoded to a tiny PNG (at most 32 px on the
// long side, the hash's aspect), made from the hash alone.
#pragma once
#include <string_view>

#include "core/buffer.h"
#include "core/status.h"

namespace edgepix {
struct Placeholder {
  Buffer png;
  uint32_t width = 0, height = 0;
};
// bad_option when `thumbhash` (base64) is not a ThumbHash.
Result<Placeholder> placeholder_png(std::string_view thumbhash);
}  // namespace edgepix
