// AVIF: AV1 still images in a HEIF (ISOBMFF) container. The container is ours (isobmff.h), the AV1 coding is
// aom's (encode) and dav1d's (decode). Our own container rather than libheif: see README.md ("AVIF") for the
// size measurement that decided it.
//
// Written: one 8-bit 4:2:0 colour item (BT.601 full range, sRGB primaries and transfer, as JPEG), an alpha
// auxiliary item when the image has transparency, EXIF/XMP items and an ICC profile when the metadata policy
// keeps them. Read: av01 items and grids of them, 8/10/12-bit, 4:0:0/4:2:0/4:2:2/4:4:4, the common matrix
// coefficients and both ranges, alpha (straight or premultiplied), irot/imir as an EXIF orientation.
#include <aom/aom_encoder.h>
#include <aom/aomcx.h>
#include <dav1d/dav1d.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/isobmff.h"
#include "core/limits.h"
#include "ops/orient.h"

namespace edgepix {
namespace {

using isobmff::Box;
using isobmff::Reader;

// aom's all-intra speed (0 slowest .. 9 fastest), chosen by measurement (README.md, "AVIF"): on a 1000 px
// photo 9 is ~4x faster than 6 for ~20% more bytes at equal SSIM; 7 is 3x slower than 9 and no smaller; 8 is
// an outlier in aom 3.6 (twice the bytes of 7 or 9 at equal SSIM).
constexpr int kAvifSpeed = 9;

constexpr std::string_view kAlphaUrn = "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha";
constexpr std::string_view kHevcAlphaUrn = "urn:mpeg:hevc:2015:auxid:1";

// ---------------------------------------------------------------------------------------------------------
// Reading the container

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

Status corrupt(const std::string& what) { return Status::error(ErrorCode::corrupt_image, "corrupt AVIF: " + what); }

bool brand_is_avif(std::string_view brand) { return brand == "avif" || brand == "avis"; }
bool brand_is_heic(std::string_view brand) {
  return brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" || brand == "hevc" ||
         brand == "hevx";
}

// The ftyp box's brands: 1 AVIF, 2 HEIC (recognised, not decodable here), 0 neither.
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

Status parse_iloc(ByteView payload, Container* c) {
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
    Item* item = nullptr;
    for (Item& it : c->items)
      if (it.id == id) item = &it;
    if (!item) {
      c->items.push_back({});
      item = &c->items.back();
      item->id = id;
    }
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

Status parse_iinf(ByteView payload, Container* c) {
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
    Item* item = nullptr;
    for (Item& it : c->items)
      if (it.id == id) item = &it;
    if (!item) {
      c->items.push_back({});
      item = &c->items.back();
      item->id = id;
    }
    item->type = type;
    item->content_type = content_type;
  }
  return r.ok() ? Status() : corrupt("truncated iinf");
}

Status parse_iref(ByteView payload, Container* c) {
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

Status parse_iprp(ByteView payload, Container* c) {
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

// An item's bytes: a view when they are one extent (the usual case), else a copy joined into `storage`.
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

struct Size {
  uint32_t width = 0, height = 0;
};

Size item_size(const Container& c, const Item& item) {
  const Box* ispe = c.property(item, "ispe");
  if (!ispe) return {};
  Reader r(ispe->payload);
  isobmff::full_box_header(&r);
  Size size{r.u32(), r.u32()};
  return r.ok() ? size : Size{};
}

bool is_alpha_item(const Container& c, const Item& item) {
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

struct Grid {
  uint32_t rows = 0, columns = 0, width = 0, height = 0;
};

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

// irot (anticlockwise quarter turns) then imir, as the EXIF orientation our pipeline applies.
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

// The colour item to decode: the primary, or what a thumbnail-less file calls primary.
Result<const Item*> colour_item(const Container& c) {
  const Item* primary = c.item(c.primary);
  if (primary->type == "av01" || primary->type == "grid") return primary;
  if (primary->type == "hvc1")
    return Status::error(ErrorCode::unsupported_format, "HEIC (HEVC-coded HEIF) input is not supported: use AVIF");
  return Status::error(ErrorCode::unsupported_format,
                       "the AVIF primary item is '" + std::string(primary->type) + "', not an AV1 image");
}

// ---------------------------------------------------------------------------------------------------------
// AV1 decoding and YUV → RGB

struct Decoder {
  Dav1dContext* context = nullptr;
  ~Decoder() {
    if (context) dav1d_close(&context);
  }
};

struct Picture {
  Dav1dPicture p{};
  ~Picture() { dav1d_picture_unref(&p); }
};

void no_free(const uint8_t*, void*) {}

// Decodes one AV1 image item (a single key frame) into `picture`, which must be width × height.
Status decode_av1(ByteView obus, Size expected, Picture* picture) {
  Dav1dSettings settings;
  dav1d_default_settings(&settings);
  settings.n_threads = 1;       // a Worker isolate has one thread; native callers parallelise across requests
  settings.max_frame_delay = 1;
  settings.all_layers = 0;
  settings.frame_size_limit = std::max<unsigned>(expected.width * expected.height, 1);
  Decoder decoder;
  if (dav1d_open(&decoder.context, &settings) != 0)
    return Status::error(ErrorCode::out_of_memory, "AV1 decoder: out of memory");
  Dav1dData data{};
  if (dav1d_data_wrap(&data, obus.data, obus.size, no_free, nullptr) != 0) return corrupt("empty AV1 item");
  for (int round = 0; round < 64; ++round) {
    if (data.sz > 0) {
      const int sent = dav1d_send_data(decoder.context, &data);
      if (sent < 0 && sent != DAV1D_ERR(EAGAIN)) {
        dav1d_data_unref(&data);
        return corrupt("the AV1 bitstream does not decode");
      }
    }
    const int got = dav1d_get_picture(decoder.context, &picture->p);
    if (got == 0) break;
    if (got != DAV1D_ERR(EAGAIN) || data.sz == 0) {
      dav1d_data_unref(&data);
      return corrupt(got == DAV1D_ERR(EAGAIN) ? "the AV1 item holds no complete frame"
                                              : "the AV1 bitstream does not decode");
    }
  }
  dav1d_data_unref(&data);
  if (!picture->p.data[0]) return corrupt("the AV1 item holds no frame");
  if (uint32_t(picture->p.p.w) != expected.width || uint32_t(picture->p.p.h) != expected.height)
    return corrupt("the AV1 frame is " + std::to_string(picture->p.p.w) + "x" + std::to_string(picture->p.p.h) +
                   ", the container says " + std::to_string(expected.width) + "x" + std::to_string(expected.height));
  return {};
}

struct ColourInfo {
  int matrix = 6;  // ISO/IEC 23091-2 matrix coefficients
  bool full_range = true;
};

// nclx from the item's colr property when present (it overrides the bitstream), else the sequence header's.
ColourInfo colour_info(const Container& c, const Item& item, const Dav1dPicture& picture) {
  ColourInfo info;
  info.matrix = picture.seq_hdr ? picture.seq_hdr->mtrx : 2;
  info.full_range = picture.seq_hdr ? picture.seq_hdr->color_range != 0 : true;
  for (uint16_t index : item.properties) {
    if (index < 1 || index > c.properties.size() || c.properties[index - 1].type != "colr") continue;
    Reader r(c.properties[index - 1].payload);
    if (r.fourcc() != "nclx") continue;
    r.u16();  // primaries
    r.u16();  // transfer
    const uint16_t matrix = r.u16();
    const uint8_t range = r.u8();
    if (r.ok()) info = {matrix, (range & 0x80) != 0};
  }
  return info;
}

// Sample → 8-bit contribution tables in 1/256ths for one bit depth, range and matrix; a lookup per sample
// keeps every bit depth and range on the same fast path.
struct YuvTables {
  std::vector<int32_t> y, cr_r, cb_g, cr_g, cb_b;
  bool identity = false;

  YuvTables(int bits, const ColourInfo& info) {
    const int count = 1 << bits;
    const double scale = double(1 << (bits - 8));
    y.resize(count);
    cr_r.resize(count);
    cb_g.resize(count);
    cr_g.resize(count);
    cb_b.resize(count);
    double kr = 0.299, kb = 0.114;  // BT.601 (5, 6) and unspecified (2), as JPEG
    if (info.matrix == 1) kr = 0.2126, kb = 0.0722;
    if (info.matrix == 9 || info.matrix == 10) kr = 0.2627, kb = 0.0593;
    identity = info.matrix == 0;
    const double kg = 1 - kr - kb;
    for (int v = 0; v < count; ++v) {
      const double luma = info.full_range ? v / ((count - 1) / 255.0) : (v - 16 * scale) * 255.0 / (219 * scale);
      const double chroma = info.full_range ? (v - 128 * scale) / ((count - 1) / 255.0)
                                            : (v - 128 * scale) * 255.0 / (224 * scale);
      y[v] = int32_t(luma * 256);
      if (identity) {  // GBR: every plane is a colour channel, scaled like luma
        cr_r[v] = cb_b[v] = int32_t(luma * 256);
        cb_g[v] = cr_g[v] = 0;
        continue;
      }
      cr_r[v] = int32_t(chroma * (2 - 2 * kr) * 256);
      cb_g[v] = int32_t(-chroma * (2 * kb * (1 - kb) / kg) * 256);
      cr_g[v] = int32_t(-chroma * (2 * kr * (1 - kr) / kg) * 256);
      cb_b[v] = int32_t(chroma * (2 - 2 * kb) * 256);
    }
  }
};

inline uint8_t clamp8(int32_t v) { return uint8_t(std::clamp((v + 128) >> 8, 0, 255)); }

// One chroma plane at full width for luma row `y`. Subsampled planes are interpolated as libjpeg's "fancy"
// upsampling does (chroma sited between luma samples: 3/4 of the nearer sample, 1/4 of the farther, on each
// subsampled axis), so colour edges stay smooth when the image is enlarged.
template <class Sample>
void chroma_row(const Dav1dPicture& picture, int plane, uint32_t y, int ssx, int ssy, uint32_t w, uint16_t* out) {
  const uint32_t cw = (uint32_t(picture.p.w) + ssx) >> ssx, ch = (uint32_t(picture.p.h) + ssy) >> ssy;
  const auto row = [&](uint32_t cy) {
    return reinterpret_cast<const Sample*>(static_cast<const uint8_t*>(picture.data[plane]) +
                                           ptrdiff_t(cy) * picture.stride[1]);
  };
  const uint32_t near_y = y >> ssy;
  const uint32_t far_y = !ssy ? near_y : (y & 1) ? std::min(near_y + 1, ch - 1) : (near_y ? near_y - 1 : 0);
  const Sample* a = row(near_y);
  const Sample* b = row(far_y);
  const auto column = [&](uint32_t cx) { return ssy ? 3 * a[cx] + b[cx] : 4 * a[cx]; };  // in quarters
  if (!ssx) {
    for (uint32_t x = 0; x < w; ++x) out[x] = uint16_t((column(x) + 2) >> 2);
    return;
  }
  for (uint32_t x = 0; x < w; ++x) {
    const uint32_t cx = x >> 1;
    const uint32_t far_x = (x & 1) ? std::min(cx + 1, cw - 1) : (cx ? cx - 1 : 0);
    out[x] = uint16_t((3 * column(cx) + column(far_x) + 8) >> 4);
  }
}

// Writes the picture's colour into `image` at (dx, dy), clipped to the image.
template <class Sample>
void yuv_to_rgb(const Dav1dPicture& picture, const YuvTables& t, Image* image, uint32_t dx, uint32_t dy) {
  const uint32_t w = std::min<uint32_t>(picture.p.w, image->width - dx);
  const uint32_t h = std::min<uint32_t>(picture.p.h, image->height - dy);
  const bool mono = picture.p.layout == DAV1D_PIXEL_LAYOUT_I400;
  const int ssx = picture.p.layout == DAV1D_PIXEL_LAYOUT_I420 || picture.p.layout == DAV1D_PIXEL_LAYOUT_I422;
  const int ssy = picture.p.layout == DAV1D_PIXEL_LAYOUT_I420;
  const uint32_t channels = image->channels;
  const int32_t mask = int32_t(t.y.size()) - 1;  // guards the tables against out-of-range samples
  std::vector<uint16_t> cb(mono ? 0 : w), cr(mono ? 0 : w);
  for (uint32_t y = 0; y < h; ++y) {
    const Sample* luma = reinterpret_cast<const Sample*>(static_cast<const uint8_t*>(picture.data[0]) +
                                                         ptrdiff_t(y) * picture.stride[0]);
    uint8_t* out = image->row(dy + y) + size_t(dx) * channels;
    if (mono) {
      for (uint32_t x = 0; x < w; ++x, out += channels) out[0] = out[1] = out[2] = clamp8(t.y[luma[x] & mask]);
      continue;
    }
    chroma_row<Sample>(picture, 1, y, ssx, ssy, w, cb.data());
    chroma_row<Sample>(picture, 2, y, ssx, ssy, w, cr.data());
    if (t.identity) {
      for (uint32_t x = 0; x < w; ++x, out += channels) {
        out[0] = clamp8(t.cr_r[cr[x] & mask]);
        out[1] = clamp8(t.y[luma[x] & mask]);
        out[2] = clamp8(t.cb_b[cb[x] & mask]);
      }
      continue;
    }
    for (uint32_t x = 0; x < w; ++x, out += channels) {
      const int32_t Y = t.y[luma[x] & mask], u = cb[x] & mask, v = cr[x] & mask;
      out[0] = clamp8(Y + t.cr_r[v]);
      out[1] = clamp8(Y + t.cb_g[u] + t.cr_g[v]);
      out[2] = clamp8(Y + t.cb_b[u]);
    }
  }
}

template <class Sample>
void luma_to_alpha(const Dav1dPicture& picture, bool full_range, Image* image, uint32_t dx, uint32_t dy) {
  const uint32_t w = std::min<uint32_t>(picture.p.w, image->width - dx);
  const uint32_t h = std::min<uint32_t>(picture.p.h, image->height - dy);
  const int bits = picture.p.bpc;
  const int32_t max = (1 << bits) - 1, scale = 1 << (bits - 8);
  for (uint32_t y = 0; y < h; ++y) {
    const Sample* luma = reinterpret_cast<const Sample*>(static_cast<const uint8_t*>(picture.data[0]) +
                                                         ptrdiff_t(y) * picture.stride[0]);
    uint8_t* out = image->row(dy + y) + size_t(dx) * 4 + 3;
    for (uint32_t x = 0; x < w; ++x, out += 4) {
      const int32_t v = std::min<int32_t>(luma[x], max);
      const int32_t a = full_range ? (v * 255 + max / 2) / max : ((v - 16 * scale) * 255 + 219 * scale / 2) / (219 * scale);
      *out = uint8_t(std::clamp(a, 0, 255));
    }
  }
}

// Decodes an av01 item, or each tile of a grid item, into `image` (colour, or alpha into channel 3).
Status decode_into(const Container& c, const Item& item, bool alpha, Image* image) {
  std::string storage;
  std::vector<const Item*> tiles;
  Grid grid{1, 1, image->width, image->height};
  if (item.type == "grid") {
    Result<ByteView> data = item_data(c, item, &storage);
    if (!data.ok()) return data.status();
    Result<Grid> parsed = parse_grid(data.value());
    if (!parsed.ok()) return parsed.status();
    grid = parsed.value();
    if (grid.width != image->width || grid.height != image->height) return corrupt("grid size differs from ispe");
    const std::vector<uint32_t>* refs = c.references_from(item.id, "dimg");
    if (!refs || refs->size() != size_t(grid.rows) * grid.columns) return corrupt("grid tiles missing");
    for (uint32_t id : *refs) {
      const Item* tile = c.item(id);
      if (!tile || tile->type != "av01") return corrupt("grid tile is not an AV1 image");
      tiles.push_back(tile);
    }
  } else if (item.type == "av01") {
    tiles.push_back(&item);
  } else {
    return corrupt("unexpected item type '" + std::string(item.type) + "'");
  }
  const Size tile_size = item.type == "grid" ? item_size(c, *tiles[0]) : Size{image->width, image->height};
  if (tile_size.width == 0 || tile_size.height == 0) return corrupt("an image item has no size (ispe)");
  if (uint64_t(tile_size.width) * grid.columns < grid.width || uint64_t(tile_size.height) * grid.rows < grid.height)
    return corrupt("grid tiles do not cover the image");
  for (size_t i = 0; i < tiles.size(); ++i) {
    const uint32_t dx = uint32_t(i % grid.columns) * tile_size.width;
    const uint32_t dy = uint32_t(i / grid.columns) * tile_size.height;
    if (dx >= image->width || dy >= image->height) continue;  // a tile wholly outside the output
    std::string tile_storage;
    Result<ByteView> obus = item_data(c, *tiles[i], &tile_storage);
    if (!obus.ok()) return obus.status();
    Picture picture;
    EP_TRY(decode_av1(obus.value(), tile_size, &picture));
    const ColourInfo info = colour_info(c, *tiles[i], picture.p);
    const bool wide = picture.p.p.bpc > 8;
    if (alpha) {
      if (wide) luma_to_alpha<uint16_t>(picture.p, info.full_range, image, dx, dy);
      else luma_to_alpha<uint8_t>(picture.p, info.full_range, image, dx, dy);
    } else {
      const YuvTables tables(picture.p.p.bpc, info);
      if (wide) yuv_to_rgb<uint16_t>(picture.p, tables, image, dx, dy);
      else yuv_to_rgb<uint8_t>(picture.p, tables, image, dx, dy);
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------
// AV1 encoding

// The OBUs of an encoded frame without temporal delimiters (AV1-in-ISOBMFF wants none in an item), and the
// sequence header OBU on its own for av1C.
struct Av1Frame {
  std::string obus;
  std::string sequence_header;
};

size_t read_leb128(const uint8_t* p, size_t size, uint64_t* value) {
  *value = 0;
  for (size_t i = 0; i < 8 && i < size; ++i) {
    *value |= uint64_t(p[i] & 0x7f) << (7 * i);
    if (!(p[i] & 0x80)) return i + 1;
  }
  return 0;
}

Result<Av1Frame> split_obus(const std::string& stream) {
  Av1Frame frame;
  const auto* p = reinterpret_cast<const uint8_t*>(stream.data());
  size_t at = 0;
  while (at < stream.size()) {
    const uint8_t header = p[at];
    const int type = (header >> 3) & 15;
    const size_t header_size = (header & 4) ? 2 : 1;
    if (!(header & 2)) return Status::error(ErrorCode::internal, "AV1 encoder wrote an OBU without a size");
    uint64_t payload = 0;
    const size_t leb = at + header_size < stream.size()
                           ? read_leb128(p + at + header_size, stream.size() - at - header_size, &payload)
                           : 0;
    const size_t total = header_size + leb + size_t(payload);
    if (leb == 0 || total > stream.size() - at) return Status::error(ErrorCode::internal, "AV1 OBU overruns");
    if (type == 1 && frame.sequence_header.empty()) frame.sequence_header.assign(stream, at, total);
    if (type != 2) frame.obus.append(stream, at, total);  // 2: temporal delimiter
    at += total;
  }
  if (frame.sequence_header.empty()) return Status::error(ErrorCode::internal, "AV1 encoder wrote no sequence header");
  return frame;
}

// av1C (AV1-ISOBMFF §2.3): profile, level and tier from the sequence header, then the header itself.
std::string av1_config(const Av1Frame& frame, bool monochrome) {
  const auto* p = reinterpret_cast<const uint8_t*>(frame.sequence_header.data());
  const size_t header_size = (p[0] & 4) ? 2 : 1;
  uint64_t payload_size = 0;
  const size_t leb = read_leb128(p + header_size, frame.sequence_header.size() - header_size, &payload_size);
  const uint8_t* payload = p + header_size + leb;
  const size_t available = frame.sequence_header.size() - header_size - leb;
  uint8_t profile = 0, level = 31, tier = 0;
  if (available >= 2) {
    const uint32_t bits = uint32_t(payload[0]) << 8 | payload[1];
    profile = uint8_t(bits >> 13);
    const bool reduced = (bits >> 11) & 1;
    if (reduced) {
      level = uint8_t((bits >> 6) & 31);
    } else if (available >= 4 && !((bits >> 10) & 1)) {  // no timing info: the first operating point follows
      const uint32_t more = uint32_t(payload[0]) << 24 | uint32_t(payload[1]) << 16 | uint32_t(payload[2]) << 8 |
                            payload[3];
      // profile(3) still(1) reduced(1) timing(1) initial_display_delay(1) op_count(5) idc(12) level(5) tier(1)
      if (!((more >> 25) & 1)) {
        level = uint8_t((more >> 2) & 31);
        tier = level > 7 ? uint8_t((more >> 1) & 1) : 0;
      }
    }
  }
  std::string config;
  config.push_back(char(0x81));  // marker, version 1
  config.push_back(char(profile << 5 | level));
  // tier, high_bitdepth 0, twelve_bit 0, monochrome, chroma_subsampling_x 1, _y 1, chroma_sample_position 0
  config.push_back(char(tier << 7 | (monochrome ? 1 : 0) << 4 | 1 << 3 | 1 << 2));
  config.push_back(0);  // no initial_presentation_delay
  config += frame.sequence_header;
  return config;
}

struct Encoder {
  aom_codec_ctx_t context{};
  bool open = false;
  aom_image_t* image = nullptr;
  ~Encoder() {
    if (image) aom_img_free(image);
    if (open) aom_codec_destroy(&context);
  }
};

// Fills the encoder's 4:2:0 planes: BT.601 full-range YCbCr of the RGB (chroma from each 2×2 block's mean),
// or, for an alpha plane, alpha as luma with neutral chroma.
void fill_planes(const Image& image, bool alpha, aom_image_t* planes) {
  const uint32_t w = image.width, h = image.height, channels = image.channels;
  for (uint32_t y = 0; y < h; ++y) {
    const uint8_t* in = image.row(y);
    uint8_t* luma = planes->planes[0] + ptrdiff_t(y) * planes->stride[0];
    if (alpha) {
      for (uint32_t x = 0; x < w; ++x) luma[x] = in[x * 4 + 3];
    } else {
      for (uint32_t x = 0; x < w; ++x, in += channels)
        luma[x] = uint8_t((19595 * in[0] + 38470 * in[1] + 7471 * in[2] + 32768) >> 16);
    }
  }
  const uint32_t cw = (w + 1) / 2, ch = (h + 1) / 2;
  for (uint32_t cy = 0; cy < ch; ++cy) {
    uint8_t* cb = planes->planes[1] + ptrdiff_t(cy) * planes->stride[1];
    uint8_t* cr = planes->planes[2] + ptrdiff_t(cy) * planes->stride[2];
    if (alpha) {
      std::memset(cb, 128, cw);
      std::memset(cr, 128, cw);
      continue;
    }
    const uint8_t* row0 = image.row(2 * cy);
    const uint8_t* row1 = image.row(std::min(2 * cy + 1, h - 1));
    for (uint32_t cx = 0; cx < cw; ++cx) {
      const uint32_t x0 = 2 * cx * channels, x1 = std::min(2 * cx + 1, w - 1) * channels;
      int32_t sum[3];
      for (int k = 0; k < 3; ++k) sum[k] = row0[x0 + k] + row0[x1 + k] + row1[x0 + k] + row1[x1 + k];
      // Sums of four samples: the coefficients carry the / 4.
      cb[cx] = uint8_t(std::clamp((-11059 * sum[0] - 21709 * sum[1] + 32768 * sum[2] + (128 << 18) + (1 << 17)) >> 18, 0, 255));
      cr[cx] = uint8_t(std::clamp((32768 * sum[0] - 27439 * sum[1] - 5329 * sum[2] + (128 << 18) + (1 << 17)) >> 18, 0, 255));
    }
  }
}

// A quality number means the same in every format (Cloudflare's one `quality` scale): AVIF at q is calibrated
// to WebP at q by SSIM on photographs (README.md, "AVIF"), then mapped to aom's quantizer as libavif and
// libheif do (100 → 0, 0 → 63). Measured: q85 ≈ WebP q85's SSIM with ~20% fewer bytes.
int quantizer_for(int quality) {
  struct Point {
    int quality, avif;
  };
  static const Point kCalibration[] = {{1, 1}, {50, 46}, {70, 53}, {80, 60}, {85, 71}, {90, 81}, {95, 90}, {100, 100}};
  quality = std::clamp(quality, 1, 100);
  int avif = 100;
  for (size_t i = 1; i < sizeof(kCalibration) / sizeof(kCalibration[0]); ++i) {
    const Point a = kCalibration[i - 1], b = kCalibration[i];
    if (quality <= b.quality) {
      avif = a.avif + (quality - a.quality) * (b.avif - a.avif) / (b.quality - a.quality);
      break;
    }
  }
  return std::clamp(((100 - avif) * 63 + 50) / 100, 0, 63);
}

Result<Av1Frame> encode_av1(const Image& image, bool alpha, const EncodeSettings& settings) {
  // All-intra: aom's still-image mode (the real-time mode measured slower here, good-quality no better).
  const unsigned usage = AOM_USAGE_ALL_INTRA;
  const int speed = kAvifSpeed;
  aom_codec_iface_t* iface = aom_codec_av1_cx();
  aom_codec_enc_cfg_t config;
  if (aom_codec_enc_config_default(iface, &config, usage) != AOM_CODEC_OK)
    return Status::error(ErrorCode::internal, "AV1 encoder: no default configuration");
  config.g_w = image.width;
  config.g_h = image.height;
  config.g_threads = 1;
  config.g_limit = 1;  // one frame: a still picture (reduced sequence header)
  config.g_lag_in_frames = 0;
  config.g_profile = 0;  // main: 8-bit 4:2:0 and monochrome
  config.rc_end_usage = AOM_Q;
  config.monochrome = alpha ? 1 : 0;
  int quantizer = quantizer_for(settings.quality);
  if (alpha) quantizer = std::min(quantizer, 8);  // edges of cut-outs show alpha error more than colour error
  config.rc_min_quantizer = config.rc_max_quantizer = unsigned(quantizer);
  Encoder encoder;
  if (aom_codec_enc_init(&encoder.context, iface, &config, 0) != AOM_CODEC_OK)
    return Status::error(ErrorCode::out_of_memory, "AV1 encoder: cannot start (out of memory?)");
  encoder.open = true;
  aom_codec_ctx_t* ctx = &encoder.context;
  aom_codec_control(ctx, AOME_SET_CPUUSED, speed);
  aom_codec_control(ctx, AOME_SET_CQ_LEVEL, unsigned(quantizer));
  aom_codec_control(ctx, AV1E_SET_COLOR_RANGE, int(AOM_CR_FULL_RANGE));
  if (!alpha) {
    aom_codec_control(ctx, AV1E_SET_COLOR_PRIMARIES, int(AOM_CICP_CP_BT_709));
    aom_codec_control(ctx, AV1E_SET_TRANSFER_CHARACTERISTICS, int(AOM_CICP_TC_SRGB));
    aom_codec_control(ctx, AV1E_SET_MATRIX_COEFFICIENTS, int(AOM_CICP_MC_BT_601));
  }
  encoder.image = aom_img_alloc(nullptr, AOM_IMG_FMT_I420, image.width, image.height, 16);
  if (!encoder.image) return Status::error(ErrorCode::out_of_memory, "AV1 encoder: out of memory for planes");
  encoder.image->range = AOM_CR_FULL_RANGE;
  encoder.image->monochrome = alpha ? 1 : 0;
  fill_planes(image, alpha, encoder.image);

  std::string stream;
  auto collect = [&]() {
    aom_codec_iter_t iter = nullptr;
    while (const aom_codec_cx_pkt_t* packet = aom_codec_get_cx_data(ctx, &iter))
      if (packet->kind == AOM_CODEC_CX_FRAME_PKT)
        stream.append(static_cast<const char*>(packet->data.frame.buf), packet->data.frame.sz);
  };
  if (aom_codec_encode(ctx, encoder.image, 0, 1, 0) != AOM_CODEC_OK)
    return Status::error(ErrorCode::out_of_memory, std::string("AV1 encoder: ") + aom_codec_error(ctx));
  collect();
  if (aom_codec_encode(ctx, nullptr, 0, 0, 0) != AOM_CODEC_OK)  // flush
    return Status::error(ErrorCode::internal, std::string("AV1 encoder: ") + aom_codec_error(ctx));
  collect();
  return split_obus(stream);
}

bool any_transparent(const Image& image) {
  if (image.channels != 4) return false;
  const size_t count = size_t(image.width) * image.height;
  const uint8_t* p = image.pixels.data();
  for (size_t i = 0; i < count; ++i)
    if (p[i * 4 + 3] != 255) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Writing the container

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

}  // namespace

namespace avif {

bool is_heic(ByteView bytes) { return classify_brands(bytes) == 2; }

bool sniff(ByteView bytes) { return classify_brands(bytes) == 1; }

Result<ProbeInfo> probe(ByteView bytes) {
  Result<Container> parsed = parse_container(bytes);
  if (!parsed.ok()) return parsed.status();
  const Container& c = parsed.value();
  Result<const Item*> colour = colour_item(c);
  if (!colour.ok()) return colour.status();
  const Item& item = *colour.value();
  const Size size = item_size(c, item);
  if (size.width == 0 || size.height == 0) return corrupt("the primary image has no size (ispe)");
  ProbeInfo info;
  info.format = Format::avif;
  info.width = size.width;
  info.height = size.height;
  info.orientation = item_orientation(c, item);
  info.has_alpha = alpha_item(c, item) != nullptr;
  // dav1d holds the YUV planes (16-bit samples above 8 bits) and its own per-frame state while we convert.
  bool wide = false;
  const Item* first = &item;
  if (item.type == "grid")
    if (const auto* tiles = c.references_from(item.id, "dimg"); tiles && !tiles->empty()) first = c.item(tiles->front());
  if (first)
    if (const Box* av1c = c.property(*first, "av1C"); av1c && av1c->payload.size >= 3)
      wide = (av1c->payload.data[2] & 0x40) != 0;
  const Size tile = first ? item_size(c, *first) : size;
  info.decoder_overhead_bytes = uint64_t(tile.width) * tile.height * (wide ? 2 : 1) * 3 + (8u << 20);
  return info;
}

Result<Image> decode(ByteView bytes, uint32_t /*scale_denominator: AV1 has no scaled decode*/) {
  Result<Container> parsed = parse_container(bytes);
  if (!parsed.ok()) return parsed.status();
  const Container& c = parsed.value();
  Result<const Item*> colour = colour_item(c);
  if (!colour.ok()) return colour.status();
  const Item& item = *colour.value();
  const Size size = item_size(c, item);
  if (size.width == 0 || size.height == 0) return corrupt("the primary image has no size (ispe)");
  if (uint64_t(size.width) * size.height > Limits().max_source_pixels)
    return Status::error(ErrorCode::too_large, "the AVIF image is larger than the source pixel limit");
  const Item* alpha = alpha_item(c, item);
  Result<Image> image = Image::allocate(size.width, size.height, alpha ? 4 : 3);
  if (!image.ok()) return image;
  EP_TRY(decode_into(c, item, false, &image.value()));
  if (alpha) {
    const Size alpha_size = item_size(c, *alpha);
    if (alpha_size.width != size.width || alpha_size.height != size.height)
      return corrupt("the alpha plane's size differs from the image's");
    EP_TRY(decode_into(c, *alpha, true, &image.value()));
    // 'prem': the colour was stored multiplied by alpha.
    const std::vector<uint32_t>* prem = c.references_from(item.id, "prem");
    image->premultiplied = prem && std::find(prem->begin(), prem->end(), alpha->id) != prem->end();
  }
  return image;
}

Result<Buffer> encode(const Image& image, const EncodeSettings& settings) {
  Result<Av1Frame> colour = encode_av1(image, false, settings);
  if (!colour.ok()) return colour.status();
  Result<Av1Frame> alpha = Status();
  const bool has_alpha = any_transparent(image);
  if (has_alpha) {
    alpha = encode_av1(image, true, settings);
    if (!alpha.ok()) return alpha.status();
  }
  const Metadata* metadata = settings.metadata;
  std::string exif;
  if (metadata && !metadata->exif.empty()) exif = std::string(4, '\0') + metadata->exif;  // TIFF header offset 0

  // Properties, in ipco order (1-based indexes in the items below).
  isobmff::Writer props;
  write_ispe(&props, image.width, image.height);  // 1
  write_pixi(&props, 3);                          // 2
  size_t box = props.open("av1C");                // 3
  props.bytes(av1_config(colour.value(), false));
  props.close(box);
  box = props.open("colr");  // 4: the pixels' encoding (CICP), always
  props.fourcc("nclx");
  props.u16(1);     // BT.709 primaries (sRGB)
  props.u16(13);    // sRGB transfer
  props.u16(6);     // BT.601 matrix
  props.u8(0x80);   // full range
  props.close(box);
  uint8_t next = 5;
  uint8_t icc_index = 0;
  if (metadata && !metadata->icc.empty()) {  // kept profile (metadata=keep): the pixels are in it
    icc_index = next++;
    box = props.open("colr");
    props.fourcc("prof");
    props.bytes(metadata->icc);
    props.close(box);
  }
  uint8_t alpha_pixi = 0, alpha_av1c = 0, alpha_auxc = 0;
  if (has_alpha) {
    alpha_pixi = next++;
    write_pixi(&props, 1);
    alpha_av1c = next++;
    box = props.open("av1C");
    props.bytes(av1_config(alpha.value(), true));
    props.close(box);
    alpha_auxc = next++;
    box = props.open_full("auxC", 0, 0);
    props.cstring(kAlphaUrn);
    props.close(box);
  }

  std::vector<OutputItem> items;
  items.push_back({1, "av01", {}, colour->obus, {1, 2, uint8_t(0x80 | 3), 4}});
  if (icc_index) items.back().properties.push_back(icc_index);
  if (has_alpha) items.push_back({2, "av01", {}, alpha->obus, {1, alpha_pixi, uint8_t(0x80 | alpha_av1c), alpha_auxc}});
  if (!exif.empty()) items.push_back({3, "Exif", {}, exif, {}});
  if (metadata && !metadata->xmp.empty()) items.push_back({4, "mime", "application/rdf+xml", metadata->xmp, {}});

  isobmff::Writer w;
  box = w.open("ftyp");
  w.fourcc("avif");
  w.u32(0);
  for (std::string_view brand : {"avif", "mif1", "miaf"}) w.fourcc(brand);
  w.close(box);

  const size_t meta = w.open_full("meta", 0, 0);
  box = w.open_full("hdlr", 0, 0);
  w.u32(0);  // pre_defined
  w.fourcc("pict");
  for (int i = 0; i < 3; ++i) w.u32(0);
  w.cstring("");
  w.close(box);
  box = w.open_full("pitm", 0, 0);
  w.u16(1);
  w.close(box);

  // iloc with 32-bit offsets, patched once the mdat's position is known.
  box = w.open_full("iloc", 0, 0);
  w.u8(0x44);  // offset_size 4, length_size 4
  w.u8(0x00);  // base_offset_size 0
  w.u16(uint16_t(items.size()));
  std::vector<size_t> offset_fields;
  for (const OutputItem& item : items) {
    w.u16(item.id);
    w.u16(0);  // data_reference_index: this file
    w.u16(1);  // one extent
    offset_fields.push_back(w.size());
    w.u32(0);
    w.u32(uint32_t(item.data.size()));
  }
  w.close(box);

  box = w.open_full("iinf", 0, 0);
  w.u16(uint16_t(items.size()));
  for (const OutputItem& item : items) {
    const size_t infe = w.open_full("infe", 2, item.type == "Exif" || item.type == "mime" ? 1 : 0);  // 1: hidden
    w.u16(item.id);
    w.u16(0);
    w.fourcc(item.type);
    w.cstring("");
    if (item.type == "mime") w.cstring(item.content_type);
    w.close(infe);
  }
  w.close(box);

  if (items.size() > 1) {
    box = w.open_full("iref", 0, 0);
    for (const OutputItem& item : items) {
      if (item.id == 1) continue;
      const size_t ref = w.open(item.id == 2 ? "auxl" : "cdsc");  // alpha of / metadata about the image
      w.u16(item.id);
      w.u16(1);
      w.u16(1);
      w.close(ref);
    }
    w.close(box);
  }

  const size_t iprp = w.open("iprp");
  box = w.open("ipco");
  w.bytes(props.data());
  w.close(box);
  box = w.open_full("ipma", 0, 0);
  uint32_t associated = 0;
  for (const OutputItem& item : items) associated += !item.properties.empty();
  w.u32(associated);
  for (const OutputItem& item : items) {
    if (item.properties.empty()) continue;
    w.u16(item.id);
    w.u8(uint8_t(item.properties.size()));
    for (uint8_t index : item.properties) w.u8(index);
  }
  w.close(box);
  w.close(iprp);
  w.close(meta);

  uint64_t payload = 0;
  for (const OutputItem& item : items) payload += item.data.size();
  if (payload + 8 > 0xffffffffu - w.size())
    return Status::error(ErrorCode::too_large, "the AVIF output would exceed 4 GB");
  uint32_t offset = uint32_t(w.size() + 8);
  for (size_t i = 0; i < items.size(); ++i) {
    w.patch_u32(offset_fields[i], offset);
    offset += uint32_t(items[i].data.size());
  }
  w.u32(uint32_t(payload + 8));
  w.fourcc("mdat");

  Buffer out;
  if (!out.append(reinterpret_cast<const uint8_t*>(w.data().data()), w.size()))
    return Status::error(ErrorCode::out_of_memory, "out of memory for the AVIF output");
  for (const OutputItem& item : items)
    if (!out.append(reinterpret_cast<const uint8_t*>(item.data.data()), item.data.size()))
      return Status::error(ErrorCode::out_of_memory, "out of memory for the AVIF output");
  return out;
}

Metadata read_metadata(ByteView bytes) {
  Metadata m;
  Result<Container> parsed = parse_container(bytes);
  if (!parsed.ok()) return m;
  const Container& c = parsed.value();
  const Item* primary = c.item(c.primary);
  for (uint16_t index : primary->properties) {
    if (index < 1 || index > c.properties.size() || c.properties[index - 1].type != "colr") continue;
    Reader r(c.properties[index - 1].payload);
    const std::string_view kind = r.fourcc();
    if (kind == "prof" || kind == "rICC") {
      const ByteView icc = r.take(r.remaining());
      m.icc.assign(reinterpret_cast<const char*>(icc.data), icc.size);
    }
  }
  for (const Reference& ref : c.references) {
    if (ref.type != "cdsc" || std::find(ref.to.begin(), ref.to.end(), c.primary) == ref.to.end()) continue;
    const Item* item = c.item(ref.from);
    if (!item) continue;
    std::string storage;
    Result<ByteView> data = item_data(c, *item, &storage);
    if (!data.ok()) continue;
    const ByteView d = data.value();
    if (item->type == "Exif" && d.size > 4) {
      const uint32_t offset = uint32_t(d.data[0]) << 24 | d.data[1] << 16 | d.data[2] << 8 | d.data[3];
      if (offset < d.size - 4) m.exif.assign(reinterpret_cast<const char*>(d.data) + 4 + offset, d.size - 4 - offset);
      if (m.exif.compare(0, 6, std::string("Exif\0\0", 6)) == 0) m.exif.erase(0, 6);  // some writers keep the APP1 prefix
    } else if (item->type == "mime" && item->content_type == "application/rdf+xml") {
      m.xmp.assign(reinterpret_cast<const char*>(d.data), d.size);
    }
  }
  return m;
}

}  // namespace avif
}  // namespace edgepix
