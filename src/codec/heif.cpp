#include "codec/heif.h"

#include "ops/orient.h"
#include "core/bytes.h"

namespace edgepix::heif {

using isobmff::Reader;

constexpr std::string_view kHevcAlphaUrn = "urn:mpeg:hevc:2015:auxid:1";

Status corrupt(const std::string& what) { return Status::error(ErrorCode::corrupt_image, "corrupt HEIF: " + what); }

bool lists_brand(ByteView bytes, const std::string_view* brands, size_t count) {
  // The ftyp box is read as far as the bytes go: a file cut inside it still names its brands, so it is a truncated
  // AVIF or HEIC (corrupt, 422), not an unknown format (415).
  Reader reader(bytes);
  const uint32_t size = reader.u32();
  if (!reader.ok() || reader.fourcc() != "ftyp" || size < 16) return false;
  Reader listed(reader.take(std::min<size_t>(size - 8, reader.remaining())));
  const auto wanted = [&](std::string_view brand) {
    return std::find(brands, brands + count, brand) != brands + count;
  };
  if (wanted(listed.fourcc())) return true;  // the major brand
  listed.skip(4);                            // minor version
  while (listed.remaining() >= 4)
    if (wanted(listed.fourcc())) return true;
  return false;
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
  if (item.construction_method > 1) return Status::error(ErrorCode::unsupported_format, "HEIF item references");
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

Result<PrimaryImage> open_primary(ByteView bytes) {
  Result<Container> parsed = parse_container(bytes);
  if (!parsed.ok()) return parsed.status();
  PrimaryImage primary;
  primary.container = std::move(parsed.value());
  primary.item = primary.container.item(primary.container.primary);
  primary.size = item_size(primary.container, *primary.item);
  return primary;
}

// A grid's tiles, from its dimg references in order; each must be a `coded_type` item.
static Status grid_tiles(const Container& c, const Item& image, Size size, std::string_view coded_type,
                         Grid* grid, std::vector<const Item*>* tiles) {
  std::string storage;
  Result<ByteView> data = item_data(c, image, &storage);
  if (!data.ok()) return data.status();
  Result<Grid> parsed = parse_grid(data.value());
  if (!parsed.ok()) return parsed.status();
  *grid = parsed.value();
  if (grid->width != size.width || grid->height != size.height) return corrupt("grid size differs from ispe");
  const std::vector<uint32_t>* refs = c.references_from(image.id, "dimg");
  if (!refs || refs->size() != size_t(grid->rows) * grid->columns) return corrupt("grid tiles missing");
  for (uint32_t id : *refs) {
    const Item* tile = c.item(id);
    if (!tile || tile->type != coded_type) return corrupt("grid tile is not a '" + std::string(coded_type) + "' image");
    tiles->push_back(tile);
  }
  return {};
}

Status image_tiles(const Container& c, const Item& image, Size size, std::string_view coded_type,
                   std::vector<Tile>* tiles, Size* tile_size) {
  std::vector<const Item*> items;
  Grid grid{1, 1, size.width, size.height};
  if (image.type == "grid") {
    EP_TRY(grid_tiles(c, image, size, coded_type, &grid, &items));
  } else if (image.type == coded_type) {
    items.push_back(&image);
  } else {
    return corrupt("unexpected item type '" + std::string(image.type) + "'");
  }
  *tile_size = image.type == "grid" ? item_size(c, *items[0]) : size;
  if (tile_size->width == 0 || tile_size->height == 0) return corrupt("an image item has no size (ispe)");
  if (uint64_t(tile_size->width) * grid.columns < grid.width || uint64_t(tile_size->height) * grid.rows < grid.height)
    return corrupt("grid tiles do not cover the image");
  for (size_t i = 0; i < items.size(); ++i) {
    const uint32_t x = uint32_t(i % grid.columns) * tile_size->width;
    const uint32_t y = uint32_t(i / grid.columns) * tile_size->height;
    if (x < size.width && y < size.height) tiles->push_back({items[i], x, y});  // else wholly outside the image
  }
  return {};
}

const Item* first_tile(const Container& c, const Item& image) {
  if (image.type != "grid") return &image;
  const std::vector<uint32_t>* tiles = c.references_from(image.id, "dimg");
  return tiles && !tiles->empty() ? c.item(tiles->front()) : &image;
}

// Each colr property of the item, by its colour type ("nclx", "prof", "rICC") and the rest of its payload.
template <class Visit>
static void for_each_colr(const Container& c, const Item& item, Visit visit) {
  for (uint16_t index : item.properties) {
    if (index < 1 || index > c.properties.size() || c.properties[index - 1].type != "colr") continue;
    Reader r(c.properties[index - 1].payload);
    const std::string_view kind = r.fourcc();
    visit(kind, r);
  }
}

bool item_nclx(const Container& c, const Item& item, Nclx* nclx) {
  bool found = false;
  for_each_colr(c, item, [&](std::string_view kind, Reader& r) {
    if (kind != "nclx") return;
    Nclx read;
    read.primaries = r.u16();
    read.transfer = r.u16();
    read.matrix = r.u16();
    read.full_range = (r.u8() & 0x80) != 0;
    if (!r.ok()) return;
    *nclx = read;
    found = true;
  });
  return found;
}

Metadata read_metadata(const Container& c) {
  Metadata m;
  for_each_colr(c, *c.item(c.primary), [&](std::string_view kind, Reader& r) {
    if (kind != "prof" && kind != "rICC") return;
    const ByteView icc = r.take(r.remaining());
    m.icc.assign(reinterpret_cast<const char*>(icc.data), icc.size);
  });
  for (const Reference& ref : c.references) {
    if (ref.type != "cdsc" || std::find(ref.to.begin(), ref.to.end(), c.primary) == ref.to.end()) continue;
    const Item* item = c.item(ref.from);
    if (!item) continue;
    std::string storage;
    Result<ByteView> data = item_data(c, *item, &storage);
    if (!data.ok()) continue;
    const ByteView d = data.value();
    if (item->type == "Exif" && d.size > 4) {
      const uint32_t offset = be32(d.data);  // to the TIFF header
      if (offset < d.size - 4) {
        const ByteView tiff = without_exif_prefix({d.data + 4 + offset, d.size - 4 - offset});
        m.exif.assign(reinterpret_cast<const char*>(tiff.data), tiff.size);
      }
    } else if (item->type == "mime" && item->content_type == "application/rdf+xml") {
      m.xmp.assign(reinterpret_cast<const char*>(d.data), d.size);
    }
  }
  return m;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

namespace {

struct OutputItem {
  uint16_t id;
  std::string_view type;
  std::string_view content_type;
  std::string_view data;
  std::vector<uint8_t> properties;  // 1-based ipco indexes; bit 7 marks essential
};

void write_ispe(isobmff::Writer* w, uint32_t width, uint32_t height) {
  const size_t box = w->open_full("ispe", 0, 0);
  w->u32(width);
  w->u32(height);
  w->close(box);
}

void write_pixi(isobmff::Writer* w, int channels) {
  const size_t box = w->open_full("pixi", 0, 0);
  w->u8(uint8_t(channels));
  for (int i = 0; i < channels; ++i) w->u8(8);
  w->close(box);
}

void write_box(isobmff::Writer* w, std::string_view type, std::string_view payload) {
  const size_t box = w->open(type);
  w->bytes(payload);
  w->close(box);
}

// The ipco boxes, in order, and the items that use them: the colour item, then alpha and metadata items.
std::vector<OutputItem> write_properties(const StillImage& image, const std::string& exif, isobmff::Writer* props) {
  const Metadata* metadata = image.metadata;
  write_ispe(props, image.width, image.height);                           // 1
  write_pixi(props, 3);                                                   // 2
  write_box(props, image.colour->config_type, image.colour->config);     // 3
  const size_t colr = props->open("colr");  // 4: the pixels' encoding (CICP), always
  props->fourcc("nclx");
  props->u16(image.nclx.primaries);
  props->u16(image.nclx.transfer);
  props->u16(image.nclx.matrix);
  props->u8(image.nclx.full_range ? 0x80 : 0);
  props->close(colr);
  uint8_t next = 5;
  std::vector<OutputItem> items;
  items.push_back({1, image.colour->type, {}, image.colour->data, {1, 2, uint8_t(0x80 | 3), 4}});
  if (metadata && !metadata->icc.empty()) {  // kept profile (metadata=keep): the pixels are in it
    items.back().properties.push_back(next++);
    const size_t prof = props->open("colr");
    props->fourcc("prof");
    props->bytes(metadata->icc);
    props->close(prof);
  }
  if (image.alpha) {
    const uint8_t pixi = next++, config = next++, auxc = next++;
    write_pixi(props, 1);
    write_box(props, image.alpha->config_type, image.alpha->config);
    const size_t box = props->open_full("auxC", 0, 0);
    props->cstring(kAlphaUrn);
    props->close(box);
    items.push_back({2, image.alpha->type, {}, image.alpha->data, {1, pixi, uint8_t(0x80 | config), auxc}});
  }
  if (!exif.empty()) items.push_back({3, "Exif", {}, exif, {}});
  if (metadata && !metadata->xmp.empty()) items.push_back({4, "mime", "application/rdf+xml", metadata->xmp, {}});
  return items;
}

// iloc with 32-bit offsets, to be patched once the mdat's position is known: where those fields are.
std::vector<size_t> write_iloc(isobmff::Writer* w, const std::vector<OutputItem>& items) {
  const size_t box = w->open_full("iloc", 0, 0);
  w->u8(0x44);  // offset_size 4, length_size 4
  w->u8(0x00);  // base_offset_size 0
  w->u16(uint16_t(items.size()));
  std::vector<size_t> offset_fields;
  for (const OutputItem& item : items) {
    w->u16(item.id);
    w->u16(0);  // data_reference_index: this file
    w->u16(1);  // one extent
    offset_fields.push_back(w->size());
    w->u32(0);
    w->u32(uint32_t(item.data.size()));
  }
  w->close(box);
  return offset_fields;
}

void write_iinf_and_iref(isobmff::Writer* w, const std::vector<OutputItem>& items) {
  size_t box = w->open_full("iinf", 0, 0);
  w->u16(uint16_t(items.size()));
  for (const OutputItem& item : items) {
    const size_t infe = w->open_full("infe", 2, item.type == "Exif" || item.type == "mime" ? 1 : 0);  // 1: hidden
    w->u16(item.id);
    w->u16(0);
    w->fourcc(item.type);
    w->cstring("");
    if (item.type == "mime") w->cstring(item.content_type);
    w->close(infe);
  }
  w->close(box);
  if (items.size() <= 1) return;
  box = w->open_full("iref", 0, 0);
  for (const OutputItem& item : items) {
    if (item.id == 1) continue;
    const size_t ref = w->open(item.id == 2 ? "auxl" : "cdsc");  // alpha of / metadata about the image
    w->u16(item.id);
    w->u16(1);
    w->u16(1);
    w->close(ref);
  }
  w->close(box);
}

void write_iprp(isobmff::Writer* w, const isobmff::Writer& props, const std::vector<OutputItem>& items) {
  const size_t iprp = w->open("iprp");
  write_box(w, "ipco", props.data());
  const size_t box = w->open_full("ipma", 0, 0);
  uint32_t associated = 0;
  for (const OutputItem& item : items) associated += !item.properties.empty();
  w->u32(associated);
  for (const OutputItem& item : items) {
    if (item.properties.empty()) continue;
    w->u16(item.id);
    w->u8(uint8_t(item.properties.size()));
    for (uint8_t index : item.properties) w->u8(index);
  }
  w->close(box);
  w->close(iprp);
}

void write_ftyp(isobmff::Writer* w, const StillImage& image) {
  size_t box = w->open("ftyp");
  w->fourcc(image.major_brand);
  w->u32(0);
  for (std::string_view brand : image.compatible_brands) w->fourcc(brand);
  w->close(box);
}

}  // namespace

Result<Buffer> write_still(const StillImage& image) {
  std::string exif;  // an Exif item: the offset to the TIFF header (0), then the TIFF structure
  if (image.metadata && !image.metadata->exif.empty()) exif = std::string(4, '\0') + image.metadata->exif;
  isobmff::Writer props;
  const std::vector<OutputItem> items = write_properties(image, exif, &props);

  isobmff::Writer w;
  write_ftyp(&w, image);
  const size_t meta = w.open_full("meta", 0, 0);
  size_t box = w.open_full("hdlr", 0, 0);
  w.u32(0);  // pre_defined
  w.fourcc("pict");
  for (int i = 0; i < 3; ++i) w.u32(0);
  w.cstring("");
  w.close(box);
  box = w.open_full("pitm", 0, 0);
  w.u16(1);
  w.close(box);
  const std::vector<size_t> offset_fields = write_iloc(&w, items);
  write_iinf_and_iref(&w, items);
  write_iprp(&w, props, items);
  w.close(meta);

  uint64_t payload = 0;
  for (const OutputItem& item : items) payload += item.data.size();
  if (payload + 8 > 0xffffffffu - w.size())
    return Status::error(ErrorCode::too_large, "the HEIF output would exceed 4 GB");
  uint32_t offset = uint32_t(w.size() + 8);
  for (size_t i = 0; i < items.size(); ++i) {
    w.patch_u32(offset_fields[i], offset);
    offset += uint32_t(items[i].data.size());
  }
  w.u32(uint32_t(payload + 8));
  w.fourcc("mdat");

  Buffer out;
  bool appended = out.append(reinterpret_cast<const uint8_t*>(w.data().data()), w.size());
  for (const OutputItem& item : items)
    appended = appended && out.append(reinterpret_cast<const uint8_t*>(item.data.data()), item.data.size());
  if (!appended) return Status::error(ErrorCode::out_of_memory, "out of memory for the HEIF output");
  return out;
}

}  // namespace edgepix::heif
