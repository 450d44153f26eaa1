// HEIF (ISO/IEC 23008-12) structure over ISOBMFF boxes: the items in a file's meta box, where their bytes are,
// their properties and references, as AVIF reading needs them (avif.cpp decodes the items). Every read is
// bounded: a malformed file is a corrupt_image error, never a read outside the input.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/isobmff.h"
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

Status corrupt(const std::string& what);  // corrupt_image, "corrupt AVIF: <what>"
// The ftyp box's brands: 1 AVIF, 2 HEIC (recognised, not decodable here), 0 neither.
int classify_brands(ByteView bytes);
Result<Container> parse_container(ByteView bytes);
// An item's bytes: a view when they are one extent (the usual case), else a copy joined into `storage`.
Result<ByteView> item_data(const Container& c, const Item& item, std::string* storage);
Size item_size(const Container& c, const Item& item);  // from ispe; 0x0 when absent
const Item* alpha_item(const Container& c, const Item& primary);  // its auxl alpha plane, if any
Result<Grid> parse_grid(ByteView data);
// irot (anticlockwise quarter turns) then imir, as the EXIF orientation our pipeline applies.
uint8_t item_orientation(const Container& c, const Item& item);

}  // namespace edgepix::heif
