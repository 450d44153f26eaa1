// HEIF (ISO/IEC 23008-12), the container, over ISOBMFF boxes; whatever codes the pictures (AV1 for AVIF, HEVC for HEIC) is
// another file's job. Reading: the items in a file's meta box, where their bytes are, their properties and
// references, the primary image's tiles, colour and metadata. Every read is bounded: a malformed file is a
// corrupt_image error, never a read outside the input. Writing: a still image (a coded colour item, an optional
// alpha item, metadata items and properties) with its codec's item type and configuration property.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/isobmff.h"
#include "codec/metadata.h"
#include "core/buffer.h"
#include "core/status.h"

namespace edgepix::heif {

using isobmff::Box;

constexpr std::string_view kAlphaUrn = "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha";

struct Extent {
  uint64_t offset = 0, length = 0;
};

struct Item {
  uint32_t id = 0;
  std::string_view type;          // "av01", "grid", "Exif", "mime", "hvc1", ...
  std::string_view content_type;  // mime items
  uint8_t construction_method = 0;  // 0: file offsets, 1: offsets in idat
  uint64_t base_offset = 0;
  std::vector<Extent> extents;
  std::vector<uint16_t> properties;  // 1-based indexes into Container::properties
};

struct Reference {
  std::string_view type;
  uint32_t from = 0;
  std::vector<uint32_t> to;
};

// A file's items, their properties and references; views into the input, which must outlive it.
struct Container {
  ByteView file;
  ByteView idat;
  uint32_t primary = 0;
  std::vector<Item> items;
  std::vector<Box> properties;
  std::vector<Reference> references;

  const Item* item(uint32_t id) const {
    for (const Item& it : items)
      if (it.id == id) return &it;
    return nullptr;
  }
  const Box* property(const Item& item, std::string_view type) const {
    for (uint16_t index : item.properties)
      if (index >= 1 && index <= properties.size() && properties[index - 1].type == type)
        return &properties[index - 1];
    return nullptr;
  }
  // The items that `from` refers to with `type`, in order.
  const std::vector<uint32_t>* references_from(uint32_t from, std::string_view type) const {
    for (const Reference& r : references)
      if (r.from == from && r.type == type) return &r.to;
    return nullptr;
  }
  // The first item that refers to `to` with `type` and satisfies `accept`.
  template <class Accept>
  const Item* referring(uint32_t to, std::string_view type, Accept accept) const {
    for (const Reference& r : references)
      if (r.type == type && std::find(r.to.begin(), r.to.end(), to) != r.to.end())
        if (const Item* it = item(r.from); it && accept(*it)) return it;
    return nullptr;
  }
};

struct Size {
  uint32_t width = 0, height = 0;
};

// An image grid item's layout: tiles (rows x columns, from its dimg references in order) cropped to width x height.
struct Grid {
  uint32_t rows = 0, columns = 0, width = 0, height = 0;
};

Status corrupt(const std::string& what);  // corrupt_image, "corrupt HEIF: <what>"

// Brands, as a format's sniff looks for them in ftyp.
constexpr std::string_view kAvifBrands[] = {"avif", "avis"};
// Whether the ftyp box lists one of `brands`, as its major brand or a compatible one.
bool lists_brand(ByteView bytes, const std::string_view* brands, size_t count);
template <size_t N>
bool lists_brand(ByteView bytes, const std::string_view (&brands)[N]) {
  return lists_brand(bytes, brands, N);
}

Result<Container> parse_container(ByteView bytes);
// An item's bytes: a view when they are one extent (the usual case), else a copy joined into `storage`.
Result<ByteView> item_data(const Container& c, const Item& item, std::string* storage);
Size item_size(const Container& c, const Item& item);  // from ispe; 0x0 when absent
const Item* alpha_item(const Container& c, const Item& primary);  // its auxl alpha plane, if any
Result<Grid> parse_grid(ByteView data);
// irot (anticlockwise quarter turns) then imir, as the EXIF orientation our pipeline applies.
uint8_t item_orientation(const Container& c, const Item& item);

// The image a decoder shows: the primary item (a coded image or a grid of them), with its size (0x0 without
// ispe: the caller checks the item's type first). Item points into container.items, whose elements stay put
// when the vector is moved.
struct PrimaryImage {
  Container container;
  const Item* item = nullptr;
  Size size;
};
Result<PrimaryImage> open_primary(ByteView bytes);

// The coded items that make up `image` (of `size`): the item itself when its type is `coded_type`, else each
// tile of its grid that lies inside the image, with where it goes. Every tile has the same size, `tile_size`.
struct Tile {
  const Item* item;
  uint32_t x, y;
};
Status image_tiles(const Container& c, const Item& image, Size size, std::string_view coded_type,
                   std::vector<Tile>* tiles, Size* tile_size);
// The first coded item of `image`: its grid's first tile (null when that is missing), else itself.
const Item* first_tile(const Container& c, const Item& image);

// Colour signalled by an nclx colr property (ISO/IEC 23091-2 code points).
struct Nclx {
  uint16_t primaries = 1;  // BT.709 (sRGB)
  uint16_t transfer = 13;  // sRGB
  uint16_t matrix = 6;     // BT.601
  bool full_range = true;
};
// The item's nclx property (the last, when there are several); false when it has none.
bool item_nclx(const Container& c, const Item& item, Nclx* nclx);

// EXIF and XMP items describing the primary image (cdsc), and its ICC profile (colr prof/rICC).
Metadata read_metadata(const Container& c);

// A coded picture for the writer, in its codec's terms: the item type, the configuration property and the data.
struct CodedItem {
  std::string_view type;         // "av01"
  std::string_view config_type;  // "av1C"
  std::string config;            // the configuration property's payload
  std::string data;              // the coded picture
};

// One still image: a colour item (8-bit, 3 channels), an alpha item (8-bit monochrome) when `alpha` is set,
// the metadata as items and properties.
struct StillImage {
  std::string_view major_brand;
  std::vector<std::string_view> compatible_brands;
  uint32_t width = 0, height = 0;
  const CodedItem* colour = nullptr;
  const CodedItem* alpha = nullptr;
  Nclx nclx;  // how the colour item's samples are coded, always written
  const Metadata* metadata = nullptr;
};
Result<Buffer> write_still(const StillImage& image);

}  // namespace edgepix::heif
