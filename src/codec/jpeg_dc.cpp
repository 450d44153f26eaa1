#include "codec/jpeg_dc.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "core/budget.h"
#include "core/bytes.h"

namespace edgepix {
namespace {

Status unsupported(const char* why) { return error(ErrorCode::unsupported_format, why); }
Status corrupt(const char* why) { return error(ErrorCode::corrupt_image, std::string("JPEG is corrupt: ") + why); }

// Eight bytes as a big-endian number. wasm has no byte swap: clang expands __builtin_bswap64 into some twenty
// shifts and masks, where one SIMD shuffle does it.
uint64_t load_be64(const uint8_t* at) {
#ifdef __wasm_simd128__
  const v128_t reversed = wasm_i8x16_swizzle(wasm_v128_load64_zero(at),
                                             wasm_i8x16_const(7, 6, 5, 4, 3, 2, 1, 0, 8, 9, 10, 11, 12, 13, 14, 15));
  return uint64_t(wasm_i64x2_extract_lane(reversed, 0));
#else
  uint64_t word;
  std::memcpy(&word, at, 8);
  return __builtin_bswap64(word);
#endif
}

// Canonical Huffman codes (ITU T.81 Annex C): codes of up to kFastBits are found with one table look-up, longer
// ones by comparing against the largest code of each length.
constexpr int kFastBits = 12;

// AC codes with the coefficient bits after each, as many whole ones as the next kSkipBits bits hold: one look-up
// passes over a run of coefficients (all a DC-only decode does with them), ending with the block's end-of-block
// code when that fits too. Each entry packs: bits 0-4, the bits passed over (codes plus coefficient bits); bit 5,
// the last code is end-of-block; bits 6-12, the reach: positions moved (the run plus one per coefficient, 16 per
// ZRL) plus one for end-of-block. A run is taken only while it stays within the block, so an entry whose first
// code does not fit has a reach no block allows (kNoRun): the slow path.
constexpr int kSkipBits = 12;
constexpr uint16_t kNoRun = 127 << 6;
struct HuffmanTable {
  bool defined = false;
  uint8_t fast_length[1 << kFastBits] = {};  // 0: longer than kFastBits
  uint8_t fast_symbol[1 << kFastBits] = {};
  int32_t max_code[17] = {};   // per length; -1 when no code has that length
  int32_t value_offset[17] = {};
  uint8_t values[256] = {};
  std::vector<uint16_t> fast_skip;  // AC tables only: 1 << kSkipBits entries
  std::vector<int16_t> fast_dc;     // DC tables only: 1 << kSkipBits entries (0: the slow path)
};

// DC codes with their difference bits, when both end within the next kSkipBits bits: one look-up gives the bits
// passed over (bits 0-3) and the difference, extended (bits 4-15).
void build_dc(HuffmanTable* table) {
  table->fast_dc.assign(size_t(1) << kSkipBits, 0);
  for (uint32_t prefix = 0; prefix < (1u << kSkipBits); ++prefix) {
    const uint32_t top = prefix >> (kSkipBits - kFastBits);
    const int length = table->fast_length[top], size = table->fast_symbol[top];
    if (length == 0 || size > 11 || length + size > kSkipBits) continue;
    int32_t value = int32_t(prefix >> (kSkipBits - length - size)) & ((1 << size) - 1);
    if (size && value < (1 << (size - 1))) value += 1 - (1 << size);
    table->fast_dc[prefix] = int16_t(uint32_t(value) << 4 | uint32_t(length + size));
  }
}

// The runs of whole AC codes each kSkipBits prefix holds, read with the one-code table: a code is known from a
// prefix shifted left (zeros coming in) as long as it ends within the real bits.
void build_skips(HuffmanTable* table) {
  constexpr uint32_t kMask = (1u << kSkipBits) - 1;
  table->fast_skip.assign(size_t(1) << kSkipBits, kNoRun);
  for (uint32_t prefix = 0; prefix <= kMask; ++prefix) {
    int used = 0, advance = 0;
    bool ends_block = false;
    while (used < kSkipBits) {
      const uint32_t next = ((prefix << used) & kMask) >> (kSkipBits - kFastBits);
      const int length = table->fast_length[next];
      const int run = table->fast_symbol[next] >> 4, size = table->fast_symbol[next] & 15;
      if (length == 0 || used + length + size > kSkipBits) break;
      if (size == 0 && run != 15) {
        used += length;
        ends_block = true;
        break;
      }
      used += length + size;
      advance += size ? run + 1 : 16;
      if (advance > 63) break;  // past any block's end: only the slow path can say where it ends
    }
    if (used) table->fast_skip[prefix] = uint16_t(used | (ends_block << 5) | ((advance + ends_block) << 6));
  }
}

Status build_table(const uint8_t* counts, const uint8_t* symbols, size_t symbol_count, bool ac, HuffmanTable* table) {
  *table = HuffmanTable();
  std::memcpy(table->values, symbols, symbol_count);
  int32_t code = 0;
  size_t index = 0;
  for (int length = 1; length <= 16; ++length) {
    // The codes of each length must fit in it, the all-ones code unused (libjpeg's test): checked before the
    // look-up tables are filled, where a code that does not fit would index past their 1 << kFastBits entries.
    if (code + counts[length - 1] >= (1 << length)) return corrupt("bad Huffman table");
    table->value_offset[length] = int32_t(index) - code;
    for (int i = 0; i < counts[length - 1]; ++i, ++index, ++code) {
      if (length <= kFastBits) {
        const int shift = kFastBits - length;
        for (int fill = 0; fill < (1 << shift); ++fill) {
          table->fast_length[(code << shift) | fill] = uint8_t(length);
          table->fast_symbol[(code << shift) | fill] = symbols[index];
        }
      }
    }
    table->max_code[length] = counts[length - 1] ? code - 1 : -1;
    code <<= 1;
  }
  if (ac) build_skips(table);
  else build_dc(table);
  table->defined = true;
  return {};
}

// The entropy-coded bits, with stuffed zero bytes removed. At a marker (or the end of the data) it feeds zeros, as
// libjpeg does, and counts them: a decode that used any of them read past the data, which is truncation or damage.
class BitReader {
 public:
  BitReader(ByteView bytes, size_t at) : bytes_(bytes), at_(at) {}

  int decode(const HuffmanTable& table) {
    if (count_ < 32) fill();
    const uint32_t top = uint32_t(bits_ >> (64 - kFastBits));
    if (const int length = table.fast_length[top]) {
      consume(length);
      return table.fast_symbol[top];
    }
    for (int length = kFastBits + 1; length <= 16; ++length) {
      const int32_t code = int32_t(bits_ >> (64 - length));
      if (code <= table.max_code[length]) {
        consume(length);
        return table.values[table.value_offset[length] + code];
      }
    }
    return -1;
  }
  // The next `size` bits as a signed coefficient (T.81's RECEIVE and EXTEND). decode() left at least 16 bits.
  int32_t receive(int size) {
    if (size == 0) return 0;
    const int32_t value = int32_t(bits_ >> (64 - size));
    consume(size);
    return value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;
  }
  bool read_past_end() const { return padding_ > count_; }

  // The scan's hot loop keeps the bit buffer in its own locals: these move it out and back around the slow paths.
  void put(uint64_t bits, int count) { bits_ = bits, count_ = count; }
  uint64_t bits() const { return bits_; }
  int count() const { return count_; }
  // Eight more bytes when none of them is 0xFF; false when that takes the slow path (fill(), through put()).
  bool refill(uint64_t* bits, int* count) {
    if (at_ + 8 > bytes_.size) return false;
    const uint64_t word = load_be64(bytes_.data + at_);
    if ((((~word) - 0x0101010101010101ull) & word & 0x8080808080808080ull) != 0) return false;
    const int taken = (64 - *count) >> 3;
    *bits |= (word >> (64 - 8 * taken)) << (64 - 8 * taken - *count);
    at_ += size_t(taken);
    *count += 8 * taken;
    return true;
  }
  [[gnu::noinline]] void fill_slow() { fill(); }
  // A code the look-up tables do not give, and for AC the coefficient bits after it: the symbol, -1 if none.
  [[gnu::noinline]] int decode_slow(const HuffmanTable& table, bool ac) {
    const int symbol = decode(table);
    if (ac && symbol >= 0) consume(symbol & 15);
    return symbol;
  }

  // After a restart interval or the scan: the next marker, past any leftover bits; -1 at the end of the data.
  int next_marker() {
    bits_ = 0;
    count_ = padding_ = 0;
    while (at_ + 1 < bytes_.size) {
      if (bytes_.data[at_] == 0xFF && bytes_.data[at_ + 1] != 0x00 && bytes_.data[at_ + 1] != 0xFF) {
        at_ += 2;
        return bytes_.data[at_ - 1];
      }
      ++at_;
    }
    return -1;
  }
  size_t position() const { return at_; }

 private:
  void consume(int size) {
    bits_ <<= size;
    count_ -= size;
  }
  void fill() {
    // Eight bytes at a time while none of them is 0xFF (a stuffed byte or a marker: the slow loop below).
    if (at_ + 8 <= bytes_.size) {
      const uint64_t word = load_be64(bytes_.data + at_);  // (the 0xFF test is the same in either byte order)
      if ((((~word) - 0x0101010101010101ull) & word & 0x8080808080808080ull) == 0) {
        const int taken = (64 - count_) >> 3;
        bits_ |= (word >> (64 - 8 * taken)) << (64 - 8 * taken - count_);
        at_ += size_t(taken);
        count_ += 8 * taken;
        return;
      }
    }
    while (count_ <= 56) {
      uint32_t byte = 0;
      if (at_ < bytes_.size && bytes_.data[at_] != 0xFF) {
        byte = bytes_.data[at_++];
      } else if (at_ + 1 < bytes_.size && bytes_.data[at_ + 1] == 0x00) {
        byte = 0xFF;
        at_ += 2;
      } else {
        padding_ += 8;  // a marker or the end: stay there
      }
      bits_ |= uint64_t(byte) << (56 - count_);
      count_ += 8;
    }
  }
  ByteView bytes_;
  size_t at_;
  uint64_t bits_ = 0;
  int count_ = 0;
  int padding_ = 0;
};

struct Component {
  uint8_t id = 0, h = 1, v = 1, quant = 0;
  uint8_t dc_table = 0, ac_table = 0;
  uint32_t plane_width = 0, plane_height = 0;  // blocks
  std::vector<uint8_t> plane;                  // each block's mean sample
  // The DC prediction: the sum of the differences so far. Hostile data can add up to 65535 a block (16-bit
  // differences), past any 32-bit range over a large image; not past 64 bits.
  int64_t predictor = 0;
};

struct Frame {
  uint32_t width = 0, height = 0;
  uint8_t h_max = 1, v_max = 1;
  std::vector<Component> components;
  uint16_t quant[4] = {};  // each table's DC step: all a DC decode needs
  bool quant_defined[4] = {};
  HuffmanTable dc_tables[4], ac_tables[4];
  uint32_t restart_interval = 0;
  bool adobe_rgb = false;
};

Status read_quant_tables(ByteView segment, Frame* frame) {
  for (size_t at = 0; at < segment.size;) {
    const uint8_t precision = segment.data[at] >> 4, id = segment.data[at] & 15;
    const size_t size = precision ? 128 : 64;
    if (id > 3 || at + 1 + size > segment.size) return corrupt("bad quantisation table");
    frame->quant[id] = precision ? be16(segment.data + at + 1) : segment.data[at + 1];
    frame->quant_defined[id] = true;
    at += 1 + size;
  }
  return {};
}

Status read_huffman_tables(ByteView segment, Frame* frame) {
  for (size_t at = 0; at < segment.size;) {
    if (at + 17 > segment.size) return corrupt("bad Huffman table");
    const uint8_t kind = segment.data[at] >> 4, id = segment.data[at] & 15;
    size_t symbols = 0;
    for (int i = 0; i < 16; ++i) symbols += segment.data[at + 1 + i];
    if (kind > 1 || id > 3 || symbols > 256 || at + 17 + symbols > segment.size) return corrupt("bad Huffman table");
    HuffmanTable* table = kind ? &frame->ac_tables[id] : &frame->dc_tables[id];
    EP_TRY(build_table(segment.data + at + 1, segment.data + at + 17, symbols, kind == 1, table));
    at += 17 + symbols;
  }
  return {};
}

Status read_frame(ByteView segment, Frame* frame) {
  if (segment.size < 6) return corrupt("frame header is truncated");
  if (segment.data[0] != 8) return unsupported("not 8-bit");
  frame->height = be16(segment.data + 1);
  frame->width = be16(segment.data + 3);
  const uint8_t count = segment.data[5];
  if (frame->height == 0 || frame->width == 0) return unsupported("height given later (DNL)");
  if (count != 1 && count != 3) return unsupported("not gray or YCbCr");
  if (segment.size < 6u + 3u * count) return corrupt("frame header is truncated");
  for (uint8_t i = 0; i < count; ++i) {
    Component c;
    c.id = segment.data[6 + i * 3];
    c.h = segment.data[7 + i * 3] >> 4;
    c.v = segment.data[7 + i * 3] & 15;
    c.quant = segment.data[8 + i * 3];
    if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.quant > 3) return corrupt("bad sampling factors");
    frame->h_max = std::max(frame->h_max, c.h);
    frame->v_max = std::max(frame->v_max, c.v);
    frame->components.push_back(std::move(c));
  }
  // libjpeg reads three components named R, G, B as RGB, not YCbCr.
  if (count == 3 && frame->components[0].id == 'R' && frame->components[1].id == 'G' && frame->components[2].id == 'B')
    frame->adobe_rgb = true;
  return {};
}

// The scan: every block of every component, interleaved in MCUs (or block by block for one component).
Status read_scan(ByteView bytes, size_t data_at, Frame* frame) {
  const bool interleaved = frame->components.size() > 1;
  const uint32_t mcu_w = 8u * frame->h_max, mcu_h = 8u * frame->v_max;
  const uint32_t mcus_x = (frame->width + mcu_w - 1) / mcu_w, mcus_y = (frame->height + mcu_h - 1) / mcu_h;
  for (Component& c : frame->components) {
    if (interleaved) {
      c.plane_width = mcus_x * c.h;
      c.plane_height = mcus_y * c.v;
    } else {  // one block per MCU, covering the component's own size
      c.plane_width = (frame->width * c.h / frame->h_max + 7) / 8;
      c.plane_height = (frame->height * c.v / frame->v_max + 7) / 8;
    }
    c.plane.assign(size_t(c.plane_width) * c.plane_height, 0);
  }
  const uint32_t across = interleaved ? mcus_x : frame->components[0].plane_width;
  const uint32_t down = interleaved ? mcus_y : frame->components[0].plane_height;
  // Each MCU's blocks in order, with what decoding each needs, worked out once.
  struct Slot {
    Component* component;
    const HuffmanTable *dc, *ac;
    int32_t quant;
    uint32_t blocks_h, blocks_v, h, v;
  };
  std::vector<Slot> slots;
  for (Component& c : frame->components) {
    const uint32_t blocks_h = interleaved ? c.h : 1, blocks_v = interleaved ? c.v : 1;
    for (uint32_t v = 0; v < blocks_v; ++v)
      for (uint32_t h = 0; h < blocks_h; ++h)
        slots.push_back({&c, &frame->dc_tables[c.dc_table], &frame->ac_tables[c.ac_table],
                         int32_t(frame->quant[c.quant]), blocks_h, blocks_v, h, v});
  }
  BitReader reader(bytes, data_at);
  // The bit buffer, in locals for the whole scan; the reader holds it only around its slow paths.
  uint64_t bits = 0;
  int count = 0;
  const auto refill = [&] {
    if (!reader.refill(&bits, &count)) {
      reader.put(bits, count);
      reader.fill_slow();
      bits = reader.bits(), count = reader.count();
    }
  };
  uint32_t until_restart = frame->restart_interval, next_restart = 0;
  std::vector<uint8_t*> places(slots.size());  // where each slot's next block goes, along the MCU row
  for (uint32_t mcu_y = 0; mcu_y < down; ++mcu_y) {
    for (size_t i = 0; i < slots.size(); ++i) {
      const Slot& slot = slots[i];
      places[i] = slot.component->plane.data() +
                  (size_t(mcu_y) * slot.blocks_v + slot.v) * slot.component->plane_width + slot.h;
    }
    for (uint32_t mcu_x = 0; mcu_x < across; ++mcu_x) {
      if (frame->restart_interval && until_restart == 0) {
        reader.put(bits, count);
        if (reader.read_past_end()) return corrupt("the data ends too soon");
        if (reader.next_marker() != int(0xD0 + next_restart)) return corrupt("a restart marker is missing");
        bits = 0, count = 0;
        next_restart = (next_restart + 1) & 7;
        until_restart = frame->restart_interval;
        for (Component& c : frame->components) c.predictor = 0;
      }
      for (size_t i = 0; i < slots.size(); ++i) {
        const Slot& slot = slots[i];
        Component& c = *slot.component;
        if (count < 32) refill();
        const int32_t dc = slot.dc->fast_dc[bits >> (64 - kSkipBits)];
        if (dc) {
          bits <<= dc & 15;
          count -= dc & 15;
          c.predictor += dc >> 4;
        } else {
          reader.put(bits, count);
          const int dc_size = reader.decode_slow(*slot.dc, false);
          if (dc_size < 0 || dc_size > 16) return corrupt("bad Huffman code");
          c.predictor += reader.receive(dc_size);
          bits = reader.bits(), count = reader.count();
        }
        // The AC coefficients, passed over: most runs of them take one look-up.
        const uint16_t* fast_skip = slot.ac->fast_skip.data();
        // Two look-ups a refill test: a refill leaves at least 57 bits, a look-up passes over at most kSkipBits.
        for (int k = 1; k < 64;) {
          if (count < 2 * kSkipBits) refill();
          uint32_t skip = fast_skip[bits >> (64 - kSkipBits)];
          // A run that goes past this block's last position is not all this block's (after position 63 the next
          // block begins: no end-of-block code).
          if (k + int(skip >> 6) <= 64) {
            bits <<= skip & 31;
            count -= int(skip & 31);
            if (skip & 32) break;
            k += int(skip >> 6);
            if (k >= 64) break;
            skip = fast_skip[bits >> (64 - kSkipBits)];
            if (k + int(skip >> 6) <= 64) {
              bits <<= skip & 31;
              count -= int(skip & 31);
              if (skip & 32) break;
              k += int(skip >> 6);
              continue;
            }
          }
          reader.put(bits, count);
          const int symbol = reader.decode_slow(*slot.ac, true);
          if (symbol < 0) return corrupt("bad Huffman code");
          bits = reader.bits(), count = reader.count();
          const int run = symbol >> 4, size = symbol & 15;
          if (size == 0 && run != 15) break;  // end of block
          k += size ? run + 1 : 16;
        }
        // libjpeg's 1x1 inverse DCT: the dequantised DC over 8, rounded, level-shifted, clamped. The planes hold
        // whole MCUs, so every block has its place. The coefficient is a 16-bit JCOEF there, as here: times a
        // step of at most 65535 it stays within 32 bits (8-bit data's DC never leaves the 16-bit range).
        const int32_t sample = ((int32_t(int16_t(c.predictor)) * slot.quant + 4) >> 3) + 128;
        *places[i] = uint8_t(std::clamp(sample, 0, 255));
        places[i] += slot.blocks_h;
      }
      --until_restart;
    }
  }
  reader.put(bits, count);
  if (reader.read_past_end()) return corrupt("the data ends too soon");
  // What follows the scan: EOI; another scan means a multi-scan file, which libjpeg reads.
  for (int marker = reader.next_marker();; marker = reader.next_marker()) {
    if (marker == 0xD9) return {};
    if (marker < 0) return corrupt("the data ends too soon (no end marker)");
    if (marker == 0xDA) return unsupported("more than one scan");
    if (marker >= 0xD0 && marker <= 0xD7) continue;  // a stray restart marker has no length
    const size_t at = reader.position();
    if (at + 2 > bytes.size) return corrupt("the data ends too soon");
    reader = BitReader(bytes, at + be16(bytes.data + at));
  }
}

Status read_scan_header(ByteView segment, Frame* frame) {
  const uint8_t count = segment.size ? segment.data[0] : 0;
  if (segment.size < 4u + 2u * count) return corrupt("scan header is truncated");
  if (count != frame->components.size()) return unsupported("a scan without every component");
  for (uint8_t i = 0; i < count; ++i) {
    const uint8_t id = segment.data[1 + i * 2], tables = segment.data[2 + i * 2];
    Component& c = frame->components[i];
    if (c.id != id) return unsupported("scan components out of order");
    c.dc_table = tables >> 4;
    c.ac_table = tables & 15;
    if (c.dc_table > 3 || c.ac_table > 3 || !frame->dc_tables[c.dc_table].defined ||
        !frame->ac_tables[c.ac_table].defined || !frame->quant_defined[c.quant])
      return corrupt("a scan uses an undefined table");
  }
  const uint8_t* tail = segment.data + 1 + 2 * count;
  if (tail[0] != 0 || tail[1] != 63 || tail[2] != 0) return unsupported("not a sequential scan");
  return {};
}

// YCbCr (JFIF, full range) to RGB with libjpeg's fixed-point constants (16 fractional bits), each chroma term
// from a table (as libjpeg does), and the sums clamped by a table too.
struct ColourTables {
  int32_t r_cr[256], b_cb[256], g_cb[256], g_cr[256];
  uint8_t clamp[256 * 3];  // [sum + 256]
};
void fill_colour_tables(ColourTables* t) {
  for (int i = 0; i < 256; ++i) {
    const int v = i - 128;
    t->r_cr[i] = (91881 * v + (1 << 15)) >> 16;
    t->b_cb[i] = (116130 * v + (1 << 15)) >> 16;
    t->g_cb[i] = -22554 * v;
    t->g_cr[i] = -46802 * v + (1 << 15);
  }
  for (int i = 0; i < 256 * 3; ++i) t->clamp[i] = uint8_t(std::clamp(i - 256, 0, 255));
}

// Each output pixel is one luma block; chroma blocks that cover several luma blocks are repeated over them. Where
// each output column and row finds its block in each plane is worked out once, not per pixel.
Result<Image> to_image(const Frame& frame) {
  Result<Image> image = Image::allocate((frame.width + 7) / 8, (frame.height + 7) / 8, 3);
  if (!image.ok()) return image;
  const size_t planes = frame.components.size();
  std::vector<std::vector<uint32_t>> columns(planes), rows(planes);
  for (size_t i = 0; i < planes; ++i) {
    const Component& c = frame.components[i];
    for (uint32_t x = 0; x < image->width; ++x) columns[i].push_back(std::min(x * c.h / frame.h_max, c.plane_width - 1));
    for (uint32_t y = 0; y < image->height; ++y)
      rows[i].push_back(std::min(y * c.v / frame.v_max, c.plane_height - 1) * c.plane_width);
  }
  std::unique_ptr<ColourTables> tables;
  for (uint32_t y = 0; y < image->height; ++y) {
    uint8_t* out = image->row(y);
    if (planes == 1) {
      const uint8_t* gray = frame.components[0].plane.data() + rows[0][y];
      for (uint32_t x = 0; x < image->width; ++x, out += 3) out[0] = out[1] = out[2] = gray[columns[0][x]];
      continue;
    }
    if (!tables) {
      tables = std::make_unique<ColourTables>();
      fill_colour_tables(tables.get());
    }
    const uint8_t* luma = frame.components[0].plane.data() + rows[0][y];
    const uint8_t* cb = frame.components[1].plane.data() + rows[1][y];
    const uint8_t* cr = frame.components[2].plane.data() + rows[2][y];
    const uint8_t* clamp = tables->clamp + 256;
    const uint32_t *column_y = columns[0].data(), *column_cb = columns[1].data(), *column_cr = columns[2].data();
    for (uint32_t x = 0; x < image->width; ++x, out += 3) {
      const int y_value = luma[column_y[x]], cb_value = cb[column_cb[x]], cr_value = cr[column_cr[x]];
      out[0] = clamp[y_value + tables->r_cr[cr_value]];
      out[1] = clamp[y_value + ((tables->g_cb[cb_value] + tables->g_cr[cr_value]) >> 16)];
      out[2] = clamp[y_value + tables->b_cb[cb_value]];
    }
  }
  return image;
}

// APP14 "Adobe": its transform byte says whether three components are YCbCr (1) or RGB (0).
bool adobe_says_rgb(ByteView segment) {
  return segment.size >= 12 && std::memcmp(segment.data, "Adobe", 5) == 0 && segment.data[11] == 0;
}

}  // namespace

Result<Image> decode_jpeg_dc(ByteView bytes, Budget* budget) {
  if (bytes.size < 4 || bytes.data[0] != 0xFF || bytes.data[1] != 0xD8) return corrupt("no start marker");
  const std::unique_ptr<Frame> owned_frame = std::make_unique<Frame>();  // its tables are too large for a stack
  Frame& frame = *owned_frame;
  bool have_frame = false, adobe_rgb = false;
  for (size_t at = 2;;) {
    while (at < bytes.size && bytes.data[at] == 0xFF && at + 1 < bytes.size && bytes.data[at + 1] == 0xFF) ++at;
    if (at + 4 > bytes.size) return corrupt("the data ends before the image");
    if (bytes.data[at] != 0xFF) return corrupt("expected a marker");
    const uint8_t marker = bytes.data[at + 1];
    const size_t length = be16(bytes.data + at + 2);
    if (length < 2 || at + 2 + length > bytes.size) return corrupt("a marker segment is truncated");
    const ByteView segment{bytes.data + at + 4, length - 2};
    if (marker == 0xC0 || marker == 0xC1) {
      // A second frame header would add its components to the first's (libjpeg: "Invalid JPEG file structure:
      // two SOF markers").
      if (have_frame) return corrupt("two frame headers");
      EP_TRY(read_frame(segment, &frame));
      have_frame = true;
    } else if (marker >= 0xC2 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      return unsupported("progressive, lossless or arithmetic-coded");
    } else if (marker == 0xC4) {
      EP_TRY(read_huffman_tables(segment, &frame));
    } else if (marker == 0xCC) {
      return unsupported("arithmetic-coded");
    } else if (marker == 0xDB) {
      EP_TRY(read_quant_tables(segment, &frame));
    } else if (marker == 0xDD) {
      if (segment.size < 2) return corrupt("bad restart interval");
      frame.restart_interval = be16(segment.data);
    } else if (marker == 0xEE) {
      adobe_rgb = adobe_rgb || adobe_says_rgb(segment);
    } else if (marker == 0xD9) {
      return corrupt("no image data");
    } else if (marker == 0xDA) {
      if (!have_frame) return corrupt("a scan before the frame header");
      if (frame.adobe_rgb || (adobe_rgb && frame.components.size() == 3)) return unsupported("RGB, not YCbCr");
      EP_TRY(read_scan_header(segment, &frame));
      EP_TRY(charge(budget, uint64_t(frame.width) * frame.height));
      EP_TRY(read_scan(bytes, at + 2 + length, &frame));
      return to_image(frame);
    }
    at += 2 + length;
  }
}

}  // namespace edgepix
