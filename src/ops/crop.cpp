#include "ops/crop.h"

#include <cstring>

namespace edgepix {

Result<Image> crop(const Image& image, Rect region) {
  Result<Image> out = Image::allocate_like(image, region.width, region.height);
  if (!out.ok()) return out;
  for (uint32_t y = 0; y < region.height; ++y)
    std::memcpy(out->row(y), image.row(region.y + y) + size_t(region.x) * image.channels, out->stride());
  return out;
}

}  // namespace edgepix
