#include "codec/hevc.h"

#include <libde265/de265.h>

#include <string>

#include "codec/isobmff.h"

namespace edgepix::hevc {
namespace {

Status corrupt(const std::string& what) {
  return Status::error(ErrorCode::corrupt_image, "corrupt HEVC data: " + what);
}

// HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3): 21 bytes of profile, level and format fields, the
// NAL length size, then arrays of parameter-set NAL units.
constexpr size_t kRecordFieldsSize = 21;

// Pushes each NAL unit of the record's arrays to the decoder; sets the length size of the item's NAL units.
Status push_parameter_sets(de265_decoder_context* decoder, ByteView record, size_t* length_size) {
  isobmff::Reader r(record);
  r.skip(kRecordFieldsSize);
  *length_size = (r.u8() & 3) + 1u;
  const uint8_t arrays = r.u8();
  for (uint8_t a = 0; a < arrays && r.ok(); ++a) {
    r.u8();  // completeness and NAL unit type
    const uint16_t count = r.u16();
    for (uint16_t n = 0; n < count && r.ok(); ++n) {
      const ByteView nal = r.take(r.u16());
      if (r.ok() && de265_push_NAL(decoder, nal.data, int(nal.size), 0, nullptr) != DE265_OK)
        return Status::error(ErrorCode::out_of_memory, "HEVC decoder: out of memory");
    }
  }
  return r.ok() ? Status() : corrupt("truncated hvcC");
}

Status push_nal_units(de265_decoder_context* decoder, ByteView data, size_t length_size) {
  isobmff::Reader r(data);
  while (r.ok() && !r.at_end()) {
    const uint64_t length = r.number(length_size);
    const ByteView nal = r.take(size_t(length));
    if (!r.ok() || length > uint64_t(INT32_MAX)) return corrupt("a NAL unit runs past the item (truncated?)");
    if (de265_push_NAL(decoder, nal.data, int(nal.size), 0, nullptr) != DE265_OK)
      return Status::error(ErrorCode::out_of_memory, "HEVC decoder: out of memory");
  }
  return {};
}

}  // namespace

bool record_is_high_bitdepth(ByteView record) {
  return record.size > 17 && (record.data[17] & 7) != 0;  // bitDepthLumaMinus8
}

Picture::~Picture() {
  if (decoder_) de265_free_decoder(static_cast<de265_decoder_context*>(decoder_));
}

Status decode(ByteView record, ByteView data, uint32_t width, uint32_t height, Picture* picture) {
  // libde265 builds its scan and context tables when the first decoder opens and frees them when the last
  // closes: held once here, they are built once per instance, not once per tile.
  static const bool tables_held = de265_init() == DE265_OK;
  (void)tables_held;
  de265_decoder_context* decoder = de265_new_decoder();  // no worker threads: the module has one thread
  if (!decoder) return Status::error(ErrorCode::out_of_memory, "HEVC decoder: out of memory");
  picture->decoder_ = decoder;
  size_t length_size = 4;
  EP_TRY(push_parameter_sets(decoder, record, &length_size));
  EP_TRY(push_nal_units(decoder, data, length_size));
  if (de265_flush_data(decoder) != DE265_OK) return Status::error(ErrorCode::out_of_memory, "HEVC decoder: out of memory");
  // Flushed, the decoder runs until the input is used up. It keeps saying there is more while a picture waits in
  // its output queue, so the picture ends the loop. Errors in slices are warnings (a damaged picture still comes out).
  for (int more = 1; more && !picture->image_;) {
    const de265_error result = de265_decode(decoder, &more);
    if (result == DE265_ERROR_WAITING_FOR_INPUT_DATA) break;
    if (!de265_isOK(result)) return corrupt(de265_get_error_text(result));
    picture->image_ = de265_get_next_picture(decoder);
  }
  if (!picture->image_) return corrupt("the HEVC item holds no complete picture");
  const int w = de265_get_image_width(picture->image_, 0), h = de265_get_image_height(picture->image_, 0);
  if (de265_get_chroma_format(picture->image_) != de265_chroma_mono &&
      de265_get_bits_per_pixel(picture->image_, 1) != de265_get_bits_per_pixel(picture->image_, 0))
    return Status::error(ErrorCode::unsupported_format, "HEVC pictures with chroma and luma of different bit depths");
  if (uint32_t(w) != width || uint32_t(h) != height)
    return corrupt("the HEVC picture is " + std::to_string(w) + "x" + std::to_string(h) + ", the container says " +
                   std::to_string(width) + "x" + std::to_string(height));
  return {};
}

YuvPlanes Picture::planes() const {
  YuvPlanes planes;
  const de265_chroma chroma = de265_get_chroma_format(image_);
  int stride = 0;
  planes.data[0] = de265_get_image_plane(image_, 0, &stride);
  planes.stride[0] = stride;
  planes.mono = chroma == de265_chroma_mono;
  if (!planes.mono) {
    planes.data[1] = de265_get_image_plane(image_, 1, &stride);
    planes.data[2] = de265_get_image_plane(image_, 2, nullptr);
    planes.stride[1] = stride;
  }
  planes.width = uint32_t(de265_get_image_width(image_, 0));
  planes.height = uint32_t(de265_get_image_height(image_, 0));
  planes.bits = de265_get_bits_per_pixel(image_, 0);
  planes.ssx = chroma == de265_chroma_420 || chroma == de265_chroma_422;
  planes.ssy = chroma == de265_chroma_420;
  return planes;
}

ColourInfo Picture::colour() const {
  return {de265_get_image_matrix_coefficients(image_), de265_get_image_full_range_flag(image_) != 0};
}

}  // namespace edgepix::hevc
