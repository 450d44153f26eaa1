// The HEIF/ISOBMFF container (src/codec/isobmff.cpp, heif.cpp) without the AV1/HEVC bitstreams behind it: the
// brands, the meta box's items, extents, properties and references, the primary image and its grid, its alpha,
// orientation and colour, each item's bytes, and the metadata items.
#include <string>
#include <vector>

#include "codec/heif.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(heif) {
  using namespace edgepix;
  const ByteView bytes{data, size};
  (void)heif::lists_brand(bytes, heif::kAvifBrands);
  auto primary = heif::open_primary(bytes);
  if (!primary.ok()) return;
  const heif::Container& container = primary->container;
  for (const heif::Item& item : container.items) {
    std::string storage;
    auto item_bytes = heif::item_data(container, item, &storage);
    if (item_bytes.ok() && item.type == "grid") (void)heif::parse_grid(*item_bytes);
    (void)heif::item_size(container, item);
  }
  const heif::Item& image = *primary->item;
  (void)heif::alpha_item(container, image);
  (void)heif::item_orientation(container, image);
  heif::Nclx nclx;
  (void)heif::item_nclx(container, image, &nclx);
  (void)heif::first_tile(container, image);
  for (const char* coded : {"av01", "hvc1"}) {
    std::vector<heif::Tile> tiles;
    heif::Size tile_size;
    (void)heif::image_tiles(container, image, primary->size, coded, &tiles, &tile_size);
  }
  (void)heif::read_metadata(container);
}
