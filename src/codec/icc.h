// Embedded ICC profiles to sRGB through lcms2, so that pixels display as their profile says once they leave
// without it (no profile means sRGB). 8-bit pixels; alpha passes through untouched. Profiles come from memory
// only (there is no file system in wasm); one that is unreadable, or that lcms2 cannot build a transform from,
// converts nothing: the image still decodes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/image.h"

namespace edgepix {

// Whether the profile describes RGB pixels (its header says so; not parsed further): only then can pixels stay
// in it with the profile written beside them. Gray sources are expanded to RGB and CMYK is converted by the
// JPEG decoder, so their profiles no longer describe the pixels we write.
bool icc_describes_rgb(const std::string& icc);

// Converts RGB or RGBA pixels (straight alpha) from an embedded RGB or gray profile to sRGB, in place. Built
// once per source and reused for every frame of an animation.
class SrgbConverter {
 public:
  // Does nothing for an empty, unreadable, CMYK or other profile, and for an RGB or gray profile that is sRGB
  // in all but name (same primaries and tone curves): that common case costs one parse and no pixel work.
  explicit SrgbConverter(const std::string& icc);
  ~SrgbConverter();
  SrgbConverter(const SrgbConverter&) = delete;
  SrgbConverter& operator=(const SrgbConverter&) = delete;

  bool converts() const { return converts_; }
  // The image must have straight alpha. Returns false (pixels unchanged) when lcms2 cannot transform them.
  bool convert(Image* image);

 private:
  struct State;
  std::unique_ptr<State> state_;
  bool converts_ = false;
};

// CMYK as libjpeg gives it (`inverted`: Adobe's inverted inks) in an embedded CMYK profile → sRGB, written as
// packed RGB over the start of the same buffer. False (pixels unchanged) when the profile is not a usable CMYK
// one.
bool cmyk_to_srgb(uint8_t* pixels, uint32_t width, uint32_t height, bool inverted, const std::string& icc);

}  // namespace edgepix
