#include "classify/features.h"

#include <cmath>
#include <cstdio>

#include "classify/base64.h"
#include "classify/blurhash.h"
#include "classify/hamming.h"
#include "classify/colours.h"
#include "classify/exif_facts.h"
#include "classify/luma.h"
#include "classify/phash.h"
#include "classify/photo_score.h"
#include "classify/thumbhash.h"
#include "classify/working_copy.h"
#include "core/json.h"
#include "ops/orient.h"

namespace edgepix {
namespace {

constexpr uint32_t kThumbhashSide = 100;  // the format's largest input
constexpr uint32_t kBlurhashSide = 64;    // plenty for 4x3 components

// A copy with the transparent parts shown over white: BlurHash has no alpha.
Result<Image> over_white(const Image& image) {
  Result<Image> rgb = Image::allocate(image.width, image.height, 3);
  if (!rgb.ok()) return rgb;
  const size_t pixels = size_t(image.width) * image.height;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* p = image.pixels.data() + i * image.channels;
    const uint32_t alpha = image.channels == 4 ? p[3] : 255;
    for (int c = 0; c < 3; ++c)
      rgb->pixels.data()[i * 3 + c] = uint8_t((p[c] * alpha + 255 * (255 - alpha) + 127) / 255);
  }
  return rgb;
}

Result<Image> shrunk(const Image& image, uint32_t side) {
  uint32_t width = 0, height = 0;
  fit_within(image.width, image.height, side, &width, &height);
  return box_shrink(image, width, height);
}

Status placeholders(const Image& copy, Features* features) {
  Result<Image> small = shrunk(copy, kThumbhashSide);
  if (!small.ok()) return small.status();
  features->thumbhash = base64_encode(thumbhash_encode(small.value()));
  Result<Image> tiny = shrunk(copy, kBlurhashSide);
  if (!tiny.ok()) return tiny.status();
  Result<Image> opaque = over_white(tiny.value());
  if (!opaque.ok()) return opaque.status();
  const bool portrait = copy.height > copy.width;
  features->blurhash = blurhash_encode(opaque.value(), portrait ? 3 : 4, portrait ? 4 : 3);
  return {};
}

Status measure(const Image& copy, Features* features) {
  features->dominant_colours = dominant_colours(copy);
  EP_TRY(placeholders(copy, features));
  Result<Image> luma = luma_over_white(copy);
  if (!luma.ok()) return luma.status();
  Result<uint64_t> phash = perceptual_hash(luma.value());
  if (!phash.ok()) return phash.status();
  features->phash = phash.value();
  features->sharpness = laplacian_variance(luma.value());
  features->exposure = exposure(luma.value());
  features->photo = photo_score(copy);
  return {};
}

// A number with at most `decimals` places, trailing zeros dropped.
std::string number(double value, int decimals) {
  if (!std::isfinite(value)) return "0";
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  std::string out(text);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out == "-0" ? "0" : out;
}

JsonObject& add_text_or_null(JsonObject& object, std::string_view key, const std::optional<std::string>& text) {
  return text ? object.add(key, *text) : object.add_json(key, "null");
}

std::string colours_json(const std::vector<DominantColour>& colours) {
  std::string json = "[";
  for (const DominantColour& colour : colours) {
    char hex[8];
    std::snprintf(hex, sizeof(hex), "#%02x%02x%02x", colour.r, colour.g, colour.b);
    if (json.size() > 1) json += ',';
    json += JsonObject().add("hex", hex).add_json("share", number(colour.share, 3)).str();
  }
  return json + "]";
}

}  // namespace

Result<Features> classify(ByteView bytes, const Limits& limits) {
  Result<ProbeInfo> info = probe(bytes);
  if (!info.ok()) return info.status();
  Result<Image> copy = working_copy(bytes, info.value(), limits);
  if (!copy.ok()) return copy.status();
  Features features;
  const bool swap = orientation_swaps_axes(info->orientation);
  features.format = info->format;
  features.width = swap ? info->height : info->width;
  features.height = swap ? info->width : info->height;
  features.animated = info->animated;
  features.frames = info->frame_count;
  features.alpha = info->has_alpha;
  EP_TRY(measure(copy.value(), &features));
  const std::string exif = read_metadata(bytes, info->format).exif;
  features.exif = exif_facts({reinterpret_cast<const uint8_t*>(exif.data()), exif.size()});
  return features;
}

std::string features_json(const Features& f) {
  JsonObject exposure;
  exposure.add_json("mean", number(f.exposure.mean, 3))
      .add_json("shadows", number(f.exposure.shadows, 3))
      .add_json("highlights", number(f.exposure.highlights, 3));
  JsonObject exif;
  exif.add("gps", f.exif.gps);
  add_text_or_null(exif, "cameraModel", f.exif.camera_model);
  add_text_or_null(exif, "captureDate", f.exif.capture_date);
  return JsonObject()
      .add("format", codec_for(f.format)->name)
      .add("width", uint64_t(f.width))
      .add("height", uint64_t(f.height))
      .add("animated", f.animated)
      .add("frames", uint64_t(f.frames))
      .add("alpha", f.alpha)
      .add_json("dominantColors", colours_json(f.dominant_colours))
      .add("thumbhash", f.thumbhash)
      .add("blurhash", f.blurhash)
      .add("phash", hex64(f.phash))
      .add_json("sharpness", number(f.sharpness, 1))
      .add("exposure", exposure)
      .add_json("photo", number(f.photo, 2))
      .add("exif", exif)
      .str();
}

}  // namespace edgepix
