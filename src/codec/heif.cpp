#include "codec/heif.h"

#include "ops/orient.h"

namespace edgepix::heif {

using isobmff::Reader;

constexpr std::string_view kHevcAlphaUrn = "urn:mpeg:hevc:2015:auxid:1";

Status corrupt(const std::string& what) { return Status::error(ErrorCode::corrupt_image, "corrupt AVIF: " + what); }

static bool brand_is_avif(std::string_view brand) { return brand == "avif" || brand == "avis"; }
static bool brand_is_heic(std::string_view brand) {
  return brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" || brand == "hevc" ||
         brand == "hevx";
}

int classify_brands(ByteView bytes) {
  Reader reader(bytes);
  Box box;
  if (!isobmff::next_box(&reader, &box) || box.type != "ftyp" || box.payload.size < 8) return 0;
  Reader brands(box.payload);
  int kind = 0;
  const std::string_view major = brands.fourcc();
  brands.skip(4);  // minor version
  if (brand_is_avif(major)) return 1;
  if (brand_is_heic(major)) kind = 2;
  while (brands.remaining() >= 4) {
    const std::string_view brand = brands.fourcc();
    if (brand_is_avif(brand)) return 1;
    if (brand_is_heic(brand)) kind = 2;
  }
  return kind;
}

// The item with this id, added if iinf/iloc has not named it yet (their order in the file is free). The pointer
// lasts until the next item is added.
static Item* item_with_id(Container* c, uint32_t id) {
  for (Item& it : c->items)
    if (it.id == id) return &it;
  c->items.push_back({});
  c->items.back().id = id;
  return &c->items.back();
}

static Status parse_iloc(ByteView payload, Container* c) {
  Reader r(payload);
  const auto header = isobmff::full_box_header(&r);
  if (header.version > 2) return corrupt("iloc version " + std::to_string(header.version));
  const uint8_t sizes = r.u8(), more = r.u8();
  const size_t offset_size = sizes >> 4, length_size = sizes & 15, base_offset_size = more >> 4;
  const size_t index_size = header.version >= 1 ? more & 15 : 0;
  const uint32_t count = header.version < 2 ? r.u16() : r.u32();
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    const uint32_t id = header.version < 2 ? r.u16() : r.u32();
    uint8_t method = 0;
    if (header.version >= 1) method = r.u16() & 15;
    r.skip(2);  // data_reference_index: 0 (this file) is all HEIF allows
    const uint64_t base = r.number(base_offset_size);
    const uint16_t extents = r.u16();
    Item* item = item_with_id(c, id);
    item->construction_method = method;
    item->base_offset = base;
    item->extents.clear();
    for (uint16_t e = 0; e < extents && r.ok(); ++e) {
      r.number(index_size);
      const uint64_t offset = r.number(offset_size);
      const uint64_t length = r.number(length_size);
      item->extents.push_back({offset, length});
    }
  }
  return r.ok() ? Status() : corrupt("truncated iloc");
}

static Status parse_iinf(ByteView payload, Container* c) {
  Reader r(payload);
  const auto header = isobmff::full_box_header(&r);
  const uint32_t count = header.version == 0 ? r.u16() : r.u32();
  Box box;
  for (uint32_t i = 0; i < count && isobmff::next_box(&r, &box); ++i) {
    if (box.type != "infe") continue;
    Reader e(box.payload);
    const auto infe = isobmff::full_box_header(&e);
    if (infe.version < 2) continue;  // versions 0 and 1 describe files, not images
    const uint32_t id = infe.version == 2 ? e.u16() : e.u32();
    e.skip(2);  // item_protection_index
    const std::string_view type = e.fourcc();
    e.cstring();  // item_name
    std::string_view content_type;
    if (type == "mime") content_type = e.cstring();
    if (!e.ok()) return corrupt("truncated infe");
    Item* item = item_with_id(c, id);
    item->type = type;
    item->content_type = content_type;
  }
  return r.ok() ? Status() : corrupt("truncated iinf");
}

static Status parse_iref(ByteView payload, Container* c) {
  Reader r(payload);
  const auto header = isobmff::full_box_header(&r);
  Box box;
  while (isobmff::next_box(&r, &box)) {
    Reader e(box.payload);
    Reference ref;
    ref.type = box.type;
    ref.from = header.version == 0 ? e.u16() : e.u32();
    const uint16_t count = e.u16();
    for (uint16_t i = 0; i < count && e.ok(); ++i) ref.to.push_back(header.version == 0 ? e.u16() : e.u32());
    if (!e.ok()) return corrupt("truncated iref");
    c->references.push_back(std::move(ref));
  }
  return r.ok() ? Status() : corrupt("truncated iref");
}

static Status parse_iprp(ByteView payload, Container* c) {
  Reader r(payload);
  Box box;
  while (isobmff::next_box(&r, &box)) {
    if (box.type == "ipco") {
      Reader p(box.payload);
      Box property;
      while (isobmff::next_box(&p, &property)) c->properties.push_back(property);
      if (!p.ok()) return corrupt("truncated ipco");
    } else if (box.type == "ipma") {
      Reader a(box.payload);
      const auto header = isobmff::full_box_header(&a);
      const uint32_t count = a.u32();
      for (uint32_t i = 0; i < count && a.ok(); ++i) {
        const uint32_t id = header.version < 1 ? a.u16() : a.u32();
        const uint8_t associations = a.u8();
        std::vector<uint16_t> indexes;
        for (uint8_t j = 0; j < associations && a.ok(); ++j)
          indexes.push_back((header.flags & 1) ? a.u16() & 0x7fff : a.u8() & 0x7f);
        for (Item& it : c->items)
          if (it.id == id) it.properties = indexes;
      }
      if (!a.ok()) return corrupt("truncated ipma");
    }
  }
  return r.ok() ? Status() : corrupt("truncated iprp");
}

Result<Container> parse_container(ByteView bytes) {
  Container c;
  c.file = bytes;
  Reader top(bytes);
  Box box;
  bool have_meta = false;
  while (isobmff::next_box(&top, &box)) {
    if (box.type != "meta") continue;
    have_meta = true;
    Reader meta(box.payload);
    isobmff::full_box_header(&meta);
    Box child;
    ByteView iloc{}, iprp{};
    while (isobmff::next_box(&meta, &child)) {
      if (child.type == "pitm") {
        Reader p(child.payload);
        const auto header = isobmff::full_box_header(&p);
        c.primary = header.version == 0 ? p.u16() : p.u32();
      } else if (child.type == "iinf") {
        EP_TRY(parse_iinf(child.payload, &c));
      } else if (child.type == "iloc") {
        iloc = child.payload;
      } else if (child.type == "iref") {
        EP_TRY(parse_iref(child.payload, &c));
      } else if (child.type == "iprp") {
        iprp = child.payload;
      } else if (child.type == "idat") {
        c.idat = child.payload;
      }
    }
    if (!meta.ok()) return corrupt("truncated meta box");
    // After iinf, so locations and properties attach to known items (their order in the file is free).
    if (iloc.data) EP_TRY(parse_iloc(iloc, &c));
    if (iprp.data) EP_TRY(parse_iprp(iprp, &c));
    break;
  }
  if (!have_meta) return corrupt(top.ok() ? "no meta box (an image sequence without a still image?)"
                                          : "truncated box structure");
  if (!c.item(c.primary)) return corrupt("no primary item");
  return c;
}

Result<ByteView> item_data(const Container& c, const Item& item, std::string* storage) {
  const ByteView source = item.construction_method == 1 ? c.idat : c.file;
  if (item.construction_method > 1) return Status::error(ErrorCode::unsupported_format, "AVIF item references");
  if (item.extents.empty()) return corrupt("item " + std::to_string(item.id) + " has no data");
  auto extent_view = [&](const Extent& e, ByteView* out) {
    const uint64_t start = item.base_offset + e.offset;
    const uint64_t length = e.length ? e.length : (start <= source.size ? source.size - start : 0);
    if (start > source.size || length > source.size - start || length == 0) return false;
    *out = {source.data + start, size_t(length)};
    return true;
  };
  ByteView view;
  if (item.extents.size() == 1) {
    if (!extent_view(item.extents[0], &view)) return corrupt("item data outside the file (truncated?)");
    return view;
  }
  storage->clear();
  for (const Extent& e : item.extents) {
    if (!extent_view(e, &view)) return corrupt("item data outside the file (truncated?)");
    storage->append(reinterpret_cast<const char*>(view.data), view.size);
  }
  return ByteView{reinterpret_cast<const uint8_t*>(storage->data()), storage->size()};
}

Size item_size(const Container& c, const Item& item) {
  const Box* ispe = c.property(item, "ispe");
  if (!ispe) return {};
  Reader r(ispe->payload);
  isobmff::full_box_header(&r);
  Size size{r.u32(), r.u32()};
  return r.ok() ? size : Size{};
}

static bool is_alpha_item(const Container& c, const Item& item) {
  const Box* auxc = c.property(item, "auxC");
  if (!auxc) return false;
  Reader r(auxc->payload);
  isobmff::full_box_header(&r);
  const std::string_view urn = r.cstring();
  return r.ok() && (urn == kAlphaUrn || urn == kHevcAlphaUrn);
}

const Item* alpha_item(const Container& c, const Item& primary) {
  return c.referring(primary.id, "auxl", [&](const Item& it) { return is_alpha_item(c, it); });
}

Result<Grid> parse_grid(ByteView data) {
  Reader r(data);
  r.u8();  // version 0
  const uint8_t flags = r.u8();
  Grid grid;
  grid.rows = r.u8() + 1u;
  grid.columns = r.u8() + 1u;
  const size_t field = (flags & 1) ? 4 : 2;
  grid.width = uint32_t(r.number(field));
  grid.height = uint32_t(r.number(field));
  if (!r.ok() || grid.width == 0 || grid.height == 0) return corrupt("bad image grid");
  return grid;
}

uint8_t item_orientation(const Container& c, const Item& item) {
  uint8_t orientation = 1;
  for (uint16_t index : item.properties) {
    if (index < 1 || index > c.properties.size()) continue;
    const Box& p = c.properties[index - 1];
    if (p.type == "irot" && p.payload.size >= 1) {
      const uint16_t clockwise[] = {0, 270, 180, 90};
      orientation = compose_orientation(orientation, false, false, clockwise[p.payload.data[0] & 3]);
    } else if (p.type == "imir" && p.payload.size >= 1) {
      // mode 0: top and bottom exchange; 1: left and right (the reading libavif, libheif and browsers share).
      const bool left_right = (p.payload.data[0] & 1) != 0;
      orientation = compose_orientation(orientation, left_right, !left_right, 0);
    }
  }
  return orientation;
}

}  // namespace edgepix::heif
